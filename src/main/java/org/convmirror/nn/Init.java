package org.convmirror.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * DCGAN initialisation (Radford, Metz &amp; Chintala 2016, "Unsupervised Representation Learning
 * with Deep Convolutional Generative Adversarial Networks", arXiv:1511.06434): every convolution,
 * transposed convolution and linear weight from N(0, 0.02), biases 0, batch-norm gamma from N(1,
 * 0.02) and beta 0.
 *
 * <p>Parameters are selected by DJL {@link Parameter.Type}, so it covers DJL's {@code Conv2d},
 * {@code Linear}, {@code BatchNorm} and our blocks alike; non-trainable state such as running
 * statistics or spectral-norm vectors ({@code RUNNING_MEAN}/{@code RUNNING_VAR}) is left alone.
 */
public final class Init {

  /** The standard deviation the DCGAN paper prescribes for all weights. */
  public static final float DCGAN_STD = 0.02f;

  private Init() {}

  /** N(0, 0.02). */
  public static Initializer dcganWeight() {
    return new NormalInitializer(DCGAN_STD);
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
   * DCGAN's distributions, after seeding the engine's generator with {@code seed}.
   *
   * <p>In place (the arrays keep their identity) so that a trainer or parameter store that already
   * holds them sees the new values. Uninitialized parameters get the initializers for later.
   */
  public static void dcgan(Block block, int seed) {
    setDcganInitializers(block);
    Engine.getInstance().setRandomSeed(seed);
    for (Parameter p : block.getParameters().values()) {
      Initializer init = initializerFor(p.getType());
      if (init == null || !p.isInitialized()) {
        continue;
      }
      NDArray array = p.getArray();
      // Fresh values are temporaries: draw them in a sub-manager so the model's stays clean.
      try (NDManager sub = array.getManager().newSubManager()) {
        NDArray fresh = init.initialize(sub, array.getShape(), array.getDataType());
        InPlace.copy(fresh, array);
      }
    }
  }

  private static Initializer initializerFor(Parameter.Type type) {
    switch (type) {
      case WEIGHT:
        return dcganWeight();
      case GAMMA:
        return dcganGamma();
      case BIAS:
      case BETA:
        return Initializer.ZEROS;
      default:
        return null;
    }
  }
}
