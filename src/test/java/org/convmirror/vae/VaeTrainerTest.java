package org.convmirror.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.data.BatchLoader;
import org.convmirror.data.DataSources;
import org.convmirror.data.ImageSet;
import org.convmirror.data.Split;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** Twenty steps on synthetic shapes: the negative ELBO falls and the test bound is sane. */
class VaeTrainerTest {
  static final ImageShape IMAGE = ImageShape.of(1, 16, 16);

  @Test
  void twentyStepsLowerTheLoss() {
    for (Likelihood l : List.of(Likelihood.BERNOULLI, Likelihood.GAUSSIAN_LEARNED)) {
      ModelSpec spec = VaeModelTest.spec(IMAGE, l, 4);
      ImageSet data = DataSources.load(null, "synthetic:256", Split.TRAIN, 1, 16, 16, 7);
      ImageSet test = DataSources.load(null, "synthetic:64", Split.TEST, 1, 16, 16, 7);
      List<Double> losses = new ArrayList<>();
      try (NDManager m = NDManager.newBaseManager();
          VaeTrainer trainer = new VaeTrainer(spec, 1e-3f * 3, 0.9f, 0.999f, m, 1);
          BatchLoader loader = BatchLoader.start(data, 32, 1, true)) {
        for (int i = 0; i < 20; i++) {
          Elbo e = trainer.step(loader.next().pixels(), 32, 1f);
          assertTrue(e.finite() && e.kl() >= 0, e.toString());
          losses.add(e.negative());
        }
        assertEquals(20, trainer.steps());
        double first = mean(losses.subList(0, 5));
        double last = mean(losses.subList(15, 20));
        // The Gaussian's ½·D·log 2π (235 nats here) is constant: compare against 2 % of the total.
        assertTrue(last < first * 0.98, l + ": " + losses);
        Elbo held = trainer.evaluate(test, 50); // 64 images: a full and a partial batch
        assertTrue(held.finite() && held.kl() >= 0, held.toString());
        if (l == Likelihood.BERNOULLI) {
          assertTrue(held.reconstruction() > BernoulliFloor.nats(test), held.toString());
        }
      }
    }
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
