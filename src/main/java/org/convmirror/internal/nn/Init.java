package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.SplittableRandom;
import org.convmirror.internal.data.Seeds;

/**
 * DCGAN initialisation (Radford, Metz &amp; Chintala 2016, "Unsupervised Representation Learning
 * with Deep Convolutional Generative Adversarial Networks", arXiv:1511.06434): every convolution,
 * transposed convolution and linear weight from N(0, 0.02), biases 0, batch-norm gamma from N(1,
 * 0.02) and beta 0.
 *
 * <p>Parameters are selected by DJL {@link Parameter.Type}, so it covers DJL's {@code Conv2d},
 * {@code Linear}, {@code BatchNorm} and our blocks alike; non-trainable state such as running
 * statistics or spectral-norm vectors ({@code RUNNING_MEAN}/{@code RUNNING_VAR}) is left alone. A
 * frozen gamma/beta (a batch norm without its own scale and shift, inside {@link
 * ConditionalBatchNorm}) is the identity, 1 and 0. A conditional generator's label embedding
 * ({@code OTHER}, named {@link ConditionalGenerator#EMBEDDING}) is drawn from N(0, 1), as {@code
 * torch.nn.Embedding} draws it, the scale of the latent vector it is joined to.
 */
public final class Init {

  /** The standard deviation the DCGAN paper prescribes for all weights. */
  public static final float DCGAN_STD = 0.02f;

  private Init() {}

  /** N(0, 0.02). */
  public static Initializer dcganWeight() {
    return new NormalInitializer(DCGAN_STD);
  }

  /** N(0, 1), for a label embedding joined to N(0, 1) latent vectors. */
  public static Initializer embedding() {
    return new NormalInitializer(1f);
  }

  /** N(1, 0.02), for batch-norm gamma. */
  public static Initializer dcganGamma() {
    return (manager, shape, dataType) ->
        manager.randomNormal(1f, DCGAN_STD, shape, dataType, manager.getDevice());
  }

  /**
   * Sets the DCGAN initializers on every parameter of a block tree, for a block that is not yet
   * initialized: DJL applies them in {@code Block.initialize}.
   */
  public static void setDcganInitializers(Block block) {
    block.setInitializer(dcganWeight(), Parameter.Type.WEIGHT);
    block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    block.setInitializer(dcganGamma(), Parameter.Type.GAMMA);
    block.setInitializer(Initializer.ZEROS, Parameter.Type.BETA);
  }

  /**
   * Redraws, in place, every weight, bias, gamma and beta of an already initialized block tree with
   * DCGAN's distributions, and every spectral-norm start vector as a random unit vector; the draws
   * are made in Java from {@code seed} and the parameter's index, not by the engine, so that they
   * do not depend on what else the process has drawn (or is drawing on another thread).
   *
   * <p>In place (the arrays keep their identity) so that a trainer or parameter store that already
   * holds them sees the new values. Running statistics keep their defaults.
   */
  public static void dcgan(Block block, long seed) {
    setDcganInitializers(block);
    int index = 0;
    for (Parameter p : block.getParameters().values()) {
      long s = Seeds.mix(seed, index++);
      if (!p.isInitialized()) continue;
      NDArray array = p.getArray();
      int n = Math.toIntExact(array.size());
      boolean trained = p.requiresGradient();
      float[] values =
          switch (p.getType()) {
            case WEIGHT -> scaled(Seeds.gaussian(new SplittableRandom(s), n), DCGAN_STD, 0);
            case GAMMA ->
                scaled(Seeds.gaussian(new SplittableRandom(s), n), trained ? DCGAN_STD : 0, 1);
            case BIAS, BETA -> new float[n];
            case OTHER ->
                trained && p.getName().equals(ConditionalGenerator.EMBEDDING)
                    ? Seeds.gaussian(new SplittableRandom(s), n)
                    : null;
            case RUNNING_MEAN ->
                SpectralNormBlock.isPowerIterationVector(p)
                    ? unit(Seeds.gaussian(new SplittableRandom(s), n))
                    : null;
            default -> null;
          };
      if (values != null) InPlace.copy(values, array);
    }
  }

  private static float[] scaled(float[] z, float std, float mean) {
    for (int i = 0; i < z.length; i++) z[i] = mean + std * z[i];
    return z;
  }

  private static float[] unit(float[] z) {
    double norm = 0;
    for (float v : z) norm += (double) v * v;
    float inverse = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < z.length; i++) z[i] *= inverse;
    return z;
  }
}
