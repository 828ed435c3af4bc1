package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
