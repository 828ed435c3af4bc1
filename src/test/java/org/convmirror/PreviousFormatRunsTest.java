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
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.convmirror.internal.nn.NativeInference;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs written by the release before the model home (format {@code convmirror-run/2}) still open,
 * draw the images that release drew, and resume as it resumed them (see the fixtures' README for
 * how they were made).
 *
 * <p>"The same" means to float32 rounding, not bit for bit: the fixtures were written on an Intel
 * CPU, and libtorch's kernels (MKL, oneDNN) pick their code by CPU, so another CPU — an AMD EPYC,
 * where this suite also runs — rounds some sums differently in their last bits (pixels 1–2 ulps
 * apart, resumed losses ~1e-7 relative, a small KL term ~6e-6). Bit-exact resume on one machine is
 * held by the resume tests, which compare runs made on the same CPU. The tolerances here are far
 * below what a wrong resume (another random stream, lost optimiser state, other weights) moves.
 */
@Tier.Engine
class PreviousFormatRunsTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures/run-format-2");

  /** Resumed losses: relative, with an absolute floor for terms near zero (a VAE's early KL). */
  private static final double LOSS_RELATIVE = 1e-5;

  private static final double LOSS_ABSOLUTE = 1e-6;

  /** The op-by-op path's pixels in [0, 1]: ~16 float32 ulps near 1. */
  private static final float PIXEL_TOLERANCE = 1e-6f;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"gan", "vae", "cgan"})
  void aPreviousRunSamplesTheImagesItDrewThen(String run) throws IOException {
    try (TrainedModel model = TrainedModel.open(FIXTURES.resolve(run))) {
      assertEquals(1, model.epoch());
      assertPixels("sample-" + run, () -> model.sample(12, 5));
    }
  }

  @Test
  void aPreviousRunSamplesItsRawGeneratorAndAClass() throws IOException {
    try (TrainedModel model = TrainedModel.open(FIXTURES.resolve("gan"), true)) {
      assertPixels("sample-gan-raw", () -> model.sample(12, 5));
    }
    Path checkpoint = FIXTURES.resolve("cgan/checkpoints/step-0000008");
    try (TrainedModel model = TrainedModel.open(checkpoint)) {
      assertPixels("sample-cgan-class-2", () -> model.sample(12, 5, model.classIndex("2")));
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
    List<String> actual = withoutSeconds(copy.resolve("losses.csv"));
    assertEquals(expected.size(), actual.size(), run + ": losses.csv rows");
    // The header and epoch 1's eight iterations were written then and are kept as they are.
    int resumed = 1 + 8;
    assertEquals(
        expected.subList(0, resumed), actual.subList(0, resumed), run + ": losses.csv, epoch 1");
    for (int row = resumed; row < expected.size(); row++) {
      assertRowClose(expected.get(row), actual.get(row), run + ": losses.csv row " + row);
    }
  }

  /** Counters (epoch, iteration, images) exactly; losses within float32 rounding of libtorch. */
  private static void assertRowClose(String expected, String actual, String what) {
    String[] e = expected.split(",");
    String[] a = actual.split(",");
    assertEquals(e.length, a.length, what + ": columns");
    assertArrayEquals(Arrays.copyOf(e, 3), Arrays.copyOf(a, 3), what + ": counters");
    for (int c = 3; c < e.length; c++) {
      double x = Double.parseDouble(e[c]);
      double y = Double.parseDouble(a[c]);
      assertTrue(
          Math.abs(x - y) <= LOSS_RELATIVE * Math.abs(x) + LOSS_ABSOLUTE,
          what + ", column " + c + ": expected " + x + " but was " + y);
    }
  }

  /**
   * The op-by-op forward pass (the reference) draws the same pixels within float32 rounding (bit
   * for bit on the CPU that wrote them); the native one ({@link NativeInference}, batch norms
   * folded into the weights) the same within 1e-5.
   */
  private static void assertPixels(String expected, Supplier<Images> draw) throws IOException {
    Npy.Array a = Npy.read(FIXTURES.resolve("expected/" + expected + ".npy"));
    assertArrayEquals(new long[] {12, 1, 28, 28}, a.shape());
    System.setProperty(NativeInference.PROPERTY, "false");
    try {
      assertArrayEquals(
          a.data(), draw.get().pixels(), PIXEL_TOLERANCE, expected + ": the same pixels");
    } finally {
      System.clearProperty(NativeInference.PROPERTY);
    }
    assertArrayEquals(a.data(), draw.get().pixels(), 1e-5f, expected + ": natively, within 1e-5");
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
