package org.convmirror.internal.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.eval.ClassHistogram;
import org.convmirror.internal.eval.EvalReport;
import org.convmirror.internal.eval.FeatureMoments;
import org.convmirror.internal.eval.FrechetDistance;
import org.convmirror.internal.eval.RunEvaluation;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.options.TrainConfig;
import org.convmirror.spec.ImageShape;

/**
 * A sample too large for one process, on Spark: {@link ShardPlan}'s shards are decoded and written
 * by one task each ({@link ShardTask}); the driver merges their feature statistics into the Fréchet
 * distance and class histogram of every image, and scores the first {@code evaluate} images as
 * {@code convmirror evaluate} would (KID and precision/recall need every feature vector, so they
 * are computed on that fixed subset).
 */
public final class SampleJob {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Images of the grid drawn from the head of the sample. */
  private static final int GRID = 64;

  private SampleJob() {}

  /** How the shards are written. */
  public enum Format {
    /** {@code part-NNNNN.npy}: (n, C, H, W) float32 in [0, 1] each. */
    NPY,
    /** {@code images/NNNNN.png}, named by the image's index in the whole sample. */
    PNG,
    /** Nothing: statistics only. */
    NONE
  }

  /**
   * What to sample.
   *
   * @param source a run (its latest checkpoint) or a checkpoint directory, on shared storage
   * @param raw a GAN's trained generator instead of its weight average
   * @param count images in all
   * @param seed the latent vectors' seed: image i is latent vector i of it
   * @param out the output folder, on storage every executor sees
   * @param partitions shards (0: four per task slot)
   * @param format how shards are written
   * @param evaluate score the first this many images, and every image's FD (0: no scores)
   * @param classifier the feature classifier (null: the shipped Fashion-MNIST one)
   * @param label a conditional model's class as {@code --class} takes it (name or index); null for
   *     a balanced sample, image i of class i mod classes
   */
  public record Settings(
      String source,
      boolean raw,
      long count,
      long seed,
      String out,
      int partitions,
      Format format,
      int evaluate,
      String classifier,
      String label)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * What the job made.
   *
   * @param shards every shard's result, in order
   * @param moments feature statistics of every image, or null without evaluation
   * @param report scores of the first {@code evaluate} images, or null
   * @param frechetAll Fréchet distance of every image against the reference, or NaN
   * @param classesAll class histogram of every image, or null
   */
  public record Result(
      List<ShardResult> shards,
      FeatureMoments moments,
      EvalReport report,
      double frechetAll,
      ClassHistogram classesAll) {}

  /** As {@link #run(JavaSparkContext, Settings, PrintStream)} in a context of its own. */
  public static Result run(
      String master, java.util.Map<String, String> conf, Settings s, PrintStream console)
      throws IOException {
    try (JavaSparkContext sc = SparkContexts.start("convmirror sample", master, conf)) {
      return run(sc, s, console);
    }
  }

  /** Samples, writes and scores; returns what it made. */
  public static Result run(JavaSparkContext sc, Settings s, PrintStream console)
      throws IOException {
    int threads = SparkContexts.threadsPerTask(sc);
    // In local mode this JVM is the executor too: its engine gets the tasks' thread count.
    if (sc.isLocal()) EngineSetup.useThreads(threads);
    else EngineSetup.configure(0);
    Path out = Path.of(s.out()).toAbsolutePath().normalize();
    Path checkpoint;
    ImageShape image;
    TrainConfig train;
    String label;
    try (LoadedModel model =
        SavedModel.open(Path.of(s.source())).forSampling(s.raw(), System.err)) {
      checkpoint = model.checkpoint().toAbsolutePath().normalize(); // every task reads this one
      label =
          ShardTask.describeLabel(
              model, s); // a class the model lacks is one line before anything starts
      image = model.image();
      train = model.config().train();
    }
    ShardPlan plan = ShardPlan.of(s.count(), s.partitions(), 4 * sc.defaultParallelism());
    ObjectNode manifest = manifest(s, checkpoint, image, plan);
    if (label != null) manifest.put("class", label);
    RunEvaluation eval = s.evaluate() > 0 ? evaluation(train, image, s) : null;
    try {
      checkOut(out, manifest);
      int head = (int) Math.min(s.count(), Math.max(GRID, s.evaluate()));
      console.printf(
          Locale.ROOT,
          "sampling %,d images in %d shards of whole %d-image chunks on %s (%d libtorch thread%s"
              + " per task) into %s%n",
          s.count(),
          plan.partitions(),
          ShardPlan.CHUNK,
          sc.master(),
          threads,
          threads == 1 ? "" : "s",
          out);
      if (label != null) console.println("class " + label);
      List<ShardResult> shards =
          new ArrayList<>(
              sc.parallelize(plan.shards(), plan.partitions())
                  .map(new ShardTask(withOut(s, out), checkpoint, threads, head))
                  .collect());
      shards.sort(Comparator.comparingInt(r -> r.shard().index()));
      for (ShardResult r : shards) {
        if (r.error() != null) throw new UsageException(r.error());
      }
      float[] pixels = head(shards, head, image);
      int shown = Math.min(GRID, head);
      float[] grid = java.util.Arrays.copyOf(pixels, shown * image.size());
      ImageGrid.of(new ImageBatch(grid, shown, image.channels(), image.height(), image.width()))
          .optRange(0, 1)
          .optScale(GanSampler.scale(image.height()))
          .write(out.resolve("grid.png"));
      Result result = score(shards, pixels, eval, s.evaluate(), image);
      if (result.report() != null) {
        console.print(result.report().format());
        console.printf(
            Locale.ROOT,
            "all %,d images: Fréchet distance %.4f, class entropy %.4f, classes %s%n",
            s.count(),
            result.frechetAll(),
            result.classesAll().entropy(),
            java.util.Arrays.toString(result.classesAll().counts()));
        AtomicFiles.writeString(
            out.resolve("evaluation.json"), JSON.writeValueAsString(evaluationJson(result)) + "\n");
      }
      ArrayNode files = manifest.putArray("shards");
      for (ShardResult r : shards) {
        files
            .addObject()
            .put("file", r.file())
            .put("first", r.shard().first())
            .put("count", r.shard().count());
      }
      AtomicFiles.writeString(
          out.resolve("manifest.json"), JSON.writeValueAsString(manifest) + "\n");
      console.printf(
          Locale.ROOT,
          "wrote %s%s, grid.png and manifest.json to %s%n",
          s.format() == Format.NPY
              ? plan.partitions() + " shards part-NNNNN.npy (n, C, H, W) float32 in [0, 1]"
              : s.format() == Format.PNG ? "images/*.png" : "no images (--format none)",
          result.report() == null ? "" : ", evaluation.json",
          out);
      return result;
    } finally {
      if (eval != null) eval.close();
    }
  }

  private static Settings withOut(Settings s, Path out) {
    return new Settings(
        s.source(),
        s.raw(),
        s.count(),
        s.seed(),
        out.toString(),
        s.partitions(),
        s.format(),
        s.evaluate(),
        s.classifier(),
        s.label());
  }

  /** The pixels of the first {@code head} images, gathered from the shards that hold them. */
  private static float[] head(List<ShardResult> shards, int head, ImageShape image) {
    float[] pixels = new float[head * image.size()];
    for (ShardResult r : shards) {
      if (r.shard().first() < head) {
        System.arraycopy(
            r.head(), 0, pixels, (int) r.shard().first() * image.size(), r.head().length);
      }
    }
    return pixels;
  }

  private static Result score(
      List<ShardResult> shards, float[] head, RunEvaluation eval, int subset, ImageShape image) {
    if (eval == null) return new Result(shards, null, null, Double.NaN, null);
    FeatureMoments all = FeatureMoments.empty(shards.get(0).moments().dimension());
    long[] classes = new long[shards.get(0).classes().length];
    for (ShardResult r : shards) {
      all = all.merge(r.moments());
      for (int c = 0; c < classes.length; c++) classes[c] += r.classes()[c];
    }
    float[] first = new float[subset * image.size()];
    for (int i = 0; i < first.length; i++) first[i] = 2 * head[i] - 1; // → the data's [-1, 1]
    EvalReport report = eval.evaluate(first, subset);
    double fd = FrechetDistance.between(all.toStats(), eval.referenceStats());
    return new Result(shards, all, report, fd, new ClassHistogram(classes));
  }

  /** Scoring against the test split of the run's data, the floor from its training split. */
  private static RunEvaluation evaluation(TrainConfig c, ImageShape image, Settings s)
      throws IOException {
    if (s.evaluate() > s.count()) {
      throw new UsageException(
          "--evaluate "
              + s.evaluate()
              + " scores more images than --count "
              + s.count()
              + " makes");
    }
    RunEvaluation.checkCount("--evaluate", s.evaluate());
    int ch = image.channels();
    int h = image.height();
    int w = image.width();
    ImageSet train = DataSources.load(c.dataset(), c.data(), Split.TRAIN, ch, h, w, c.seed());
    ImageSet test = DataSources.load(c.dataset(), c.data(), Split.TEST, ch, h, w, c.seed());
    Path classifier = s.classifier() == null ? null : Path.of(s.classifier());
    return RunEvaluation.open(test, train, classifier, s.evaluate(), 0, null, System.out);
  }

  private static ObjectNode manifest(
      Settings s, Path checkpoint, ImageShape image, ShardPlan plan) {
    ObjectNode m = JSON.createObjectNode();
    m.put("format", "convmirror-shards/1");
    m.put("checkpoint", checkpoint.toString());
    m.put("raw", s.raw());
    m.put("count", s.count());
    m.put("seed", s.seed());
    m.putArray("shape").add(image.channels()).add(image.height()).add(image.width());
    m.put("pixels", "float32 in [0, 1]; image i from latent vector i of the seed");
    m.put("chunk", ShardPlan.CHUNK);
    m.put("partitions", plan.partitions());
    m.put("images", s.format().name().toLowerCase(Locale.ROOT));
    return m;
  }

  /**
   * Refuses an output folder that holds anything but an earlier run of the same sample, whose files
   * a new run would rewrite with the same bytes.
   */
  private static void checkOut(Path out, ObjectNode manifest) throws IOException {
    if (Files.isRegularFile(out)) {
      throw new UsageException("--out " + out + " is a file; give a folder for the shards");
    }
    if (!Files.isDirectory(out)) {
      Files.createDirectories(out);
      return;
    }
    Path previous = out.resolve("manifest.json");
    if (Files.isRegularFile(previous)) {
      ObjectNode before = (ObjectNode) JSON.readTree(previous.toFile());
      before.remove("shards");
      if (before.equals(manifest)) return;
    }
    try (var entries = Files.list(out)) {
      if (entries.findAny().isPresent()) {
        throw new UsageException(
            "--out "
                + out
                + " is not empty and holds no shards of this sample; choose a new folder");
      }
    }
  }

  private static ObjectNode evaluationJson(Result r) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode all = root.putObject("all");
    all.put("generatedCount", r.moments().count());
    all.put("referenceCount", r.report().referenceCount());
    all.put("frechet", r.frechetAll());
    all.set("generatedClasses", JSON.valueToTree(r.classesAll().counts()));
    all.put("classEntropyNats", r.classesAll().entropy());
    root.set("subset", r.report().toJsonTree());
    return root;
  }
}
