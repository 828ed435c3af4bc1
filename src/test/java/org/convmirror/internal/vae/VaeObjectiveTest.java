package org.convmirror.internal.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.convmirror.internal.data.BatchLoader;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.train.Iteration;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** Twenty steps on synthetic shapes: the negative ELBO falls and the test bound is sane. */
@Tier.Engine
class VaeObjectiveTest {
  static final ImageShape IMAGE = ImageShape.of(1, 16, 16);

  @Test
  void twentyStepsLowerTheLoss() {
    for (Likelihood l : List.of(Likelihood.BERNOULLI, Likelihood.GAUSSIAN_LEARNED)) {
      ModelSpec spec = VaeModelTest.spec(IMAGE, l, 4);
      ImageSet data = DataSources.load(null, "synthetic:256", Split.TRAIN, 1, 16, 16, 7);
      ImageSet test = DataSources.load(null, "synthetic:64", Split.TEST, 1, 16, 16, 7);
      VaeOptions options =
          VaeOptions.builder()
              .adam(VaeOptions.ADAM.toBuilder().learningRate(3e-3f).build())
              .build();
      List<Double> losses = new ArrayList<>();
      try (VaeObjective vae = Objectives.vae(spec, options, test, 1);
          BatchLoader loader = BatchLoader.start(data, 32, 1, true)) {
        for (int i = 0; i < 20; i++) {
          double[] m = vae.step(new Iteration(i, 0, i, 8, List.of(loader.next())));
          double recon = m[1];
          double kl = m[2];
          assertTrue(Double.isFinite(recon) && kl >= 0, List.of(m).toString());
          assertEquals(1, m[3], 0, "β without warm-up");
          losses.add(recon + kl);
        }
        double first = mean(losses.subList(0, 5));
        double last = mean(losses.subList(15, 20));
        // The Gaussian's ½·D·log 2π (235 nats here) is constant: compare against 2 % of the total.
        assertTrue(last < first * 0.98, l + ": " + losses);
        Elbo held = vae.evaluate(test, 50); // 64 images: a full and a partial batch
        assertTrue(held.finite() && held.kl() >= 0, held.toString());
        if (l == Likelihood.BERNOULLI) {
          assertTrue(held.reconstruction() > BernoulliFloor.nats(test), held.toString());
        }
      }
    }
  }

  @Test
  void klWarmupRampsBetaOverTheGivenEpochs() {
    VaeOptions o = VaeOptions.builder().klWeight(0.5f).klWarmupEpochs(2).build();
    assertEquals(0, o.beta(0), 0);
    assertEquals(0.25f, o.beta(1), 1e-7);
    assertEquals(0.5f, o.beta(2), 0);
    assertEquals(0.5f, o.beta(7.5), 0);
    assertEquals(1f, VaeOptions.builder().build().beta(0), 0);
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
