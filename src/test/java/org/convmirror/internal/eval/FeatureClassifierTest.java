package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine tier: a tiny learnable task, shapes, batching independence and a save/load round trip. */
@Tier.Engine
class FeatureClassifierTest {

  /** Two classes: bright top half vs bright bottom half, plus noise. */
  static float[] halves(int n, int[] labels, Random random) {
    float[] x = new float[n * 16 * 16];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(2);
      for (int p = 0; p < 256; p++) {
        boolean top = p < 128;
        float base = (top == (labels[i] == 0)) ? 0.8f : -0.8f;
        x[i * 256 + p] = base + 0.2f * (float) random.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void learnsATrivialTaskAndRoundTripsThroughSave(@TempDir Path dir) throws Exception {
    Random random = new Random(31);
    int[] labels = new int[256];
    float[] images = halves(256, labels, random);
    List<FeatureClassifier.Progress> progress = new ArrayList<>();
    try (FeatureClassifier c = FeatureClassifier.create(1, 16, 16, 2)) {
      c.train(images, labels, 2, 7, progress::add);
      assertEquals(4, progress.size());
      assertTrue(c.accuracy(images, labels) > 0.95, "accuracy " + c.accuracy(images, labels));

      double[][] features = c.features(images, 256);
      assertEquals(256, features.length);
      assertEquals(FeatureClassifier.FEATURE_DIM, features[0].length);
      for (double v : features[3]) {
        assertTrue(v >= 0, "features are taken after a ReLU");
      }
      // 256 images span one batch of 500; the first 3 alone must give the same features.
      float[] firstThree = java.util.Arrays.copyOf(images, 3 * 256);
      assertArrayEquals(features[2], c.features(firstThree, 3)[2], 1e-5);

      Path params = dir.resolve("tiny.params");
      c.withInfo(info()).save(params);
      try (FeatureClassifier loaded = Classifiers.load(params)) {
        assertArrayEquals(c.predict(images, 256), loaded.predict(images, 256));
        assertArrayEquals(features[5], loaded.features(images, 256)[5], 1e-6);
        assertEquals(0.5, loaded.info().testAccuracy());
      }
    }
  }

  @Test
  void rejectsImagesOfTheWrongSizeNamingTheShape() {
    try (FeatureClassifier c = FeatureClassifier.create(1, 16, 16, 2)) {
      var e = assertThrows(IllegalArgumentException.class, () -> c.features(new float[10], 1));
      assertTrue(e.getMessage().contains("[1, 16, 16]"), e.getMessage());
    }
  }

  private static ClassifierInfo info() {
    return new ClassifierInfo(
        FeatureClassifier.ARCHITECTURE + 2,
        new int[] {1, 16, 16},
        2,
        128,
        "halves",
        0.5,
        2,
        128,
        1e-3,
        7,
        1,
        "now",
        "test",
        "test");
  }
}
