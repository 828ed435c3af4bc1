package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Functional only: bench runs and reports; no timing is asserted. */
@Tier.Engine
class BenchCommandTest {

  @Test
  void jsonReportParses() throws Exception {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "bench",
            "--iterations",
            "2",
            "--warmup",
            "1",
            "--batch-size",
            "4",
            "--json",
            "--matmul-size",
            "256");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("dcgan28", j.get("model").asText());
    assertTrue(j.get("useful_gflops").asDouble() > 0);
    assertTrue(j.get("matmul_gflops").asDouble() > 0);
    assertTrue(j.get("phase_ms_mean").has("discriminator"), j.toString());
    assertTrue(j.get("phase_ms_mean").has("generator"), j.toString());
    assertTrue(j.get("rss_kib_after_iteration").has("3"));
  }

  @Test
  void textAndLayers() {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "bench",
            "--iterations",
            "2",
            "--warmup",
            "1",
            "--batch-size",
            "4",
            "--matmul-size",
            "256");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("useful / matmul"), r.out());
    PlanCommandTest.Result l =
        PlanCommandTest.run("bench", "--layers", "--layer-reps", "1", "--batch-size", "2");
    assertEquals(0, l.code(), l.err());
    assertTrue(l.out().contains("k4 s2 p1"), l.out());
  }

  @Test
  void vaeIterationsAreBenchedLikeAGan() throws Exception {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "bench",
            "--model",
            "vae28",
            "--iterations",
            "2",
            "--warmup",
            "1",
            "--batch-size",
            "4",
            "--json",
            "--matmul-size",
            "256");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("vae", j.get("kind").asText());
    assertTrue(j.get("images_per_second").asDouble() > 0);
    assertTrue(j.get("useful_gflops").asDouble() > 0);
    assertTrue(j.get("useful_over_matmul").asDouble() > 0);
    assertTrue(j.get("last_metrics").has("recon"), j.toString());
  }

  @Test
  void evaluationIsTimedColdThenFromTheCacheWithTheSameNumbers() throws Exception {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "bench", "--phase", "evaluate", "--eval-count", "40", "--json", "--matmul-size", "256");
    assertEquals(0, r.code(), r.err());
    JsonNode e = new ObjectMapper().readTree(r.out()).get("evaluate");
    assertEquals(40, e.get("count").asInt());
    assertTrue(e.get("same_numbers").asBoolean(), e.toString());
    // Only the cold run computes the reference; the cached ones score the generated images only.
    assertTrue(e.get("cold_phase_seconds").has("reference features"), e.toString());
    assertTrue(e.get("cold_phase_seconds").has("floor features"), e.toString());
    assertFalse(e.get("warm_disk_phase_seconds").has("reference features"), e.toString());
    assertFalse(e.get("warm_memory_phase_seconds").has("reference features"), e.toString());
    assertTrue(e.get("warm_memory_phase_seconds").has("generated features"), e.toString());
    assertTrue(e.get("feature_useful_over_matmul").asDouble() > 0);

    PlanCommandTest.Result text =
        PlanCommandTest.run(
            "bench", "--phase", "evaluate", "--eval-count", "40", "--matmul-size", "256");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("same numbers in all three: true"), text.out());
    assertTrue(text.out().contains("memory cache"), text.out());
  }

  @Test
  void anEvaluationCountBeyondTheDataIsOneLine() {
    PlanCommandTest.Result r =
        PlanCommandTest.run("bench", "--phase", "evaluate", "--eval-count", "60001");
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("--eval-count must be ≤ 10000, was 60001"), r.err());
  }
}
