package org.convmirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs written by the release before the model home (format {@code convmirror-run/2}) still open,
 * draw exactly the images that release drew, and resume exactly as it resumed them (see the
 * fixtures' README for how they were made).
 */
@Tier.Engine
class PreviousFormatRunsTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures/run-format-2");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"gan", "vae", "cgan"})
  void aPreviousRunSamplesTheImagesItDrewThen(String run) throws IOException {
    try (TrainedModel model = TrainedModel.open(FIXTURES.resolve(run))) {
      assertEquals(1, model.epoch());
      assertPixels("sample-" + run, model.sample(12, 5));
    }
  }

  @Test
  void aPreviousRunSamplesItsRawGeneratorAndAClass() throws IOException {
    try (TrainedModel model = TrainedModel.open(FIXTURES.resolve("gan"), true)) {
      assertPixels("sample-gan-raw", model.sample(12, 5));
    }
    Path checkpoint = FIXTURES.resolve("cgan/checkpoints/step-0000008");
    try (TrainedModel model = TrainedModel.open(checkpoint)) {
      assertPixels("sample-cgan-class-2", model.sample(12, 5, model.classIndex("2")));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gan", "vae", "cgan"})
  void aPreviousRunResumesAsItDidThen(String run) throws IOException {
    Path copy = tmp.resolve(run);
    copyTree(FIXTURES.resolve(run), copy);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Training.Result r = Training.resume(copy, 1, quiet, false);
    assertTrue(r.trained());
    assertEquals(new Training.State(2, 16, 512, r.state().seconds()), r.state());
    List<String> expected =
        withoutSeconds(FIXTURES.resolve("expected/resumed-" + run + "-losses.csv"));
    assertEquals(17, expected.size(), "the header and 16 iterations");
    assertEquals(expected, withoutSeconds(copy.resolve("losses.csv")), run + ": losses.csv");
  }

  private static void assertPixels(String expected, Images images) throws IOException {
    Npy.Array a = Npy.read(FIXTURES.resolve("expected/" + expected + ".npy"));
    assertArrayEquals(new long[] {12, 1, 28, 28}, a.shape());
    assertArrayEquals(a.data(), images.pixels(), expected + ": the same pixels, bit for bit");
  }

  /** Every column but the last, the wall-clock seconds. */
  private static List<String> withoutSeconds(Path csv) throws IOException {
    return Files.readAllLines(csv).stream()
        .map(l -> String.join(",", Arrays.asList(l.split(",")).subList(0, l.split(",").length - 1)))
        .toList();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }
}
