package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.convmirror.internal.spark.SweepPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convmirror spark sweep-point}, started by a sweep's task in a JVM of its own: trains (or
 * resumes) one run with {@code train}, then scores it with {@code evaluate}, exactly as a person
 * would on the command line. Needs no Spark.
 */
@Command(
    name = "sweep-point",
    hidden = true,
    description = "Train and evaluate one run of a sweep (started by 'spark sweep').")
final class SweepPointCommand implements Callable<Integer> {
  @Option(names = "--out", required = true)
  Path out;

  @Option(names = "--name", required = true)
  String name;

  @Option(names = "--evaluate", required = true)
  int evaluate;

  @Option(names = "--threads", required = true)
  int threads;

  @Option(names = "--classifier")
  Path classifier;

  @Parameters List<String> flags = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    SweepPoint.exitWithParent(System.in);
    SweepPoint.Start start = SweepPoint.prepare(out, name);
    int rc =
        Main.run(
            SweepPoint.trainArguments(start, out, name, threads, flags).toArray(String[]::new));
    if (rc != 0 || evaluate == 0 || SweepPoint.evaluated(out, name)) return rc;
    List<String> args = new ArrayList<>(List.of("evaluate", SweepPoint.run(out, name).toString()));
    args.addAll(List.of("--count", Integer.toString(evaluate), "--threads", "" + threads));
    if (classifier != null) args.addAll(List.of("--classifier", classifier.toString()));
    rc = Main.run(args.toArray(String[]::new));
    if (rc == 0) SweepPoint.keepEvaluation(out, name);
    return rc;
  }
}
