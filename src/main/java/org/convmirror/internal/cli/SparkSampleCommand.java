package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.eval.Classifiers;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.internal.spark.SampleJob;
import org.convmirror.internal.spark.ShardPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convmirror spark sample}: a sample too large for one process, written in shards by Spark
 * tasks; image i is the image {@code convmirror sample} draws as image i, whatever the
 * partitioning.
 */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Draw many images on Spark, in shards, and optionally score them: the Fréchet distance and"
          + " class histogram of every image, and all of 'evaluate' on the first N.",
      "Image i is the same image as 'convmirror sample' draws, for any number of partitions."
    })
final class SparkSampleCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "RUN_DIR|CHECKPOINT",
      description = "A run directory (latest checkpoint) or a checkpoint, on shared storage.")
  Path source;

  @Option(names = "--count", required = true, description = "Images to draw.")
  long count;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seeds the latent vectors. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder, on shared storage (default: RUN_DIR/sharded/seed-SEED).")
  Path out;

  @Option(
      names = "--partitions",
      paramLabel = "P",
      description = "Shards (whole chunks of 500 images each). Default: 4 per task slot.")
  int partitions;

  @Option(
      names = "--format",
      defaultValue = "npy",
      paramLabel = "npy|png|none",
      description = "Shards as part-NNNNN.npy, images/NNNNN.png, or none. Default: npy.")
  String format;

  @Option(
      names = "--evaluate",
      arity = "0..1",
      fallbackValue = "10000",
      paramLabel = "N",
      description = "Score: FD and classes of every image, all metrics on the first N (10000).")
  int evaluate;

  @Option(names = "--classifier", paramLabel = "FILE", description = "Feature classifier.")
  Path classifier;

  @Option(
      names = "--raw",
      description = "GAN: use the trained generator instead of its weight average (EMA).")
  boolean raw;

  @Option(
      names = "--class",
      paramLabel = "NAME|INDEX",
      description =
          "Conditional model: draw every image of this class (a class name or index); without it"
              + " the sample is balanced, image i of class i mod classes.")
  String label;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws IOException {
    SampleJob.Format f;
    try {
      f = SampleJob.Format.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--format must be npy, png or none, was " + format);
    }
    Path dir = out != null ? out : new RunLayout(source).sharded("seed-" + seed);
    // Every flag before Spark starts: a context takes seconds to come up.
    spark.checkMaster();
    ShardPlan.of(count, partitions, 1);
    if (evaluate < 0) throw new UsageException("--evaluate must be ≥ 0, was " + evaluate);
    if (classifier != null) Classifiers.check(classifier);
    SparkOptions.requireSpark();
    SampleJob.run(
        spark.master,
        spark.conf,
        new SampleJob.Settings(
            source.toAbsolutePath().toString(),
            raw,
            count,
            seed,
            dir.toString(),
            partitions,
            f,
            evaluate,
            classifier == null ? null : classifier.toAbsolutePath().toString(),
            label),
        System.out);
    return 0;
  }
}
