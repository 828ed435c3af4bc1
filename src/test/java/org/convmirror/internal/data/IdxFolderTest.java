package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class IdxFolderTest {
  @TempDir Path dir;

  @Test
  void readsEachStandardSplit() {
    Idx.folder(dir, 7, 3, 4, 4);
    ImageSet train = IdxFolder.read(dir, Split.TRAIN);
    ImageSet test = IdxFolder.read(dir, Split.TEST);
    assertEquals(7, train.count());
    assertEquals(3, test.count());
    assertTrue(train.hasLabels());
    assertEquals(2, test.label(2));
  }

  @Test
  void acceptsEmnistAndKaggleNamesRawOrGzipped() {
    Idx.write(dir.resolve("emnist-digits-test-images-idx3-ubyte"), Idx.images(2, 3, 3));
    Idx.write(dir.resolve("emnist-digits-test-labels-idx1-ubyte.gz"), Idx.gzip(Idx.labels(2)));
    Idx.write(dir.resolve("train-images.idx3-ubyte"), Idx.images(4, 3, 3));
    Idx.write(dir.resolve("train-labels.idx1-ubyte"), Idx.labels(4));
    assertTrue(IdxFolder.read(dir, Split.TEST).hasLabels());
    assertTrue(IdxFolder.read(dir, Split.TRAIN).hasLabels());
  }

  @Test
  void prefersTheUncompressedTwin() {
    Idx.folder(dir, 2, 2, 2, 2);
    Idx.write(dir.resolve("train-images-idx3-ubyte"), Idx.images(2, 2, 2));
    assertEquals(dir.resolve("train-images-idx3-ubyte"), IdxFolder.imagesFile(dir, Split.TRAIN));
  }

  @Test
  void severalCandidatesAskTheUserToChoose() {
    Idx.write(dir.resolve("emnist-letters-train-images-idx3-ubyte"), Idx.images(1, 2, 2));
    Idx.write(dir.resolve("emnist-digits-train-images-idx3-ubyte"), Idx.images(1, 2, 2));
    DataException e = assertThrows(DataException.class, () -> IdxFolder.read(dir, Split.TRAIN));
    assertEquals(
        dir
            + ": several train images files [emnist-digits-train-images-idx3-ubyte,"
            + " emnist-letters-train-images-idx3-ubyte]; pass the one you want with --data FILE",
        e.getMessage());
  }

  @Test
  void missingSplitNamesTheExpectedFile() {
    Idx.write(dir.resolve("train-images-idx3-ubyte.gz"), Idx.gzip(Idx.images(1, 2, 2)));
    assertFalse(IdxFolder.holds(dir, Split.TEST));
    DataException e = assertThrows(DataException.class, () -> IdxFolder.read(dir, Split.TEST));
    assertTrue(
        e.getMessage()
            .startsWith(dir + ": no test images file (looked for t10k-images-idx3-ubyte[.gz]);"),
        e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"));
  }

  @Test
  void missingFolderSaysHowToGetData() {
    DataException e =
        assertThrows(DataException.class, () -> IdxFolder.read(dir.resolve("x"), Split.TRAIN));
    assertTrue(e.getMessage().startsWith(dir.resolve("x") + ": no such folder; install"));
  }

  /** The installed dataset (tools/test installs Debian's dataset-fashion-mnist). */
  @Test
  void realFashionMnistTestSplit() {
    assertTrue(
        IdxFolder.holds(FashionMnist.SYSTEM_DIR, Split.TEST),
        "install Debian's dataset-fashion-mnist (files under " + FashionMnist.SYSTEM_DIR + ")");
    ImageSet test = FashionMnist.load(null, Split.TEST);
    assertEquals(10_000, test.count());
    assertEquals("1×28×28", test.shape());
    int[] perClass = new int[10];
    for (int label : test.labels()) {
      perClass[label]++; // throws if a label is outside 0..9
    }
    for (int n : perClass) {
      assertEquals(1000, n); // Fashion-MNIST's test split is balanced
    }
    assertEquals("Ankle boot", test.classNames().get(9));
  }
}
