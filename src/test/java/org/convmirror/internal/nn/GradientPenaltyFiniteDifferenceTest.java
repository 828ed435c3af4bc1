package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * The penalties' input gradients and their gradients with respect to every critic parameter against
 * central finite differences, in double precision, through each op our discriminators use:
 * convolution, batch norm (training and inference), leaky ReLU, ELU, max-pool, dropout, dense
 * layers and spectral norm.
 */
@Tier.Engine
class GradientPenaltyFiniteDifferenceTest {
  private static final Shape IMAGES = new Shape(3, 1, 6, 6);
  private static final double H = 1e-5;

  /**
   * conv → batch norm → leaky ReLU → max-pool → dropout → dense → GELU → dense, in training mode
   * (batch statistics; dropout's mask fixed by seeding the engine before every evaluation).
   */
  private static SequentialBlock trainingCritic() {
    return new SequentialBlock()
        .add(Conv2d.builder().setFilters(3).setKernelShape(new Shape(3, 3)).build())
        .add(BatchNorm.builder().build())
        .add(Activation.leakyReluBlock(0.2f))
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(Dropout.builder().optRate(0.3f).build())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(4).build())
        .add(Activation.geluBlock())
        .add(Linear.builder().setUnits(1).build());
  }

  /**
   * Spectral-norm conv → batch norm → ELU → dropout → spectral-norm dense → tanh → dense → ReLU →
   * dense → sigmoid, in inference mode (running statistics, stored u and v, no dropout).
   */
  private static SequentialBlock inferenceCritic() {
    return new SequentialBlock()
        .add(
            SnConv2d.builder()
                .setFilters(3)
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1))
                .build())
        .add(BatchNorm.builder().build())
        .add(Activation.eluBlock(1f))
        .add(Dropout.builder().optRate(0.5f).build())
        .add(Blocks.batchFlattenBlock())
        .add(SnLinear.builder().setUnits(4).build())
        .add(Activation.tanhBlock())
        .add(Linear.builder().setUnits(3).build())
        .add(Activation.reluBlock())
        .add(Linear.builder().setUnits(1).build())
        .add(Activation.sigmoidBlock());
  }

  private interface Penalty {
    GradientPenalty.Result of(UnaryOperator<NDArray> critic, NDArray real, NDArray fake);
  }

  private static final float[] EPSILON = {0.2f, 0.7f, 0.95f};
  private static final Penalty WGAN_GP = (c, x, f) -> GradientPenalty.wganGp(c, x, f, EPSILON, 10);
  private static final Penalty R1 = (c, x, f) -> GradientPenalty.r1(c, x, 3);

  private static double[] uniform(SplittableRandom r, int n, double lo, double hi) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = r.nextDouble(lo, hi);
    return out;
  }

  /** Initialises in float64 with random weights (and random running statistics). */
  private static SequentialBlock init(SequentialBlock d, NDManager m, long seed) {
    d.initialize(m, DataType.FLOAT64, IMAGES);
    SplittableRandom r = new SplittableRandom(seed);
    for (Parameter p : d.getParameters().values()) {
      int n = Math.toIntExact(p.getArray().size());
      switch (p.getType()) {
        case RUNNING_VAR -> p.getArray().set(uniform(r, n, 0.5, 2));
        case RUNNING_MEAN -> {
          if (p.getName().equals("runningMean")) p.getArray().set(uniform(r, n, -0.3, 0.3));
        }
        default -> p.getArray().set(uniform(r, n, -0.6, 0.6));
      }
    }
    return d;
  }

  private static double value(
      UnaryOperator<NDArray> critic, NDManager m, double[] real, double[] fake, Penalty p) {
    try (NDManager s = m.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      return p.of(critic, s.create(real, IMAGES), s.create(fake, IMAGES)).penalty().getDouble();
    }
  }

  private static void check(SequentialBlock d, boolean training, Penalty penalty, String what) {
    try (NDManager m = NDManager.newBaseManager()) {
      init(d, m, 5);
      ParameterStore store = new ParameterStore(m, false);
      UnaryOperator<NDArray> critic =
          x -> {
            Engine.getInstance().setRandomSeed(77); // the same dropout mask every time
            return d.forward(store, new NDList(x), training).singletonOrThrow();
          };
      SplittableRandom r = new SplittableRandom(9);
      double[] real = uniform(r, (int) IMAGES.size(), -1, 1);
      double[] fake = uniform(r, (int) IMAGES.size(), -1, 1);
      checkInputGradient(critic, m, real, what);
      List<Parameter> params =
          d.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
      double[][] analytic = new double[params.size()][];
      try (NDManager s = m.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(penalty.of(critic, s.create(real, IMAGES), s.create(fake, IMAGES)).penalty());
        for (int i = 0; i < params.size(); i++) {
          // an untouched parameter (a last bias) has no gradient: DJL then returns float32 zeros
          analytic[i] =
              params
                  .get(i)
                  .getArray()
                  .getGradient()
                  .toType(DataType.FLOAT64, false)
                  .toDoubleArray();
        }
      }
      for (int i = 0; i < params.size(); i++) {
        NDArray w = params.get(i).getArray();
        double[] theta = w.toDoubleArray();
        for (int j : sample(theta.length)) {
          double keep = theta[j];
          theta[j] = keep + H;
          w.set(theta);
          double up = value(critic, m, real, fake, penalty);
          theta[j] = keep - H;
          w.set(theta);
          double down = value(critic, m, real, fake, penalty);
          theta[j] = keep;
          w.set(theta);
          double fd = (up - down) / (2 * H);
          String at = what + " d/d " + params.get(i).getName() + "[" + j + "]";
          assertEquals(fd, analytic[i][j], 1e-6 * (1 + Math.abs(fd)), at);
        }
      }
    }
  }

  /** ∇ₓ Σ D(x) from double backward's first half against differences of the critic itself. */
  private static void checkInputGradient(
      UnaryOperator<NDArray> critic, NDManager m, double[] x, String what) {
    double[] analytic;
    try (NDManager s = m.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray leaf = s.create(x, IMAGES);
      leaf.setRequiresGradient(true);
      analytic = GradientPenalty.inputGradient(critic.apply(leaf), leaf).toDoubleArray();
    }
    for (int j : sample(x.length)) {
      double keep = x[j];
      x[j] = keep + H;
      double up = sum(critic, m, x);
      x[j] = keep - H;
      double down = sum(critic, m, x);
      x[j] = keep;
      double fd = (up - down) / (2 * H);
      assertEquals(fd, analytic[j], 1e-7 * (1 + Math.abs(fd)), what + " dD/dx[" + j + "]");
    }
  }

  /** Up to three spread-out indices of an array of n: enough to catch a wrong term, and fast. */
  private static int[] sample(int n) {
    return java.util.stream.IntStream.of(0, n / 2, n - 1).distinct().toArray();
  }

  private static double sum(UnaryOperator<NDArray> critic, NDManager m, double[] x) {
    try (NDManager s = m.newSubManager()) {
      return critic.apply(s.create(x, IMAGES)).sum().getDouble();
    }
  }

  @Test
  void wganGpThroughConvBatchNormLeakyReluMaxPoolDropoutDenseAndGelu() {
    check(trainingCritic(), true, WGAN_GP, "WGAN-GP");
  }

  @Test
  void r1ThroughConvBatchNormLeakyReluMaxPoolDropoutDenseAndGelu() {
    check(trainingCritic(), true, R1, "R1");
  }

  @Test
  void bothThroughSpectralNormBatchNormInferenceAndTheOtherActivations() {
    check(inferenceCritic(), false, WGAN_GP, "WGAN-GP, spectral norm");
    check(inferenceCritic(), false, R1, "R1, spectral norm");
  }
}
