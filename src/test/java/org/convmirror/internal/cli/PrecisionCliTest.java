package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convmirror.internal.nn.MixedPrecision;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --precision}: a run records the concrete precision it trains in (auto resolved),
 * says it, keeps it on resume, and bf16 really changes the arithmetic.
 */
@Tier.Process
class PrecisionCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PlanCommandTest.Result train(Path runs, String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--data",
                "synthetic:64",
                "--epochs",
                "1",
                "--batch-size",
                "16",
                "--runs",
                runs.toString(),
                "--name",
                name,
                "--quiet"));
    args.addAll(Arrays.asList(more));
    return PlanCommandTest.run(args.toArray(String[]::new));
  }

  private static String recorded(Path run) throws Exception {
    return JSON.readTree(run.resolve("run.json").toFile()).at("/config/train/precision").asText();
  }

  private static double[] dLoss(Path run) throws Exception {
    return MetricsLog.read(run.resolve("losses.csv")).column("d_loss");
  }

  @Test
  void bf16IsRecordedSaidKeptOnResumeAndChangesTheArithmetic(@TempDir Path tmp) throws Exception {
    PlanCommandTest.Result r = train(tmp, "bf16", "--precision", "bf16");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("precision: bf16"), r.out());
    assertEquals("bf16", recorded(tmp.resolve("bf16")));

    r = train(tmp, "fp32", "--precision", "FP32");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("precision: fp32"), r.out());
    assertEquals("fp32", recorded(tmp.resolve("fp32")));

    double[] bf16 = dLoss(tmp.resolve("bf16")), fp32 = dLoss(tmp.resolve("fp32"));
    assertEquals(fp32.length, bf16.length);
    for (double v : bf16) assertTrue(Double.isFinite(v), Arrays.toString(bf16));
    assertFalse(Arrays.equals(fp32, bf16), "the same losses: bf16 did not change the arithmetic");

    r =
        PlanCommandTest.run(
            "train", "--resume", tmp.resolve("bf16").toString(), "--epochs", "1", "--quiet");
    assertEquals(0, r.code(), r.err() + r.out());
    assertEquals("bf16", recorded(tmp.resolve("bf16")));
    assertEquals(2 * fp32.length, dLoss(tmp.resolve("bf16")).length);
  }

  @Test
  void bf16DeclaredIsRecordedSaidAndTrainsNeitherAsFp32NorAsBf16(@TempDir Path tmp)
      throws Exception {
    for (String p : List.of("fp32", "bf16", "bf16-declared")) {
      PlanCommandTest.Result r = train(tmp, p, "--precision", p);
      assertEquals(0, r.code(), r.err() + r.out());
      assertEquals(p, recorded(tmp.resolve(p)));
      if (p.equals("bf16-declared")) {
        assertTrue(
            r.out().contains("precision: bf16-declared (the discriminator's or encoder's"),
            r.out());
      }
    }
    double[] declared = dLoss(tmp.resolve("bf16-declared"));
    assertFalse(Arrays.equals(dLoss(tmp.resolve("fp32")), declared), "trained as fp32");
    assertFalse(Arrays.equals(dLoss(tmp.resolve("bf16")), declared), "trained as bf16");
  }

  @Test
  void autoIsRecordedAsWhatItChose(@TempDir Path tmp) throws Exception {
    PlanCommandTest.Result r = train(tmp, "auto", "--precision", "auto");
    assertEquals(0, r.code(), r.err() + r.out());
    String chosen = MixedPrecision.auto().id();
    assertEquals(chosen, recorded(tmp.resolve("auto")));
    assertTrue(
        r.out().contains("precision: " + chosen + " ") && r.out().contains("auto:"), r.out());
  }

  @Test
  void theDefaultIsAutoAndTheRunRecordsWhatItChose(@TempDir Path tmp) throws Exception {
    PlanCommandTest.Result r = train(tmp, "default");
    assertEquals(0, r.code(), r.err() + r.out());
    String chosen = MixedPrecision.auto().id();
    assertEquals(chosen, recorded(tmp.resolve("default")));
    assertTrue(
        r.out().contains("precision: " + chosen + " ") && r.out().contains(" — auto: "), r.out());
    r =
        PlanCommandTest.run(
            "train", "--resume", tmp.resolve("default").toString(), "--epochs", "1", "--quiet");
    assertEquals(0, r.code(), r.err() + r.out());
    assertEquals(chosen, recorded(tmp.resolve("default")), "resumed in what it started in");
  }

  @Test
  void aWrongValueIsNamedAndNoRunIsMade(@TempDir Path tmp) {
    PlanCommandTest.Result r = train(tmp, "bad", "--precision", "fp16");
    assertEquals(2, r.code(), r.out());
    assertTrue(
        r.err()
            .contains("--precision must be one of [fp32, bf16, bf16-declared, auto], was 'fp16'"),
        r.err());
    assertFalse(Files.exists(tmp.resolve("bad")));
  }
}
