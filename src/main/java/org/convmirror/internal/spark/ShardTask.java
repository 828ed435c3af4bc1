package org.convmirror.internal.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import org.apache.spark.api.java.function.Function;
import org.convmirror.error.UsageException;
import org.convmirror.internal.eval.Classifiers;
import org.convmirror.internal.eval.FeatureClassifier;
import org.convmirror.internal.eval.FeatureMoments;
import org.convmirror.internal.eval.PixelRange;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.train.Randomness;
import org.convmirror.spec.ImageShape;

/**
 * The Spark task of one shard: decodes its chunks from latent vectors keyed by the global image
 * index, writes them (one {@code .npy} per shard, or a PNG per image named by its index), and
 * returns the features' mergeable statistics. Runs in the executor's JVM beside other shards: it
 * only samples, and sampling draws every random number in Java and never records gradients.
 */
final class ShardTask implements Function<ShardPlan.Shard, ShardResult> {
  private static final long serialVersionUID = 1L;

  private final SampleJob.Settings settings;
  private final String checkpoint;
  private final int threads;
  private final int headCount;
  private final int digits;

  ShardTask(SampleJob.Settings settings, Path checkpoint, int threads, int headCount) {
    this.settings = settings;
    this.checkpoint = checkpoint.toString();
    this.threads = threads;
    this.headCount = headCount;
    this.digits = Math.max(5, Long.toString(settings.count() - 1).length());
  }

  @Override
  public ShardResult call(ShardPlan.Shard shard) throws IOException {
    EngineSetup.useThreads(threads);
    try (LoadedModel model =
            SavedModel.open(Paths.get(checkpoint)).forSampling(settings.raw(), System.err);
        Features features = settings.evaluate() > 0 ? new Features(settings.classifier()) : null) {
      ImageShape image = model.image();
      float[] head =
          new float
              [(int) Math.max(0, Math.min(headCount - shard.first(), shard.count()))
                  * image.size()];
      Path out = Paths.get(settings.out());
      String file = "";
      Npy.FloatSink discard = (values, offset, length) -> {};
      switch (settings.format()) {
        case NPY -> {
          file = String.format(Locale.ROOT, "part-%05d.npy", shard.index());
          long[] shape = {shard.count(), image.channels(), image.height(), image.width()};
          Npy.write(
              out.resolve(file), shape, sink -> decode(model, shard, features, head, sink, null));
        }
        case PNG -> {
          file = "images";
          decode(model, shard, features, head, discard, out.resolve(file));
        }
        case NONE -> decode(model, shard, features, head, discard, null);
      }
      return new ShardResult(
          shard,
          file,
          features == null ? null : features.moments,
          features == null ? null : features.classes,
          head,
          null);
    } catch (UsageException e) {
      return ShardResult.failed(shard, e.getMessage()); // the same on every attempt: no retry
    }
  }

  /** Every chunk of the shard, in order, to {@code sink}, PNGs, the statistics and the head. */
  private void decode(
      LoadedModel model,
      ShardPlan.Shard shard,
      Features features,
      float[] head,
      Npy.FloatSink sink,
      Path pngs)
      throws IOException {
    ImageShape image = model.image();
    int per = image.size();
    long end = shard.first() + shard.count();
    for (long first = shard.first(); first < end; first += ShardPlan.CHUNK) {
      int n = (int) Math.min(ShardPlan.CHUNK, end - first);
      float[] z = Randomness.latents(settings.seed(), first, n, model.latentSize());
      float[] x = model.decode(z, model.labels(label(model, settings), first, n), n);
      sink.write(x, 0, x.length);
      int offset = (int) ((first - shard.first()) * per);
      if (offset < head.length) {
        System.arraycopy(x, 0, head, offset, Math.min(x.length, head.length - offset));
      }
      if (pngs != null) {
        ImageBatch batch = new ImageBatch(x, n, image.channels(), image.height(), image.width());
        ImageGrid.writePngs(pngs, batch, 0, 1, first, digits);
      }
      if (features != null) features.add(x, n, first);
    }
  }

  /**
   * The class every image is drawn as, said for people and the manifest ({@code 2 (ring)}, {@code
   * balanced: image i of class i mod 3}); null for an unconditional model.
   */
  static String describeLabel(LoadedModel model, SampleJob.Settings s) {
    if (s.label() == null) {
      return model.conditioning() == null
          ? null
          : "balanced: image i of class i mod " + model.conditioning().classes();
    }
    int y = label(model, s);
    return y + " (" + model.conditioning().name(y) + ")";
  }

  /** The label each image of {@code s} is drawn as, or {@link LoadedModel#ANY}. */
  static int label(LoadedModel model, SampleJob.Settings s) {
    return s.label() == null ? LoadedModel.ANY : model.classIndex(s.label());
  }

  /** The classifier and the running statistics of one shard. */
  private final class Features implements AutoCloseable {
    final FeatureClassifier classifier;
    FeatureMoments moments = FeatureMoments.empty(FeatureClassifier.FEATURE_DIM);
    final long[] classes;

    Features(String path) throws IOException {
      classifier = path == null ? Classifiers.loadFashionMnist() : Classifiers.load(Path.of(path));
      classes = new long[classifier.classes()];
    }

    void add(float[] pixels, int n, long first) {
      PixelRange.check(
          pixels,
          pixels.length,
          String.format(Locale.ROOT, "images %d to %d of %s", first, first + n - 1, checkpoint),
          "the model has diverged: sample an earlier checkpoint");
      float[] x = new float[pixels.length];
      for (int i = 0; i < x.length; i++) x[i] = 2 * pixels[i] - 1; // [0, 1] → the data's [-1, 1]
      moments =
          moments.merge(
              FeatureMoments.of(classifier.features(x, n), FeatureClassifier.FEATURE_DIM));
      for (int c : classifier.predict(x, n)) classes[c]++;
    }

    @Override
    public void close() {
      classifier.close();
    }
  }
}
