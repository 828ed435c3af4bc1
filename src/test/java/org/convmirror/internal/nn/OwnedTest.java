package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.convmirror.internal.gan.AdversarialLoss;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.vae.VaeLoss;
import org.convmirror.options.GanLoss;
import org.junit.jupiter.api.Test;

/**
 * Constants that an autograd graph keeps until backward live in engine-owned memory: a garbage
 * collection between forward and backward, which frees the direct buffers of closed Java-made
 * arrays and lets other buffers take their memory, changes no gradient.
 */
@Tier.Engine
class OwnedTest {
  private static final int TRIALS = 30;

  /** Frees what the collector can, then fills fresh direct buffers with a value no gradient has. */
  private static List<ByteBuffer> collectAndReuse() {
    System.gc();
    List<ByteBuffer> reuse = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(16);
      for (int k = 0; k < 4; k++) b.putFloat(4 * k, 1e30f);
      reuse.add(b);
    }
    return reuse;
  }

  /** d Σ f(x) / dx at {@code x}, with a collection between forward and backward. */
  private static float[] gradient(NDManager m, float[] x, UnaryOperator<NDArray> f) {
    try (NDManager step = m.newSubManager()) {
      NDArray a = step.create(x);
      a.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = f.apply(a).sum();
        List<ByteBuffer> held = collectAndReuse();
        gc.backward(y);
        held.clear();
      }
      return a.getGradient().toFloatArray();
    }
  }

  @Test
  void constantsKeptForBackwardSurviveACollection() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] x = {1, 2, 3, 4};
      for (int t = 0; t < TRIALS; t++) {
        float[] g =
            gradient(m, x, a -> a.mul(Owned.scalar(a, 3)).add(a.maximum(Owned.scalar(a, 2.5f))));
        assertArrayEquals(new float[] {3, 3, 4, 4}, g, "trial " + t);
        float[] picked =
            gradient(
                m,
                x,
                a ->
                    a.get(
                        new ai.djl.ndarray.index.NDIndex(
                            "{}", Owned.copy(m, new long[] {3, 0, 3}))));
        assertArrayEquals(new float[] {1, 0, 0, 2}, picked, "trial " + t);
      }
    }
  }

  @Test
  void theLossesGradientsDoNotDependOnTheCollector() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] logits = {-3, -0.5f, 0.25f, 2};
      UnaryOperator<NDArray> bce =
          a -> AdversarialLoss.discriminator(GanLoss.BCE, a, a.neg(), 0.9f);
      UnaryOperator<NDArray> hinge =
          a -> AdversarialLoss.discriminator(GanLoss.HINGE, a, a.mul(Owned.scalar(a, 0.5f)), 1);
      UnaryOperator<NDArray> lsgan = a -> AdversarialLoss.generator(GanLoss.LSGAN, a);
      UnaryOperator<NDArray> kl = a -> VaeLoss.kl(a.reshape(1, 4), a.reshape(1, 4));
      for (UnaryOperator<NDArray> loss : List.of(bce, hinge, lsgan, kl)) {
        float[] expected;
        try (NDManager step = m.newSubManager()) {
          NDArray a = step.create(logits);
          a.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.apply(a).sum());
          }
          expected = a.getGradient().toFloatArray();
        }
        for (int t = 0; t < TRIALS; t++) {
          assertArrayEquals(expected, gradient(m, logits, loss), "trial " + t);
        }
      }
    }
  }
}
