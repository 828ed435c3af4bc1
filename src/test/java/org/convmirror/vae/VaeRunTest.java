package org.convmirror.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convmirror.config.ModelFiles;
import org.convmirror.data.DataSources;
import org.convmirror.data.ImageSet;
import org.convmirror.data.Split;
import org.convmirror.run.Checkpoints;
import org.convmirror.run.ImageBatch;
import org.convmirror.run.MetricsLog;
import org.convmirror.run.MetricsTable;
import org.convmirror.run.Provenance;
import org.convmirror.run.RunDirectory;
import org.convmirror.run.TrainConfig;
import org.convmirror.run.TrainState;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted after one epoch and resumed for one more logs what an unbroken run logs. */
class VaeRunTest {
  static final String MODEL =
      """
      image: {channels: 1, height: 16, width: 16}
      latent: 4
      encoder:
        conv:
          - {filters: 4, kernel: 4, stride: 2, padding: 1, activation: relu}
          - {filters: 8, kernel: 4, stride: 2, padding: 1, batch_norm: true, activation: relu}
        dense:
          - {units: 16, activation: relu}
      """;

  static TrainConfig config(int epochs, float warmup) {
    return new TrainConfig(
        "vae",
        "tiny",
        MODEL,
        null,
        "synthetic:96",
        epochs,
        32,
        3,
        "bce",
        1e-3f,
        0.9f,
        0.999f,
        1,
        1f,
        0.01f,
        1f,
        (int) warmup,
        0,
        1);
  }

  static void train(RunDirectory run, TrainConfig c, Integer more) throws Exception {
    var spec = ModelFiles.parse(c.modelYaml(), c.model());
    ImageSet data = DataSources.load(null, c.data(), Split.TRAIN, 1, 16, 16, c.seed());
    ImageSet test = DataSources.load(null, "synthetic:40", Split.TEST, 1, 16, 16, c.seed());
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    VaeRun.train(c, spec, data, test, run, quiet, false, more);
  }

  @Test
  void resumedRunContinuesExactly(@TempDir Path tmp) throws Exception {
    TrainConfig two = config(2, 1);
    RunDirectory straight = RunDirectory.create(tmp, "straight");
    straight.writeRunInfo(Provenance.capture(List.of("test"), 3, "synthetic"), two);
    train(straight, two, null);

    TrainConfig one = config(1, 1);
    RunDirectory first = RunDirectory.create(tmp, "resumed");
    first.writeRunInfo(Provenance.capture(List.of("test"), 3, "synthetic"), one);
    train(first, one, null);
    train(RunDirectory.openForResume(tmp.resolve("resumed")), one, 1);

    for (String column : List.of("iteration", "loss", "recon", "kl", "beta")) {
      assertEquals(
          List.of(boxed(read(straight.lossesCsv()).column(column))),
          List.of(boxed(read(tmp.resolve("resumed/losses.csv")).column(column))),
          column);
    }
    MetricsTable a = read(VaeRun.epochsCsv(straight));
    MetricsTable b = read(tmp.resolve("resumed/epochs.csv"));
    assertEquals(2, b.size());
    assertEquals(a.column("test_nelbo")[1], b.column("test_nelbo")[1], 0);
    // KL warm-up over one epoch: β rises from 0 and stays at 1 in epoch 2.
    double[] beta = read(straight.lossesCsv()).column("beta");
    assertEquals(0, beta[0], 0);
    assertEquals(1, beta[beta.length - 1], 0);
    assertTrue(Files.exists(VaeRun.reconstructionFile(straight, 2)));
    assertTrue(Files.exists(straight.sampleFile(2)));
    assertTrue(Files.readString(straight.metricsJson()).contains("\"bce_floor\""));

    // The checkpoint loads into a fresh model, which reconstructs as the run did.
    try (NDManager m = NDManager.newBaseManager();
        VaeModel model = new VaeModel(spec(), m, 99)) {
      new Checkpoints(straight.checkpointsDir()).load(model.blocks(), m, TrainState.class);
      ImageSet test = DataSources.load(null, "synthetic:40", Split.TEST, 1, 16, 16, 3);
      ImageBatch grid = VaeSampler.reconstructions(model, test, 3, 2); // 2 rows of 2 pairs
      assertEquals(8, grid.n());
      for (float v : grid.data()) assertTrue(v >= 0 && v <= 1);
      float[] black = new float[16 * 16];
      float[] padded = java.util.Arrays.copyOfRange(grid.data(), 5 * 256, 6 * 256);
      assertEquals(List.of(boxed(black)), List.of(boxed(padded))); // the short row's blank slot
    }
  }

  static ModelSpec spec() {
    return ModelFiles.parse(MODEL, "tiny");
  }

  private static MetricsTable read(Path csv) throws Exception {
    return MetricsLog.read(csv);
  }

  private static Double[] boxed(double[] d) {
    Double[] out = new Double[d.length];
    for (int i = 0; i < d.length; i++) out[i] = d[i];
    return out;
  }

  private static Float[] boxed(float[] d) {
    Float[] out = new Float[d.length];
    for (int i = 0; i < d.length; i++) out[i] = d[i];
    return out;
  }
}
