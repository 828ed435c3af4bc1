package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.eval.EvalReport;
import org.convmirror.internal.eval.PixelRange;
import org.convmirror.internal.eval.RunEvaluation;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.Npy;
import org.convmirror.spec.ImageShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convmirror evaluate}: Fréchet distance, KID, precision/recall in classifier features. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score a model's images against the test split in a frozen classifier's features.",
      "Fréchet distance, KID, precision/recall, density/coverage and the class histogram, with the"
          + " real-data floor beside them."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "RUN_DIR|CHECKPOINT|SAMPLES.npy",
      description =
          "A run (its latest checkpoint), a checkpoint directory, or samples from 'sample' (float32 in [0, 1]).")
  Path source;

  @Option(
      names = "--count",
      defaultValue = "10000",
      description =
          "Generated images to score (and test images to score against). Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seeds the generated images. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--classifier",
      paramLabel = "FILE",
      description =
          "Feature classifier (.params with its .json); default: the shipped Fashion-MNIST one.")
  Path classifier;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description = "Reference data for .npy samples (default: Fashion-MNIST).")
  String data;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description = "Named reference dataset for .npy samples.")
  String dataset;

  @Option(
      names = "--raw",
      description =
          "GAN: score the trained generator, not its weight average (not recorded in the run).")
  boolean raw;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Write the report to FILE instead of the run's evaluation records (for comparisons).")
  Path json;

  @Mixin ThreadsOption engine;

  @Override
  public Integer call() throws IOException {
    RunEvaluation.checkCount("--count", count);
    EngineSetup.configure(engine.threads);
    if (source.getFileName() != null && source.getFileName().toString().endsWith(".npy")) {
      return npy();
    }
    RunScoring.score(source, count, seed, classifier, raw, json, System.out);
    return 0;
  }

  private int npy() throws IOException {
    if (raw) {
      throw new UsageException(
          "--raw picks a GAN's trained generator; " + source + " holds samples already drawn");
    }
    Npy.Array a = Npy.read(source);
    long[] s = a.shape();
    if (s.length != 4 || s[1] < 1 || s[2] < 1 || s[3] < 1) {
      throw new UsageException(
          source + ": expected images, an array of shape (N, C, H, W), was " + Arrays.toString(s));
    }
    if (s[0] < RunEvaluation.MIN_COUNT) {
      throw new UsageException(
          source
              + " holds "
              + (s[0] == 0 ? "no images" : "only " + s[0])
              + " (shape "
              + Arrays.toString(s)
              + "); scoring needs ≥ "
              + RunEvaluation.MIN_COUNT
              + ": write more with 'convmirror sample RUN --count N'");
    }
    int n = (int) Math.min(count, s[0]);
    ImageShape image = ImageShape.of((int) s[1], (int) s[2], (int) s[3]);
    float[] x = Arrays.copyOf(a.data(), n * image.size());
    PixelRange.check(
        x, x.length, source.toString(), "sample again from a model that has not diverged");
    for (int i = 0; i < x.length; i++) x[i] = 2 * x[i] - 1; // [0, 1] → the [-1, 1] of the data
    try (RunEvaluation eval = RunScoring.evaluation(dataset, data, seed, image, n, classifier)) {
      EvalReport report = eval.evaluate(x, n);
      System.out.print(report.format());
      Path out =
          json != null
              ? json
              : source.resolveSibling(
                  source.getFileName().toString().replaceFirst("\\.npy$", "") + ".evaluation.json");
      report.writeJson(out);
      System.out.println("wrote " + out);
    }
    return 0;
  }
}
