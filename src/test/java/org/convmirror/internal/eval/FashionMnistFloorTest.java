package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.convmirror.internal.data.IdxFolder;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped classifier on real Fashion-MNIST: 2,000 training images vs 2,000 test images must
 * score near zero, and 2,000 uniform-noise images orders of magnitude higher (2,000 rather than
 * 10,000 per set keeps this file fast; the real-vs-real Fréchet distance carries a small positive
 * bias at that size).
 */
@Tier.Engine
class FashionMnistFloorTest {
  private static final int N = 2000;
  private static final Path DATA = ClassifierTraining.DEFAULT_DATA;

  private static ImageSet train;
  private static ImageSet test;
  private static int[] testLabels;

  @BeforeAll
  static void readData() throws Exception {
    assertTrue(
        Files.isDirectory(DATA),
        "Fashion-MNIST is missing at " + DATA + ": install Debian's dataset-fashion-mnist");
    train = IdxFolder.read(DATA, Split.TRAIN).head(N);
    test = IdxFolder.read(DATA, Split.TEST).head(N);
    testLabels = test.labels();
  }

  private static float[] uniformNoise(int n, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n * 28 * 28];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * random.nextFloat() - 1;
    }
    return x;
  }

  @Test
  void realVsRealIsNearZeroAndNoiseIsOrdersOfMagnitudeHigher() throws Exception {
    try (FeatureClassifier c = Classifiers.loadFashionMnist()) {
      assertTrue(c.info().testAccuracy() >= 0.90, "shipped accuracy " + c.info().testAccuracy());
      double accuracy = c.accuracy(test.pixels(), testLabels);
      assertTrue(accuracy >= 0.88, "accuracy on the first 2,000 test images " + accuracy);

      // KID on 10 subsets instead of 100 keeps this file fast; the rest are the defaults.
      Evaluator evaluator = new Evaluator(c, new Evaluator.Options(10, 1000, 3, 1));
      EvalReport report =
          evaluator.evaluate(uniformNoise(N, 5), N, test.pixels(), N, train.pixels(), N);
      System.out.println("Fashion-MNIST, 2,000 uniform-noise vs 2,000 test images:");
      System.out.print(report.format());

      double real = report.realFloor().frechet();
      double noise = report.model().frechet();
      assertTrue(real < 0.05 * noise, "real " + real + " vs noise " + noise);
      assertTrue(noise > 100 * real, "real " + real + " vs noise " + noise);
      assertTrue(report.model().kidMean() > 100 * Math.abs(report.realFloor().kidMean()));
      assertTrue(report.realFloor().precision() > 0.5 && report.realFloor().recall() > 0.5);
      // Noise lands in one tight cluster: no recall, no coverage. Its precision is high (~0.9)
      // because a few outlying real samples have radii large enough to hold that cluster, which
      // is why density (≈ 1 for real data) is reported beside it; it halves, a weak signal too.
      EvalReport.Scores noiseScores = report.model();
      assertTrue(
          noiseScores.recall() < 0.01 && noiseScores.coverage() < 0.05, noiseScores.toString());
      assertTrue(
          noiseScores.density() < 0.75 * report.realFloor().density(), noiseScores.toString());
      assertTrue(report.referenceClasses().entropy() > 0.95 * Math.log(10));
    }
  }
}
