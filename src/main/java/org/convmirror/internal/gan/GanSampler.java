package org.convmirror.internal.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.internal.nn.NativeInference;
import org.convmirror.internal.nn.StandingStats;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.ImageSource;
import org.convmirror.internal.train.Randomness;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ImageShape;

/**
 * Draws images from a trained generator: standing batch-norm statistics (see {@link
 * StandingStats}), then inference mode, so an image depends only on its latent vector (and, in a
 * conditional model, its class).
 */
public final class GanSampler {
  /** Latent vectors pushed through the generator per engine call when sampling. */
  public static final int CHUNK = 500;

  private GanSampler() {}

  /** Recomputes the generator's standing statistics; call once before {@link #forward}. */
  public static void prepare(
      Block generator, DeconvNet spec, ParameterStore store, NDManager manager, long seed) {
    prepare(
        generator, new LatentInput(spec.latent(), spec.dense().isEmpty(), 0), store, manager, seed);
  }

  /** As above, for a generator that takes {@code input}, labels included when conditional. */
  public static void prepare(
      Block generator, LatentInput input, ParameterStore store, NDManager manager, long seed) {
    long passes = new Randomness(seed).seed(Randomness.Stream.STANDING_STATS, 0);
    StandingStats.recompute(
        generator, store, manager, input.latentShape(StandingStats.BATCH), input.classes(), passes);
  }

  /**
   * Generator outputs for {@code z} in inference mode, N×C×H×W in the output activation's range.
   */
  public static float[] forward(
      Block generator, ParameterStore store, NDManager manager, NDArray z) {
    return forward(generator, store, manager, new NDList(z));
  }

  /** As above for the generator's whole input: latents, and labels when conditional. */
  public static float[] forward(
      Block generator, ParameterStore store, NDManager manager, NDList inputs) {
    try (NDManager tmp = manager.newSubManager()) {
      NDList copies = new NDList(inputs.size());
      for (NDArray a : inputs) {
        NDArray c = a.duplicate();
        c.attach(tmp);
        copies.add(c);
      }
      return generator.forward(store, copies, false).singletonOrThrow().toFloatArray();
    }
  }

  /** The fixed-noise grid of a training run, upscaled so that small images stay visible. */
  static ImageGrid grid(
      Block generator,
      DeconvNet spec,
      ParameterStore store,
      NDManager manager,
      NDArray fixedNoise,
      long seed) {
    prepare(generator, spec, store, manager, seed);
    float[] images = forward(generator, store, manager, fixedNoise);
    ImageShape shape = spec.output();
    int n = (int) fixedNoise.getShape().get(0);
    return ImageGrid.of(new ImageBatch(images, n, shape.channels(), shape.height(), shape.width()))
        .optRange(-1, 1)
        .optScale(scale(shape.height()));
  }

  /**
   * A conditional generator's class-by-row grid: row r shows class r, column c the fixed latent
   * vector c (see {@link ClassLabels.Grid}).
   */
  static ImageGrid classGrid(
      Block generator,
      LatentInput input,
      ImageShape image,
      ParameterStore store,
      NDManager manager,
      NDArray fixedNoise,
      long seed) {
    prepare(generator, input, store, manager, seed);
    ClassLabels.Grid grid =
        ClassLabels.Grid.of(fixedNoise.toFloatArray(), input.latent(), input.classes());
    float[] images;
    try (NDManager tmp = manager.newSubManager()) {
      images =
          forward(
              generator, store, manager, input.create(tmp, grid.z(), grid.labels(), grid.count()));
    }
    return ImageGrid.of(
            new ImageBatch(images, grid.count(), image.channels(), image.height(), image.width()))
        .optRange(-1, 1)
        .optCols(grid.cols())
        .optScale(scale(image.height()));
  }

  /**
   * Samples of a generator (in inference mode, standing statistics first) in chunks of 500, image i
   * from latent vector i of {@link Randomness#latents}.
   */
  public static ImageSource source(
      Block generator, DeconvNet spec, ParameterStore store, NDManager manager, long statsSeed) {
    LatentInput input = new LatentInput(spec.latent(), spec.dense().isEmpty(), 0);
    return source(generator, spec, input, spec.output(), store, manager, statsSeed);
  }

  /**
   * As above for a generator built from {@code net} that takes {@code input}; a conditional one
   * draws image i as class i mod classes ({@link ClassLabels#cycling}), every class equally often.
   * Each batch is one native call ({@link NativeInference}) unless that is off.
   */
  public static ImageSource source(
      Block generator,
      DeconvNet net,
      LatentInput input,
      ImageShape image,
      ParameterStore store,
      NDManager manager,
      long statsSeed) {
    return (count, seed) -> {
      prepare(generator, input, store, manager, statsSeed);
      float[] out = new float[count * image.size()];
      // Made after the standing statistics, from this moment's weights; freed at the end.
      try (NativeInference fast =
          NativeInference.of(generator, net, NativeInference.Output.RAW, manager)) {
        for (int done = 0; done < count; done += CHUNK) {
          int n = Math.min(CHUNK, count - done);
          float[] x;
          try (NDManager tmp = manager.newSubManager()) {
            float[] z = Randomness.latents(seed, done, n, input.latent());
            int[] y = input.conditional() ? ClassLabels.cycling(done, n, input.classes()) : null;
            NDList in = input.create(tmp, z, y, n);
            x = fast != null ? fast.pixels(in) : forward(generator, store, manager, in);
          }
          System.arraycopy(x, 0, out, done * image.size(), x.length);
        }
      }
      return out;
    };
  }

  /** ×3 for 28-pixel images, ×1 from 96 pixels up. */
  public static int scale(int height) {
    return Math.max(1, Math.min(4, 96 / height));
  }
}
