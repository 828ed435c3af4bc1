package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class DataSourcesTest {
  @TempDir Path dir;

  @Test
  void syntheticWithAndWithoutCount() {
    ImageSet train = DataSources.load(null, "synthetic", Split.TRAIN, 3, 16, 16, 5);
    assertEquals(DataSources.DEFAULT_SYNTHETIC_COUNT, train.count());
    assertEquals("3×16×16", train.shape());
    ImageSet small = DataSources.load(null, "Synthetic:12", Split.TRAIN, 1, 8, 8, 5);
    assertEquals(12, small.count());
    ImageSet test = DataSources.load(null, "synthetic:12", Split.TEST, 1, 8, 8, 5);
    assertNotEquals(small.hash(), test.hash()); // held-out shapes, not the training ones
  }

  @Test
  void badSyntheticCountIsExplained() {
    DataException e =
        assertThrows(
            DataException.class,
            () -> DataSources.load(null, "synthetic:lots", Split.TRAIN, 1, 8, 8, 0));
    assertEquals(
        "--data synthetic:lots: the count after 'synthetic:' must be a whole number ≥ 1",
        e.getMessage());
  }

  @Test
  void idxFolderSingleFileAndImageFolderAllOpen() throws IOException {
    Path idx = Idx.folder(dir.resolve("idx"), 6, 4, 5, 5);
    assertEquals(4, DataSources.load(null, idx.toString(), Split.TEST, 1, 5, 5, 0).count());
    ImageSet single =
        DataSources.open(idx.resolve("train-images-idx3-ubyte.gz"), Split.TEST, 1, 5, 5);
    assertEquals(6, single.count());
    assertTrue(single.hasLabels(), "labels are found next to a single images file");

    Path images = Files.createDirectories(dir.resolve("pics"));
    ImageIO.write(
        new BufferedImage(9, 7, BufferedImage.TYPE_INT_RGB),
        "png",
        images.resolve("a.png").toFile());
    assertEquals("3×32×32", DataSources.open(images, Split.TRAIN, 3, 32, 32).shape());
    DataException e =
        assertThrows(
            DataException.class,
            () -> DataSources.open(images.resolve("a.png"), Split.TRAIN, 3, 32, 32));
    assertEquals(
        images.resolve("a.png")
            + ": a single image is not a dataset; pass the folder that holds the images",
        e.getMessage());
  }

  @Test
  void idxOfTheWrongShapeIsAClearError() {
    Path idx = Idx.folder(dir.resolve("idx"), 2, 2, 28, 28);
    DataException e =
        assertThrows(
            DataException.class,
            () -> DataSources.load(null, idx.toString(), Split.TRAIN, 3, 32, 32, 0));
    assertTrue(
        e.getMessage().contains(" is 1×28×28 but the model expects 3×32×32; "), e.getMessage());
  }

  @Test
  void missingPathAndUnknownDatasetAreExplained() {
    Path missing = dir.resolve("nothing");
    DataException e =
        assertThrows(
            DataException.class,
            () -> DataSources.load(null, missing.toString(), Split.TRAIN, 1, 28, 28, 0));
    assertEquals(
        missing
            + ": no such file or folder; pass --data with an IDX images file, a folder of IDX"
            + " files or of PNG/JPEG images, or 'synthetic'",
        e.getMessage());
    e =
        assertThrows(
            DataException.class,
            () -> DataSources.load("cifar10", null, Split.TRAIN, 1, 28, 28, 0));
    assertEquals(
        "unknown dataset 'cifar10'; use one of [fashion-mnist], or --data PATH for your own IDX"
            + " files or image folder",
        e.getMessage());
  }

  @Test
  void namedDatasetWithDataDirReadsThatDir() {
    Path idx = Idx.folder(dir.resolve("fm"), 3, 2, 28, 28);
    ImageSet set = DataSources.load("fashion-mnist", idx.toString(), Split.TRAIN, 1, 28, 28, 0);
    assertEquals(3, set.count());
    assertEquals("T-shirt/top", set.classNames().get(0));
  }

  /** Issue 21: an empty --data trained on the current folder. */
  @Test
  void emptyDataIsRefusedNotTheCurrentFolder() {
    for (String blank : new String[] {"", " "}) {
      DataException e =
          assertThrows(
              DataException.class,
              () -> DataSources.load(null, blank, Split.TRAIN, 1, 8, 8, 0),
              "'" + blank + "'");
      assertTrue(e.getMessage().startsWith("--data is empty; give an IDX images file"));
    }
  }
}
