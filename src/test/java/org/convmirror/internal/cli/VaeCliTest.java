package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole VAE command line on tiny synthetic data: train, reconstruct, interpolate, sample. */
@Tier.Engine
class VaeCliTest {
  static final String MODEL =
      """
      image: {channels: 1, height: 16, width: 16}
      latent: 4
      encoder:
        conv:
          - {filters: 4, kernel: 4, stride: 2, padding: 1, activation: relu}
          - {filters: 8, kernel: 4, stride: 2, padding: 1, batch_norm: true, activation: relu}
      decoder:
        likelihood: bernoulli
      """;

  @Test
  void trainThenReconstruct(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("tiny-vae.yaml");
    Files.writeString(model, MODEL);
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "train",
            "--model",
            model.toString(),
            "--data",
            "synthetic:64",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--runs",
            tmp.resolve("runs").toString(),
            "--name",
            "v",
            "--quiet");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("epoch 1: test −ELBO"), r.out());
    assertTrue(r.out().contains("floor"), r.out());
    Path run = tmp.resolve("runs/v");
    String config = Files.readString(run.resolve("config.yaml"));
    assertTrue(config.contains("learning_rate: 0.001"), config); // the VAE default, not DCGAN's
    assertTrue(config.contains("beta1: 0.9"), config);
    for (String f : new String[] {"epochs.csv", "losses.csv", "losses.png", "metrics.json"}) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    assertTrue(Files.exists(run.resolve("samples/recon-0001.png")));

    r =
        PlanCommandTest.run(
            "reconstruct", run.toString(), "--count", "4", "--interpolate", "0", "3");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(Files.exists(run.resolve("reconstructions/reconstructions.png")));
    assertTrue(Files.exists(run.resolve("reconstructions/interpolate-0-3.png")));

    r =
        PlanCommandTest.run(
            "sample",
            run.toString(),
            "--count",
            "5",
            "--png",
            "--out",
            tmp.resolve("s").toString());
    assertEquals(0, r.code(), r.err() + r.out());
    Npy.Array npy = Npy.read(tmp.resolve("s/samples.npy"));
    assertArrayEquals(new long[] {5, 1, 16, 16}, npy.shape());
    for (float v : npy.data()) assertTrue(v >= 0 && v <= 1);
    assertTrue(Files.exists(tmp.resolve("s/images/00004.png")));
    assertTrue(Files.exists(tmp.resolve("s/grid.png")));

    r = PlanCommandTest.run("reconstruct", run.toString(), "--interpolate", "0", "999");
    assertEquals(Main.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("outside the test split"), r.err());
  }

  @Test
  void evalEveryKeepsTheBestCheckpointOfAVaeToo(@TempDir Path tmp) throws Exception {
    PlanCommandTest.Result r =
        PlanCommandTest.run(
            "train",
            "--model",
            "vae28",
            "--data",
            "synthetic:64",
            "--epochs",
            "2",
            "--batch-size",
            "16",
            "--runs",
            tmp.toString(),
            "--name",
            "v",
            "--quiet",
            "--eval-every",
            "1",
            "--eval-count",
            "16");
    assertEquals(0, r.code(), r.err() + r.out());
    Path run = tmp.resolve("v");
    assertTrue(r.out().contains("epoch 1: FD"), r.out());
    assertTrue(Files.exists(run.resolve("checkpoints/best/MANIFEST.json")));
    assertTrue(Files.readString(run.resolve("checkpoints/best.json")).contains("\"FD\""));
    assertTrue(Files.exists(run.resolve("evaluation-epoch-0002.json")));
    r = PlanCommandTest.run("sample", run.resolve("checkpoints/best").toString(), "--count", "3");
    assertEquals(0, r.code(), r.err() + r.out());
  }
}
