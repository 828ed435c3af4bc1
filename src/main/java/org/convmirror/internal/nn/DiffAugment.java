package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.convmirror.options.AugmentPolicy;

/**
 * Differentiable augmentation (Zhao, Liu, Lin, Zhu &amp; Han 2020, "Differentiable Augmentation for
 * Data-Efficient GAN Training", arXiv:2006.10738): random colour, translation and cutout applied
 * alike to the real and the generated images a discriminator sees, with gradients flowing back to
 * the input so that the generator step can augment its fakes too.
 *
 * <p>The policies are those of the authors' {@code DiffAugment_pytorch.py} (latest revision, which
 * rounds the ratios: a 28-pixel side shifts by up to ±4 and cuts 14):
 *
 * <ul>
 *   <li>{@code color}: brightness x + (r − 0.5), saturation (x − mean_c)·2r + mean_c (only with
 *       more than one channel: with one it is the identity), contrast (x − mean)·(r + 0.5) + mean,
 *       r ~ U[0, 1) per image. Images here are in [-1, 1], as in the authors' StyleGAN2 and BigGAN
 *       training code, so the brightness shift of at most ±0.5 is ±1/4 of the range, as there;
 *       saturation and contrast scale around a mean and do not depend on the range.
 *   <li>{@code translation}: a shift by up to round(size/8) pixels in each direction, zeros filling
 *       in.
 *   <li>{@code cutout}: a square of half the image's size, centred anywhere on it (clipped at the
 *       border), set to zero.
 * </ul>
 *
 * <p>Every random number is drawn in Java from the given {@link SplittableRandom} and uploaded as a
 * few values per image, so a result depends only on that stream; the op itself holds no state.
 */
public final class DiffAugment {
  private final List<AugmentPolicy> policies;

  private DiffAugment(List<AugmentPolicy> policies) {
    this.policies = List.copyOf(policies);
  }

  /**
   * The augmentation of a comma-separated policy list, e.g. {@code "color,translation,cutout"} (see
   * {@link AugmentPolicy#parse}); the empty string is no augmentation.
   */
  public static DiffAugment of(String policies) {
    return new DiffAugment(AugmentPolicy.parse(policies));
  }

  public List<AugmentPolicy> policies() {
    return policies;
  }

  /** The augmented batch, (N, C, H, W) as {@code x}, in x's manager and recorded for autograd. */
  public NDArray apply(NDArray x, SplittableRandom random) {
    Shape s = x.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException("DiffAugment takes images (N, C, H, W), was " + s);
    }
    return apply(x, draw(random, (int) s.get(0), (int) s.get(2), (int) s.get(3)));
  }

  /**
   * A batch's random parameters, one value per image in each array; a policy not in the list leaves
   * its arrays null. Drawn policy by policy in order, each quantity for every image before the next
   * quantity; colour draws saturation even for one channel, where it is not applied.
   */
  record Draw(
      float[] brightness,
      float[] saturation,
      float[] contrast,
      int[] shiftH,
      int[] shiftW,
      int[] cutH,
      int[] cutW) {}

  Draw draw(SplittableRandom r, int n, int height, int width) {
    float[][] color = new float[3][];
    int[][] shift = new int[2][];
    int[][] cut = new int[2][];
    for (AugmentPolicy p : policies) {
      switch (p) {
        case COLOR -> {
          for (int q = 0; q < 3; q++) color[q] = uniform(r, n);
        }
        case TRANSLATION -> {
          shift[0] = integers(r, n, -shiftOf(height), shiftOf(height) + 1);
          shift[1] = integers(r, n, -shiftOf(width), shiftOf(width) + 1);
        }
        case CUTOUT -> {
          // as the official code: centres 0..size, or 0..size−1 when the square's side is odd
          cut[0] = integers(r, n, 0, height + 1 - cutOf(height) % 2);
          cut[1] = integers(r, n, 0, width + 1 - cutOf(width) % 2);
        }
      }
    }
    return new Draw(color[0], color[1], color[2], shift[0], shift[1], cut[0], cut[1]);
  }

  static int shiftOf(int size) {
    return (int) (size * 0.125 + 0.5);
  }

  static int cutOf(int size) {
    return (int) (size * 0.5 + 0.5);
  }

  NDArray apply(NDArray x, Draw d) {
    NDManager home = x.getManager();
    try (NDManager tmp = home.newSubManager()) {
      x.tempAttach(tmp);
      NDArray y = x;
      for (AugmentPolicy p : policies) {
        y =
            switch (p) {
              case COLOR -> color(y, d);
              case TRANSLATION -> translate(y, d.shiftH(), d.shiftW());
              case CUTOUT -> cutout(y, d.cutH(), d.cutW());
            };
      }
      y.attach(home);
      return y;
    }
  }

  private static NDArray color(NDArray x, Draw d) {
    long n = x.getShape().get(0);
    NDArray y = x.add(perImage(x, d.brightness()).sub(0.5f));
    if (x.getShape().get(1) > 1) {
      NDArray mean = y.mean(new int[] {1}, true);
      y = y.sub(mean).mul(perImage(x, d.saturation()).mul(Owned.scalar(x, 2))).add(mean);
    }
    NDArray mean = y.reshape(n, -1).mean(new int[] {1}, true).reshape(n, 1, 1, 1);
    return y.sub(mean).mul(perImage(x, d.contrast()).add(0.5f)).add(mean);
  }

  /**
   * y = S·x·Tᵀ per image, S[i][k] = 1 where k = i + shiftH (likewise T): y[i][j] = x[i + shiftH][j
   * + shiftW], zero outside. Built on the engine from the N shifts, so only they are uploaded.
   */
  private static NDArray translate(NDArray x, int[] shiftH, int[] shiftW) {
    NDArray s = shiftMatrix(x, shiftH, 2);
    NDArray t = shiftMatrix(x, shiftW, 3);
    return s.matMul(x).matMul(t.transpose(0, 1, 3, 2));
  }

  /** (N, 1, L, L), L the size along {@code axis}: [i][k] = 1 where k = i + shift, else 0. */
  private static NDArray shiftMatrix(NDArray x, int[] shift, int axis) {
    long size = x.getShape().get(axis);
    NDManager m = x.getManager();
    NDArray i = m.arange((float) size).reshape(1, 1, size, 1);
    NDArray k = m.arange((float) size).reshape(1, 1, 1, size);
    NDArray target = i.add(m.create(toFloat(shift)).reshape(-1, 1, 1, 1));
    return k.eq(target).toType(x.getDataType(), false);
  }

  /** Zeroes, per image, the rows and columns of the square cut out around (cutH, cutW). */
  private static NDArray cutout(NDArray x, int[] cutH, int[] cutW) {
    NDArray inside = band(x, cutH, 2).mul(band(x, cutW, 3));
    return x.sub(x.mul(inside));
  }

  /** 1 on [centre − side/2, centre − side/2 + side − 1] ∩ [0, size − 1], per image, else 0. */
  private static NDArray band(NDArray x, int[] centre, int axis) {
    int size = (int) x.getShape().get(axis);
    int side = cutOf(size);
    float[] lo = new float[centre.length];
    float[] hi = new float[centre.length];
    for (int b = 0; b < centre.length; b++) {
      lo[b] = Math.max(0, centre[b] - side / 2);
      hi[b] = Math.min(size - 1, centre[b] - side / 2 + side - 1);
    }
    long[] along = {1, 1, 1, 1};
    along[axis] = size;
    long[] per = {centre.length, 1, 1, 1};
    NDManager m = x.getManager();
    NDArray i = m.arange((float) size).reshape(new Shape(along));
    NDArray in =
        i.gte(m.create(lo, new Shape(per))).logicalAnd(i.lte(m.create(hi, new Shape(per))));
    return in.toType(x.getDataType(), false);
  }

  private static NDArray perImage(NDArray x, float[] values) {
    return Owned.copy(x.getManager(), values, new Shape(values.length, 1, 1, 1))
        .toType(x.getDataType(), false);
  }

  private static float[] uniform(SplittableRandom r, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) r.nextDouble();
    return out;
  }

  private static int[] integers(SplittableRandom r, int n, int from, int until) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = r.nextInt(from, until);
    return out;
  }

  private static float[] toFloat(int[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  @Override
  public String toString() {
    return String.join(",", policies.stream().map(AugmentPolicy::id).toList());
  }
}
