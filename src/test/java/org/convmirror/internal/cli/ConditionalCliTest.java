package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.convmirror.internal.run.Npy;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conditional GAN and a conditional VAE through the whole command line on tiny labelled synthetic
 * data (three classes: disc, rectangle, ring): plan, train, class-by-row grids, resume, sample
 * --class, per-class evaluation, and the one-line refusals.
 */
@Tier.Engine
class ConditionalCliTest {
  static final String GAN =
      """
      image: {channels: 1, height: 28, width: 28}
      latent: 8
      discriminator:
        conv:
          - {filters: 4, kernel: 4, stride: 2, padding: 1, activation: leaky_relu}
          - {filters: 8, kernel: 4, stride: 2, padding: 1, batch_norm: true, activation: leaky_relu}
          - {filters: 1, kernel: 7, stride: 1, padding: 0, activation: none}
      """;
  static final String CONDITIONAL = "conditional: {classes: auto}\n";

  private static PlanCommandTest.Result run(String... args) {
    return PlanCommandTest.run(args);
  }

  private static PlanCommandTest.Result train(Path model, String data, Path runs, String name) {
    return run(
        "train",
        "--model",
        model.toString(),
        "--data",
        data,
        "--epochs",
        "1",
        "--batch-size",
        "16",
        "--runs",
        runs.toString(),
        "--name",
        name,
        "--quiet");
  }

  /** A grid of {@code rows} × {@code cols} 28-pixel cells at scale 1 with 2-pixel padding. */
  private static void assertGrid(Path png, int rows, int cols) throws Exception {
    BufferedImage img = ImageIO.read(png.toFile());
    int cell = (img.getWidth() - 2 * (cols + 1)) / cols;
    assertEquals(cols * cell + 2 * (cols + 1), img.getWidth(), png + " width");
    assertEquals(rows * cell + 2 * (rows + 1), img.getHeight(), png + ": one row per class");
  }

  private static String oneLine(PlanCommandTest.Result r) {
    assertEquals(Main.USAGE, r.code(), r.err() + r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    return r.err();
  }

  @Test
  void aConditionalGanTrainsSamplesByClassAndEvaluatesPerClass(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("cgan.yaml");
    Files.writeString(model, GAN + CONDITIONAL);
    PlanCommandTest.Result r = run("plan", model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("projection"), r.out());
    assertTrue(r.out().contains("z ⧺ embed(y)"), r.out());

    Path runs = tmp.resolve("runs");
    r = train(model, "synthetic:64", runs, "c");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("conditional on 3 classes: 0 disc, 1 rectangle, 2 ring"), r.out());
    Path c = runs.resolve("c");
    assertTrue(Files.readString(c.resolve("config.yaml")).contains("classes: 3"));
    assertGrid(c.resolve("samples/epoch-0001.png"), 3, 10);

    r = run("train", "--resume", c.toString(), "--epochs", "1", "--quiet");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("epoch 2/2"), r.out());

    r = run("sample", c.toString(), "--class", "RING", "--count", "6", "--out", tmp + "/ring");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("6 samples of class 2 (ring)"), r.out());
    Npy.Array ring = Npy.read(tmp.resolve("ring/samples.npy"));
    assertArrayEquals(new long[] {6, 1, 28, 28}, ring.shape());
    r = run("sample", c.toString(), "--class", "2", "--count", "6", "--out", tmp + "/two");
    assertEquals(0, r.code(), r.err() + r.out());
    assertArrayEquals(ring.data(), Npy.read(tmp.resolve("two/samples.npy")).data(), "name = index");
    r = run("sample", c.toString(), "--class", "disc", "--count", "6", "--out", tmp + "/disc");
    assertEquals(0, r.code(), r.err() + r.out());
    assertFalse(
        Arrays.equals(ring.data(), Npy.read(tmp.resolve("disc/samples.npy")).data()),
        "the same noise as another class makes other images");
    r = run("sample", c.toString(), "--count", "12", "--out", tmp + "/all");
    assertEquals(0, r.code(), r.err() + r.out());
    assertGrid(tmp.resolve("all/grid.png"), 3, 10);

    assertTrue(oneLine(run("sample", c.toString(), "--class", "3")).contains("no such class"));
    assertTrue(oneLine(run("sample", c.toString(), "--class", "owl")).contains("0 disc, 1 rect"));

    r = run("evaluate", c.toString(), "--count", "30");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("per-class Fréchet distance mean"), r.out());
    assertTrue(r.out().contains("2 ring"), r.out());
    // The shipped classifier knows Fashion-MNIST's ten classes, not these three.
    assertTrue(r.out().contains("requested class agreement n/a"), r.out());
    assertTrue(Files.readString(c.resolve("evaluation-epoch-0002.json")).contains("conditional"));
    assertEquals(2, Files.readAllLines(c.resolve("evaluation-classes.csv")).size());

    // Exported networks take the label too (ConditionalExportCliTest holds their pixels).
    r = run("export", c.toString(), "--out", tmp + "/e");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(Files.exists(tmp.resolve("e/generator.onnx")));
  }

  @Test
  void classesOnTheWrongRunOrDataAreOneLine(@TempDir Path tmp) throws Exception {
    Path plain = tmp.resolve("gan.yaml");
    Files.writeString(plain, GAN);
    Path runs = tmp.resolve("runs");
    PlanCommandTest.Result r = train(plain, "synthetic:32", runs, "u");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(
        oneLine(run("sample", runs.resolve("u").toString(), "--class", "disc"))
            .contains("needs a conditional model"));

    // A flat image folder has no labels.
    Path folder = Files.createDirectories(tmp.resolve("flat"));
    for (int i = 0; i < 4; i++) {
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setSample(i, i, 0, 255);
      ImageIO.write(img, "png", folder.resolve("i" + i + ".png").toFile());
    }
    Path conditional = tmp.resolve("cgan.yaml");
    Files.writeString(conditional, GAN + CONDITIONAL);
    assertTrue(oneLine(train(conditional, folder.toString(), runs, "f")).contains("has no labels"));

    // Labels beyond a fixed class count.
    Path two = tmp.resolve("two.yaml");
    Files.writeString(two, GAN + "conditional: {classes: 2}\n");
    assertTrue(
        oneLine(train(two, "synthetic:32", runs, "t")).contains("outside the model's 2 classes"));
  }

  @Test
  void aConditionalVaeTrainsAndSamplesByClass(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("cvae.yaml");
    Files.writeString(model, VaeCliTest.MODEL + CONDITIONAL);
    Path runs = tmp.resolve("runs");
    PlanCommandTest.Result r = train(model, "synthetic:64", runs, "v");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("epoch 1: test −ELBO"), r.out());
    Path v = runs.resolve("v");
    BufferedImage grid = ImageIO.read(v.resolve("samples/epoch-0001.png").toFile());
    assertTrue(grid.getWidth() > 3 * grid.getHeight(), "3 rows of 10 columns");
    r = run("reconstruct", v.toString(), "--count", "4", "--interpolate", "0", "3");
    assertEquals(0, r.code(), r.err() + r.out());
    r = run("sample", v.toString(), "--class", "rectangle", "--count", "5", "--out", tmp + "/s");
    assertEquals(0, r.code(), r.err() + r.out());
    assertArrayEquals(new long[] {5, 1, 16, 16}, Npy.read(tmp.resolve("s/samples.npy")).shape());
  }
}
