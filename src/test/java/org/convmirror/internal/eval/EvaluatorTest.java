package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine tier: the whole pipeline on tiny random images through an untrained classifier. */
@Tier.Engine
class EvaluatorTest {
  private static final Evaluator.Options SMALL = new Evaluator.Options(5, 20, 3, 9);

  private static float[] noise(int n, Random random) {
    float[] x = new float[n * 12 * 12];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * random.nextFloat() - 1;
    }
    return x;
  }

  @Test
  void runsEndToEndAndWritesJsonAndCsv(@TempDir Path dir) throws Exception {
    Random random = new Random(41);
    try (FeatureClassifier c = FeatureClassifier.create(1, 12, 12, 4)) {
      EvalReport report =
          new Evaluator(c, SMALL)
              .evaluate(noise(30, random), 30, noise(40, random), 40, noise(50, random), 50);
      assertEquals(30, report.generatedCount());
      assertEquals(40, report.referenceCount());
      assertEquals(30, report.generatedClasses().total());
      assertEquals(40, report.referenceClasses().total());
      for (EvalReport.Scores s : List.of(report.model(), report.realFloor())) {
        assertTrue(s.frechet() >= 0 && Double.isFinite(s.frechet()), s.toString());
        assertTrue(Double.isFinite(s.kidMean()) && s.kidStd() >= 0, s.toString());
        assertTrue(s.precision() >= 0 && s.precision() <= 1, s.toString());
        assertTrue(s.recall() >= 0 && s.recall() <= 1, s.toString());
      }

      report.writeJson(dir.resolve("eval.json"));
      JsonNode json = new ObjectMapper().readTree(dir.resolve("eval.json").toFile());
      assertEquals(report.model().frechet(), json.get("model").get("frechet").asDouble());
      assertEquals(4, json.get("generatedClasses").get("counts").size());

      report.writeCsv(dir.resolve("eval.csv"));
      List<String> lines = Files.readAllLines(dir.resolve("eval.csv"));
      assertEquals(2, lines.size());
      assertEquals(lines.get(0).split(",", -1).length, lines.get(1).split(",", -1).length);
      assertTrue(report.format().contains("Fréchet distance"), report.format());
    }
  }

  @Test
  void withoutFloorSampleTheFloorIsAbsent() {
    Random random = new Random(42);
    try (FeatureClassifier c = FeatureClassifier.create(1, 12, 12, 4)) {
      EvalReport report =
          new Evaluator(c, SMALL).evaluate(noise(20, random), 20, noise(20, random), 20);
      assertNull(report.realFloor());
      assertTrue(report.csvRow().contains(",".repeat(7)), report.csvRow());
    }
  }

  @Test
  void rejectsAFloorSampleSmallerThanTheGeneratedSet() {
    Random random = new Random(43);
    try (FeatureClassifier c = FeatureClassifier.create(1, 12, 12, 4)) {
      Evaluator evaluator = new Evaluator(c, SMALL);
      assertThrows(
          IllegalArgumentException.class,
          () ->
              evaluator.evaluate(
                  noise(20, random), 20, noise(20, random), 20, noise(10, random), 10));
    }
  }

  @Test
  void scoresAgainstAPreparedReferenceEqualTheMetricsComputedOneByOne() {
    Random random = new Random(44);
    double[][] generated = FrechetDistanceTest.gaussianFeatures(300, 16, random, 0.2);
    double[][] reference = FrechetDistanceTest.gaussianFeatures(350, 16, random, 0);
    Evaluator evaluator = new Evaluator(null, new Evaluator.Options(7, 120, 3, 5));
    Evaluator.Reference prepared = evaluator.reference(reference, generated.length);
    EvalReport.Scores s = evaluator.scores(generated, prepared);

    assertEquals(FrechetDistance.between(generated, reference), s.frechet());
    // KID one subset at a time multiplies other matrices, whose last bits may differ.
    var kid = new KernelInceptionDistance(7, 120, 5).between(generated, reference);
    assertEquals(kid.mean(), s.kidMean(), 1e-9 * Math.abs(kid.mean()));
    assertEquals(kid.std(), s.kidStd(), 1e-9 * kid.std());
    var pr = new PrecisionRecall(3).between(reference, generated);
    assertEquals(
        pr, new PrecisionRecall.Score(s.precision(), s.recall(), s.density(), s.coverage()));

    double[][] fewer = java.util.Arrays.copyOf(generated, 299);
    var e = assertThrows(IllegalArgumentException.class, () -> evaluator.scores(fewer, prepared));
    assertTrue(e.getMessage().contains("prepared for 300 generated images"), e.getMessage());
  }
}
