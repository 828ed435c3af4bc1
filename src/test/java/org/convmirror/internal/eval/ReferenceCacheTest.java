package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine tier: the evaluation's reference cache on tiny random images through two saved, untrained
 * classifiers — keyed by everything its numbers depend on, read back bit for bit, and safe against
 * damaged files and an unwritable folder.
 */
@Tier.Engine
class ReferenceCacheTest {
  @TempDir static Path weights;
  private static Path classifierA;
  private static Path classifierB;
  private static final Random RANDOM = new Random(77);
  private static final ImageSet TEST = images(40, "test");
  private static final ImageSet OTHER_TEST = images(40, "test");
  private static final ImageSet TRAIN = images(60, "train");
  private static final ImageSet OTHER_TRAIN = images(60, "train");

  @BeforeAll
  static void saveTwoClassifiers() {
    classifierA = save("a.params");
    classifierB = save("b.params");
  }

  private static Path save(String name) {
    Path params = weights.resolve(name);
    try (FeatureClassifier c = FeatureClassifier.create(1, 12, 12, 4)) {
      c.features(new float[144], 1); // initialises the weights, randomly
      c.withInfo(
              new ClassifierInfo(
                  FeatureClassifier.ARCHITECTURE + 4,
                  new int[] {1, 12, 12},
                  4,
                  128,
                  "noise",
                  0,
                  0,
                  1,
                  0,
                  0,
                  0,
                  "now",
                  "test",
                  "test"))
          .save(params);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return params;
  }

  private static ImageSet images(int n, String source) {
    float[] x = new float[n * 144];
    for (int i = 0; i < x.length; i++) x[i] = 2 * RANDOM.nextFloat() - 1;
    return ImageSet.of(1, 12, 12, x, null, source);
  }

  private static final float[] GENERATED = images(30, "generated").pixels();

  private static EvalReport evaluate(
      Path classifier, ImageSet test, ImageSet train, int count, Path cache, PrintStream warn)
      throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    try (RunEvaluation eval =
        RunEvaluation.open(
            test, train, classifier, count, 0, null, quiet, ReferenceCache.in(cache, warn))) {
      return eval.evaluate(Arrays.copyOf(GENERATED, count * 144), count);
    }
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void anEntryIsFoundAgainOnlyUnderTheSameKey(@TempDir Path cache) throws Exception {
    PrintStream warn = new PrintStream(new ByteArrayOutputStream());
    EvalReport cold = evaluate(classifierA, TEST, TRAIN, 20, cache, warn);
    Path file = files(cache).get(0);
    FileTime written = FileTime.fromMillis(0);
    Files.setLastModifiedTime(file, written);

    // The same settings in a fresh cache object read the file instead of writing it again.
    assertEquals(cold, evaluate(classifierA, TEST, TRAIN, 20, cache, warn));
    assertEquals(List.of(file), files(cache));
    assertEquals(written, Files.getLastModifiedTime(file));

    // Each change of what the numbers depend on is a new entry.
    evaluate(classifierA, TEST, TRAIN, 25, cache, warn);
    assertEquals(2, files(cache).size(), "count");
    evaluate(classifierB, TEST, TRAIN, 20, cache, warn);
    assertEquals(3, files(cache).size(), "classifier weights");
    evaluate(classifierA, OTHER_TEST, TRAIN, 20, cache, warn);
    assertEquals(4, files(cache).size(), "reference images");
    evaluate(classifierA, TEST, OTHER_TRAIN, 20, cache, warn);
    assertEquals(5, files(cache).size(), "floor images");
    assertEquals(written, Files.getLastModifiedTime(file));
  }

  @Test
  void aDamagedFileIsReportedInOneLineAndRebuilt(@TempDir Path cache) throws Exception {
    EvalReport cold = evaluate(classifierA, TEST, TRAIN, 20, cache, System.err);
    Path file = files(cache).get(0);
    byte[] good = Files.readAllBytes(file);
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 1;
    byte[] garbage = new byte[good.length];
    RANDOM.nextBytes(garbage);
    for (byte[] bad :
        List.of(Arrays.copyOf(good, good.length / 3), flipped, garbage, new byte[0], good)) {
      Files.write(file, bad);
      ByteArrayOutputStream warnings = new ByteArrayOutputStream();
      EvalReport again =
          evaluate(classifierA, TEST, TRAIN, 20, cache, new PrintStream(warnings, true));
      assertEquals(cold, again);
      String text = warnings.toString();
      if (bad == good) {
        assertEquals("", text);
      } else {
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains(file.toString()) && text.contains("recomputing"), text);
      }
      assertArrayEquals(good, Files.readAllBytes(file), "rebuilt in place");
      assertEquals(List.of(file), files(cache), "no temporary files left");
    }
  }

  @Test
  void anUnwritableCacheWarnsOnceAndStillEvaluates(@TempDir Path dir) throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("file"), "x");
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    ReferenceCache cache = ReferenceCache.in(notAFolder, new PrintStream(warnings, true));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    try (RunEvaluation eval =
        RunEvaluation.open(TEST, TRAIN, classifierA, 25, 0, null, quiet, cache)) {
      EvalReport a = eval.evaluate(Arrays.copyOf(GENERATED, 20 * 144), 20);
      EvalReport b = eval.evaluate(Arrays.copyOf(GENERATED, 25 * 144), 25);
      assertEquals(20, a.generatedCount());
      assertEquals(25, b.generatedCount());
    }
    String text = warnings.toString();
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.contains("cannot use the evaluation cache in " + notAFolder), text);
  }

  @Test
  void keepsTheMostRecentlyWrittenFilesAndDropsOldTemporaryOnes(@TempDir Path cache)
      throws Exception {
    Evaluator evaluator = new Evaluator(null, new Evaluator.Options(2, 10, 3, 0));
    double[][] features = FrechetDistanceTest.gaussianFeatures(12, 4, new Random(1), 0);
    ReferenceCache c = ReferenceCache.in(cache, System.err, 3);
    Path stale = Files.writeString(cache.resolve("reference-x.bin1.tmp"), "killed mid-write");
    Files.setLastModifiedTime(stale, FileTime.fromMillis(0));
    Path fresh = Files.writeString(cache.resolve("reference-y.bin2.tmp"), "being written");
    List<Path> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      c.get(
          "key " + i,
          evaluator,
          () -> new PreparedReference(new int[12], evaluator.reference(features, 12), null));
      Path file = cache.resolve(ReferenceCache.fileName("key " + i));
      Files.setLastModifiedTime(file, FileTime.fromMillis(1000L * (i + 1)));
      if (i >= 2) expected.add(file);
    }
    expected.add(fresh);
    assertEquals(expected.stream().sorted().toList(), files(cache));
  }
}
