package org.convmirror.internal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code convmirror spark}: the jobs that outgrow one machine, on Apache Spark. The launcher puts
 * Spark's jars on the class path for this command only, so every other command starts without them.
 */
@Command(
    name = "spark",
    mixinStandardHelpOptions = true,
    description = {
      "Jobs on Apache Spark (a cluster, or local[N] in this JVM): sweeps of many training runs,"
          + " and samples too large for one process."
    },
    subcommands = {SparkSweepCommand.class, SparkSampleCommand.class, SweepPointCommand.class})
final class SparkCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
