package org.convmirror.internal.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongUnaryOperator;
import org.convmirror.options.AugmentPolicy;

/**
 * Random horizontal flips of real images, the standard augmentation for faces and objects (the
 * {@code --mirror} of StyleGAN's training, Karras et al. 2019), applied as batches are assembled:
 * image {@code i} is flipped in epoch {@code e} when a draw keyed by (the run's flip stream at
 * position e, i) says so, so a resumed run flips exactly what an uninterrupted one would, whatever
 * the batch size, prefetching or thread.
 */
public final class Flip {
  /** The policy's name in {@code --augment}, beside DiffAugment's. */
  public static final String POLICY = AugmentPolicy.FLIP;

  /** No flips. */
  public static final Flip NONE = new Flip(null);

  private final LongUnaryOperator seedOfEpoch;

  private Flip(LongUnaryOperator seedOfEpoch) {
    this.seedOfEpoch = seedOfEpoch;
  }

  /** Flips half of the images, drawn from the seed {@code seedOfEpoch} gives each epoch. */
  public static Flip keyed(LongUnaryOperator seedOfEpoch) {
    return new Flip(seedOfEpoch);
  }

  /**
   * Whether {@code policies} (an {@code --augment} list such as {@code flip,color}) asks for it.
   */
  public static boolean requested(String policies) {
    return names(policies).anyMatch(POLICY::equals);
  }

  /** {@code policies} without {@code flip}: what DiffAugment applies. */
  public static String without(String policies) {
    return String.join(",", names(policies).filter(n -> !n.equals(POLICY)).toList());
  }

  private static java.util.stream.Stream<String> names(String policies) {
    return Arrays.stream(policies.split(","))
        .map(n -> n.strip().toLowerCase(Locale.ROOT))
        .filter(n -> !n.isEmpty());
  }

  /** Whether any image is ever flipped. */
  public boolean active() {
    return seedOfEpoch != null;
  }

  /** Whether image {@code image} of the data is flipped in {@code epoch}. */
  public boolean flips(int epoch, int image) {
    return seedOfEpoch != null && Seeds.mix(seedOfEpoch.applyAsLong(epoch), image) < 0;
  }

  /** Mirrors the C×H×W image at {@code offset} of {@code pixels} left to right, in place. */
  static void mirror(float[] pixels, int offset, int channels, int height, int width) {
    for (int row = 0; row < channels * height; row++) {
      int start = offset + row * width;
      for (int l = start, r = start + width - 1; l < r; l++, r--) {
        float t = pixels[l];
        pixels[l] = pixels[r];
        pixels[r] = t;
      }
    }
  }
}
