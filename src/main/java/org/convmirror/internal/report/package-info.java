/**
 * A run at a glance: {@code report.html} in every run directory (plans, configuration, curves,
 * evaluations, the fixed-noise grid per epoch, why a run stopped), a page comparing runs, and the
 * hook through which training keeps both, and TensorBoard's event files, up to date.
 *
 * <p>Engine-free: everything here is read back from the files of a run directory, so a report can
 * be made of any run, finished, killed or still training.
 */
package org.convmirror.internal.report;
