package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.convmirror.TinyModels;
import org.convmirror.internal.export.Python;
import org.convmirror.internal.report.tensorboard.EventReader;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorBoard event files of a tiny run, trained and then resumed: decoded record by record
 * with valid CRCs by an independent reader (and by Debian's protobuf and crcmod in Python), they
 * hold exactly the scalars of losses.csv, each epoch's grid, and a session start where the resumed
 * process took over.
 */
@Tier.Process
class TensorBoardEventsTest {
  private static final List<String> METRICS = List.of("d_loss", "g_loss", "d_real", "d_fake");

  @TempDir Path tmp;

  @Test
  void eventFilesHoldTheScalarsOfLossesCsv() throws Exception {
    Path model = TinyModels.ganFile(tmp);
    PlanCommandTest.Result first =
        PlanCommandTest.run(
            "train",
            "--model",
            model.toString(),
            "--data",
            "synthetic:64",
            "--batch-size",
            "16",
            "--epochs",
            "2",
            "--runs",
            tmp.toString(),
            "--name",
            "tb",
            "--quiet");
    assertEquals(0, first.code(), first.err() + first.out());
    Path run = tmp.resolve("tb");
    PlanCommandTest.Result more =
        PlanCommandTest.run("train", "--resume", run.toString(), "--epochs", "1", "--quiet");
    assertEquals(0, more.code(), more.err() + more.out());

    List<Path> files;
    try (Stream<Path> s = Files.list(run.resolve("tensorboard"))) {
      files = s.sorted().toList();
    }
    assertEquals(2, files.size(), "one event file per training process: " + files);
    MetricsTable losses = MetricsLog.read(run.resolve("losses.csv"));
    assertEquals(12, losses.size());

    Map<Long, Map<String, Float>> seen = new TreeMap<>();
    List<EventReader.Event> a = EventReader.read(files.get(0));
    List<EventReader.Event> b = EventReader.read(files.get(1));
    assertEquals("brain.Event:2", a.get(0).fileVersion());
    assertEquals("brain.Event:2", b.get(0).fileVersion());
    assertEquals(1, b.get(1).sessionStatus(), "the resumed process starts a session");
    assertEquals(8, b.get(1).step(), "at the iteration it resumed from");
    List<EventReader.Event> all = new ArrayList<>(a);
    all.addAll(b);
    for (EventReader.Event e : all) {
      e.scalars()
          .forEach(
              (tag, v) -> {
                if (tag.startsWith("train/"))
                  seen.computeIfAbsent(e.step(), k -> new TreeMap<>()).put(tag, v);
              });
    }
    assertScalarsEqualCsv(losses, seen);

    // Each epoch's fixed-noise grid, byte for byte, at the epoch's last iteration.
    for (int epoch = 1; epoch <= 3; epoch++) {
      long step = 4L * epoch;
      EventReader.Image grid =
          all.stream()
              .filter(e -> e.step() == step && e.images().containsKey("samples/fixed_noise"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no grid at step " + step))
              .images()
              .get("samples/fixed_noise");
      byte[] png = Files.readAllBytes(run.resolve(String.format("samples/epoch-%04d.png", epoch)));
      assertArrayEquals(png, grid.png(), "epoch " + epoch);
      assertEquals(1, grid.colorspace());
    }
    assertTrue(
        all.stream().anyMatch(e -> e.scalars().containsKey("epoch/d_loss")), "epoch means logged");

    // The same files through Debian's protobuf and crcmod.
    Path script = tmp.resolve("read_events.py");
    try (InputStream in = EventReader.class.getResourceAsStream("read_events.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> args = new ArrayList<>(List.of(script.toString()));
    files.forEach(f -> args.add(f.toString()));
    String out = Python.run(tmp, args);
    Map<Long, Map<String, Float>> python = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    int images = 0;
    for (String line : out.strip().split("\n")) {
      JsonNode e = json.readTree(line);
      long step = e.get("step").asLong();
      for (var it = e.get("scalars").fields(); it.hasNext(); ) {
        var f = it.next();
        if (f.getKey().startsWith("train/")) {
          python
              .computeIfAbsent(step, k -> new TreeMap<>())
              .put(f.getKey(), (float) f.getValue().asDouble());
        }
      }
      JsonNode grid = e.get("images").get("samples/fixed_noise");
      if (grid != null) {
        byte[] png =
            Files.readAllBytes(run.resolve(String.format("samples/epoch-%04d.png", step / 4)));
        assertArrayEquals(png, Base64.getDecoder().decode(grid.get("png").asText()));
        images++;
      }
    }
    assertEquals(3, images);
    assertScalarsEqualCsv(losses, python);
  }

  private static void assertScalarsEqualCsv(
      MetricsTable losses, Map<Long, Map<String, Float>> seen) {
    double[] iterations = losses.column("iteration");
    assertEquals(losses.size(), seen.size(), "one step per row: " + seen.keySet());
    for (int r = 0; r < losses.size(); r++) {
      Map<String, Float> step = seen.get((long) iterations[r]);
      assertTrue(step != null, "no scalars at iteration " + iterations[r]);
      assertEquals(METRICS.size(), step.size(), step.toString());
      for (String m : METRICS) {
        float expected = (float) losses.column(m)[r];
        assertEquals(expected, step.get("train/" + m), m + " at iteration " + iterations[r]);
      }
    }
  }
}
