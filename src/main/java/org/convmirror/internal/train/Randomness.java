package org.convmirror.internal.train;

import java.util.SplittableRandom;
import org.convmirror.internal.data.Seeds;

/**
 * The randomness policy of a run, decided here once: every random draw is a function of (the run's
 * seed, a named stream, a position such as the iteration), never of what ran before it. A resumed
 * run therefore draws exactly what an uninterrupted one would, whatever side computation (a sample
 * grid, an evaluation, a checkpoint) ran in between, and a draw made on another thread, process or
 * machine is the same draw.
 *
 * <p>Draws are made in Java and uploaded, not taken from the engine's global generator, which is
 * one per process and shared by everything in it.
 */
public final class Randomness {

  /** What a draw is for. Each stream has a fixed id, so adding a stream changes no other draw. */
  public enum Stream {
    /** Initial weights (position: the parameter's index). */
    INIT(1),
    /** The order of the training data (position: the epoch). */
    DATA_ORDER(2),
    /** Latent noise of a training step (position: the iteration). */
    NOISE(3),
    /** The fixed latent vectors of the per-epoch grid. */
    FIXED_NOISE(4),
    /** Augmentation parameters of a training step (position: the iteration). */
    AUGMENT(5),
    /** Interpolation weights of a gradient penalty (position: the iteration). */
    PENALTY(6),
    /** The passes that estimate batch-norm statistics for sampling. */
    STANDING_STATS(7),
    /** Samples drawn for evaluation during training (position: the epoch). */
    EVALUATION(8),
    /** Draws inside the engine that cannot be made in Java, e.g. dropout (position: iteration). */
    ENGINE(9),
    /** The VAE's reparameterisation noise ε (position: the iteration). */
    POSTERIOR(10),
    /** ε for the test-split ELBO after each epoch (the same every epoch). */
    TEST_POSTERIOR(11),
    /**
     * Class labels of a conditional GAN's generated batches, uniform over the classes (position:
     * the iteration).
     */
    LABELS(12),
    /**
     * Horizontal flips of real images (position: the epoch; one draw per image of the data, keyed
     * by its index).
     */
    FLIP(13);

    private final long id;

    Stream(long id) {
      this.id = id;
    }
  }

  private final long seed;

  public Randomness(long seed) {
    this.seed = seed;
  }

  /** The run's seed. */
  public long seed() {
    return seed;
  }

  /** The seed of {@code stream} at {@code position}. */
  public long seed(Stream stream, long position) {
    return Seeds.mix(Seeds.mix(seed, stream.id), position);
  }

  /** A generator for {@code stream} at {@code position}; a fresh one gives the same draws. */
  public SplittableRandom random(Stream stream, long position) {
    return Seeds.random(seed, stream.id, position);
  }

  /** A 32-bit seed for an engine whose generator takes an int (libtorch's, through DJL). */
  public int engineSeed(Stream stream, long position) {
    long s = seed(stream, position);
    return (int) (s ^ (s >>> 32));
  }

  /** {@code n} standard normal draws from {@code stream} at {@code position}. */
  public float[] gaussian(Stream stream, long position, int n) {
    return gaussian(random(stream, position), n);
  }

  /**
   * Latent vectors {@code first} to {@code first + n - 1} of the sample with {@code seed}, each of
   * {@code size} N(0, 1) values drawn from its own generator keyed by its index: image i of a
   * sample is the same whether it is drawn alone, in chunks, or in another process.
   */
  public static float[] latents(long seed, long first, int n, int size) {
    float[] z = new float[Math.multiplyExact(n, size)];
    for (int i = 0; i < n; i++) {
      float[] one = Seeds.gaussian(new SplittableRandom(Seeds.mix(seed, first + i)), size);
      System.arraycopy(one, 0, z, i * size, size);
    }
    return z;
  }

  /** {@code n} standard normal draws (see {@link Seeds#gaussian}). */
  public static float[] gaussian(SplittableRandom r, int n) {
    return Seeds.gaussian(r, n);
  }
}
