package org.convmirror.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.convmirror.nn.Networks;
import org.convmirror.nn.StandingStats;
import org.convmirror.run.ImageBatch;
import org.convmirror.run.ImageGrid;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ImageShape;
import org.convmirror.train.ImageSource;
import org.convmirror.train.Randomness;

/**
 * Draws images from a trained generator: standing batch-norm statistics (see {@link
 * StandingStats}), then inference mode, so an image depends only on its latent vector.
 */
public final class GanSampler {
  /** Latent vectors pushed through the generator per engine call when sampling. */
  public static final int CHUNK = 500;

  private GanSampler() {}

  /** Recomputes the generator's standing statistics; call once before {@link #forward}. */
  public static void prepare(
      Block generator, DeconvNet spec, ParameterStore store, NDManager manager, long seed) {
    long passes = new Randomness(seed).seed(Randomness.Stream.STANDING_STATS, 0);
    StandingStats.recompute(
        generator, store, manager, Networks.latentShape(spec, StandingStats.BATCH), passes);
  }

  /**
   * Generator outputs for {@code z} in inference mode, N×C×H×W in the output activation's range.
   */
  public static float[] forward(
      Block generator, ParameterStore store, NDManager manager, NDArray z) {
    try (NDManager tmp = manager.newSubManager()) {
      NDArray input = z.duplicate();
      input.attach(tmp);
      return generator.forward(store, new NDList(input), false).singletonOrThrow().toFloatArray();
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
   * Samples of a generator (in inference mode, standing statistics first) in chunks of 500, image i
   * from latent vector i of {@link Randomness#latents}.
   */
  public static ImageSource source(
      Block generator, DeconvNet spec, ParameterStore store, NDManager manager, long statsSeed) {
    return (count, seed) -> {
      prepare(generator, spec, store, manager, statsSeed);
      ImageShape image = spec.output();
      float[] out = new float[count * image.size()];
      for (int done = 0; done < count; done += CHUNK) {
        int n = Math.min(CHUNK, count - done);
        float[] x;
        try (NDManager tmp = manager.newSubManager()) {
          NDArray z =
              tmp.create(
                  Randomness.latents(seed, done, n, spec.latent()), Networks.latentShape(spec, n));
          x = forward(generator, store, manager, z);
        }
        System.arraycopy(x, 0, out, done * image.size(), x.length);
      }
      return out;
    };
  }

  /** ×3 for 28-pixel images, ×1 from 96 pixels up. */
  public static int scale(int height) {
    return Math.max(1, Math.min(4, 96 / height));
  }
}
