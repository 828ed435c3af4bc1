package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.eval.RunEvaluation;
import org.convmirror.internal.spark.SweepGrid;
import org.convmirror.internal.spark.SweepJob;
import org.convmirror.internal.spark.SweepResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convmirror spark sweep}: every combination of the {@code --vary} values is one run of
 * {@code convmirror train} with the train flags after {@code --}, trained by one Spark task; each
 * run is evaluated, and the sweep's tables give mean ± std over seeds per configuration.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Train one run per point of a grid of train flags on Spark, evaluate each, and tabulate them"
          + " (mean ± std over --seed per configuration).",
      "Example: spark sweep --master local[2] --out runs/sweep --vary seed=1,2,3 --vary"
          + " loss=bce,hinge -- --epochs 1"
    })
final class SparkSweepCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The sweep's folder (runs/, logs/, tables); the same again continues it.")
  Path out;

  @Option(
      names = "--vary",
      paramLabel = "FLAG=V1,V2,…",
      description = "A train flag and its values, e.g. seed=1,2,3 or lr=2e-4,1e-3; repeatable.")
  List<String> vary = new ArrayList<>();

  @Option(
      names = "--evaluate",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Images to score each final model with (0: none). Default: ${DEFAULT-VALUE}.")
  int evaluate;

  @Option(names = "--classifier", paramLabel = "FILE", description = "Feature classifier.")
  Path classifier;

  @Mixin SparkOptions spark;

  @Parameters(paramLabel = "TRAIN_FLAGS", description = "After --: train flags for every run.")
  List<String> fixed = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    if (evaluate != 0) RunEvaluation.checkCount("--evaluate", evaluate);
    SweepGrid grid = SweepGrid.parse(vary, fixed);
    for (SweepGrid.Point p : grid.points()) check(p);
    spark.checkMaster();
    SparkOptions.requireSpark();
    List<SweepResult> results =
        SweepJob.run(
            spark.master,
            spark.conf,
            new SweepJob.Settings(out, grid, evaluate, classifier),
            System.out);
    return results.stream().allMatch(SweepResult::ok) ? 0 : 1;
  }

  /** Maps a point's flags exactly as {@code train} would, so a bad one stops the sweep here. */
  static void check(SweepGrid.Point point) {
    TrainCommand train = new TrainCommand();
    try {
      new CommandLine(train).parseArgs(point.arguments().toArray(String[]::new));
      train.configure().config();
    } catch (CommandLine.ParameterException | UsageException e) {
      throw new UsageException("run " + point.name() + ": " + e.getMessage(), e);
    }
  }
}
