/**
 * The jobs the API and the command line share: training a new run or continuing one ({@link
 * org.convmirror.internal.job.TrainJob} over a {@link org.convmirror.internal.job.TrainPlan}), with
 * everything checked before the run directory appears, and writing a sample folder ({@link
 * org.convmirror.internal.job.SampleFolder}).
 */
package org.convmirror.internal.job;
