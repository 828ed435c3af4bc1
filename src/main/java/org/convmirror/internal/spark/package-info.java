/**
 * Jobs that outgrow one machine, on Apache Spark (4.0, spark-core's RDD API only, {@code
 * provided}): {@link org.convmirror.internal.spark.SweepJob} trains one run per point of a grid of
 * train flags, each in a JVM of its own, and tabulates their evaluations; {@link
 * org.convmirror.internal.spark.SampleJob} draws a sample in shards whose images do not depend on
 * the partitioning and merges their feature statistics into the Fréchet distance of every image.
 *
 * <p>Per-process state of the engine decides what runs where: libtorch's random generator and
 * thread count and DJL's one gradient collector per JVM rule out two trainings in one executor, so
 * a training runs in a child JVM; sampling draws every random number in Java and records no
 * gradients, so shards run as ordinary tasks, with libtorch threads = {@code spark.task.cpus}.
 */
package org.convmirror.internal.spark;
