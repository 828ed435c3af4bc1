package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.convmirror.internal.data.IdxFolder;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins {@code convmirror evaluate}'s numbers: 2,000 deterministically perturbed Fashion-MNIST test
 * images scored by the shipped classifier against the first 2,000 test images, with the real floor
 * from the training split and the default metric settings (100 KID subsets of 1,000, k = 3). The
 * golden values were printed by the code as it was before the evaluation was made faster (commit
 * 3a4e1c7, blocked plain-Java inner products, nothing cached; main at 1ad8352 prints the same
 * digits, every one, from its unchanged evaluation code); every later version must reproduce them
 * to 1e-6 relative, the class histograms exactly, both computed from scratch and with the reference
 * and the floor read back from the {@link ReferenceCache}.
 */
@Tier.Engine
class GoldenEvaluationTest {
  static final int N = 2000;
  private static final double TOLERANCE = 1e-6;

  // frechet, kidMean, kidStd, precision, recall, density, coverage
  private static final double[] MODEL = {
    39.97773639295332,
    21.719914619999074,
    0.9712447718125298,
    0.6695,
    0.199,
    0.5521666666666667,
    0.346
  };
  private static final double[] FLOOR = {
    1.316366852958481,
    -0.10104391658159444,
    0.26535362413187596,
    0.856,
    0.8635,
    0.9708333333333333,
    0.865
  };
  private static final long[] GENERATED_CLASSES = {
    135, 185, 173, 233, 216, 218, 251, 192, 188, 209
  };
  private static final long[] REFERENCE_CLASSES = {
    199, 203, 197, 190, 226, 194, 211, 208, 190, 182
  };

  /**
   * Test images 5,000…6,999 (none of them in the reference), shifted one pixel right, blended 85:15
   * with uniform noise and darkened a little: close to real data, but measurably not it.
   */
  static float[] perturbed(ImageSet test) {
    int size = test.imageSize();
    int w = test.width();
    Random random = new Random(24);
    float[] out = new float[N * size];
    for (int i = 0; i < N; i++) {
      float[] x = test.image(5000 + i);
      for (int p = 0; p < size; p++) {
        float shifted = p % w == 0 ? -1f : x[p - 1];
        float v = 0.85f * shifted + 0.15f * (2 * random.nextFloat() - 1) - 0.05f;
        out[i * size + p] = Math.max(-1f, Math.min(1f, v));
      }
    }
    return out;
  }

  private static EvalReport evaluate(ImageSet test, ImageSet train, ReferenceCache cache)
      throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    try (RunEvaluation eval = RunEvaluation.open(test, train, null, N, 0, null, quiet, cache)) {
      return eval.evaluate(perturbed(test), N);
    }
  }

  @Test
  void reproducesTheNumbersOfTheUnoptimisedEvaluationColdAndFromTheCache(@TempDir Path dir)
      throws Exception {
    assertTrue(
        Files.isDirectory(ClassifierTraining.DEFAULT_DATA),
        "Fashion-MNIST is missing at "
            + ClassifierTraining.DEFAULT_DATA
            + ": install Debian's dataset-fashion-mnist");
    ImageSet test = IdxFolder.read(ClassifierTraining.DEFAULT_DATA, Split.TEST);
    ImageSet train = IdxFolder.read(ClassifierTraining.DEFAULT_DATA, Split.TRAIN);
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    EvalReport report =
        evaluate(test, train, ReferenceCache.in(dir, new PrintStream(warnings, true)));
    // A fresh cache object finds the reference and the floor on disk: same numbers, bit for bit.
    EvalReport warm =
        evaluate(test, train, ReferenceCache.in(dir, new PrintStream(warnings, true)));
    assertEquals(report, warm);
    assertEquals("", warnings.toString());
    System.out.print(report.format());
    System.out.println("model " + java.util.Arrays.toString(report.model().values()));
    System.out.println("floor " + java.util.Arrays.toString(report.realFloor().values()));
    System.out.println(
        "classes "
            + java.util.Arrays.toString(report.generatedClasses().counts())
            + " "
            + java.util.Arrays.toString(report.referenceClasses().counts()));
    assertClose("model", MODEL, report.model().values());
    assertClose("floor", FLOOR, report.realFloor().values());
    assertArrayEquals(GENERATED_CLASSES, report.generatedClasses().counts());
    assertArrayEquals(REFERENCE_CLASSES, report.referenceClasses().counts());
  }

  static void assertClose(String what, double[] expected, double[] actual) {
    String[] names = {"frechet", "kidMean", "kidStd", "precision", "recall", "density", "coverage"};
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(actual[i] - expected[i]) / Math.abs(expected[i]);
      assertTrue(
          error <= TOLERANCE,
          what + "." + names[i] + ": " + actual[i] + " vs golden " + expected[i] + " (" + error);
    }
  }
}
