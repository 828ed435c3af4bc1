package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Engine
class PlanCommandTest {

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void defaultModelTable() {
    Result r = run("plan");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("discriminator: 1×28×28 → 1×1×1"), r.out());
    assertTrue(r.out().contains("generator: 100×1×1 → 1×28×28"), r.out());
    assertTrue(r.out().contains("conv_transpose  100→128"), r.out());
  }

  @Test
  void jsonHasTheDocumentedForm() throws Exception {
    Result r = run("plan", "dcgan28", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode root = new ObjectMapper().readTree(r.out());
    JsonNode g = root.get("generator");
    assertEquals("[100,1,1]", g.get("input").toString());
    assertEquals("[1,28,28]", g.get("output").toString());
    JsonNode first = g.get("layers").get(0);
    assertEquals("conv_transpose", first.get("kind").asText());
    assertEquals(100, first.get("in_channels").asInt());
    assertEquals(128, first.get("out_channels").asInt());
    assertEquals("[7,7]", first.get("kernel").toString());
    assertEquals("[0,0]", first.get("output_padding").toString());
    assertEquals("[128,7,7]", first.get("output").toString());
    assertEquals(
        "[64,14,14]", root.get("discriminator").get("layers").get(0).get("output").toString());
    assertTrue(g.get("parameters").asLong() > 0);
  }

  @Test
  void vaeFileUsesEncoderAndDecoder() throws Exception {
    Result r = run("plan", "vae28", "--json");
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertTrue(root.has("encoder") && root.has("decoder"), r.out());
    assertTrue(run("plan", "vae28").out().contains("decoder: 16 → 1×28×28"));
  }

  @Test
  void brokenFileExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, ModelFilesText.DEFAULT.replace("stride: 1", "stride: 0"));
    Result r = run("plan", f.toString());
    assertEquals(2, r.code());
    assertEquals("convmirror: discriminator.conv[2].stride: must be ≥ 1, was 0", r.err().strip());
    assertEquals(1, r.err().strip().lines().count());
  }

  @Test
  void missingFileExitsTwo() {
    Result r = run("plan", "/no/such/model.yaml");
    assertEquals(2, r.code());
    assertTrue(
        r.err().startsWith("convmirror: model file /no/such/model.yaml does not exist"), r.err());
  }

  static final class ModelFilesText {
    static final String DEFAULT = org.convmirror.internal.config.ModelFiles.builtInText("dcgan28");
  }
}
