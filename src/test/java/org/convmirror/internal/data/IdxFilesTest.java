package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class IdxFilesTest {
  @TempDir Path dir;

  @Test
  void rawRoundTripKeepsEveryPixelAndLabel() {
    Path images = Idx.write(dir.resolve("x-images-idx3-ubyte"), Idx.images(5, 3, 4));
    Path labels = Idx.write(dir.resolve("x-labels-idx1-ubyte"), Idx.labels(5));
    ImageSet set = IdxFiles.read(images, labels);
    assertEquals(5, set.count());
    assertEquals("1×3×4", set.shape());
    for (int i = 0; i < 5; i++) {
      float[] image = set.image(i);
      for (int p = 0; p < 12; p++) {
        assertEquals(Idx.pixel(i, p) / 127.5f - 1f, image[p], 0f);
      }
      assertEquals(i % 10, set.label(i));
    }
  }

  @Test
  void extremesMapExactlyToMinusOneAndOne() {
    byte[] bytes = Idx.images(1, 1, 2);
    bytes[16] = 0;
    bytes[17] = (byte) 255;
    ImageSet set = IdxFiles.read(Idx.write(dir.resolve("i"), bytes), null);
    assertArrayEquals(new float[] {-1f, 1f}, set.image(0));
    assertFalse(set.hasLabels());
  }

  @Test
  void gzipIsDetectedByMagicBytesNotByName() {
    Path raw = Idx.write(dir.resolve("raw.gz"), Idx.images(4, 2, 2)); // misleading name
    Path gz = Idx.write(dir.resolve("gz.bin"), Idx.gzip(Idx.images(4, 2, 2)));
    ImageSet a = IdxFiles.read(raw, null);
    ImageSet b = IdxFiles.read(gz, null);
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(a.image(i), b.image(i));
    }
    // The fingerprint is of content, so packaging does not change a dataset's identity.
    assertEquals(a.hash(), b.hash());
    assertEquals(16, a.hash().length());
  }

  @Test
  void identityNamesFilesShapeAndHash() {
    Path images = Idx.write(dir.resolve("t10k-images-idx3-ubyte"), Idx.images(3, 2, 2));
    Path labels = Idx.write(dir.resolve("t10k-labels-idx1-ubyte"), Idx.labels(3));
    String identity = IdxFiles.read(images, labels).identity();
    assertTrue(
        identity.startsWith(images + " + t10k-labels-idx1-ubyte [3×1×2×2, sha256:"), identity);
  }

  @Test
  void missingFileNamesPathAndHowToGetTheData() {
    Path missing = dir.resolve("nope-images-idx3-ubyte.gz");
    DataException e = assertThrows(DataException.class, () -> IdxFiles.read(missing, null));
    assertEquals(
        missing
            + ": no such file; install Fashion-MNIST with `apt-get install"
            + " dataset-fashion-mnist`, or pass --data DIR naming a folder with the IDX files",
        e.getMessage());
  }

  @Test
  void labelFileGivenAsImagesIsNamed() {
    Path labels = Idx.write(dir.resolve("labels.gz"), Idx.gzip(Idx.labels(3)));
    DataException e = assertThrows(DataException.class, () -> IdxFiles.read(labels, null));
    assertEquals(
        labels
            + ": wrong magic number: expected 0x00000803 (an IDX image file) but found 0x00000801"
            + " (this is a label file, not an image file); pass the *-images-idx3-ubyte file",
        e.getMessage());
  }

  @Test
  void imageFileGivenAsLabelsIsNamed() {
    Path images = Idx.write(dir.resolve("images"), Idx.images(3, 2, 2));
    DataException e = assertThrows(DataException.class, () -> IdxFiles.readLabels(images));
    assertTrue(e.getMessage().contains("this is an image file, not a label file"), e.getMessage());
  }

  @Test
  void pngIsNotIdx() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0};
    Path file = Idx.write(dir.resolve("cat.png"), png);
    DataException e = assertThrows(DataException.class, () -> IdxFiles.read(file, null));
    assertTrue(
        e.getMessage().contains("found 0x89504E47 (a PNG image, not IDX data)"), e.getMessage());
  }

  @Test
  void truncatedFileSaysHowManyBytesWereExpected() {
    byte[] full = Idx.images(10, 28, 28);
    Path file = Idx.write(dir.resolve("cut"), Arrays.copyOf(full, 16 + 1000));
    DataException e = assertThrows(DataException.class, () -> IdxFiles.read(file, null));
    assertEquals(
        file
            + ": truncated: the header promises 10×28×28 = 7840 data bytes but the file holds"
            + " 1000; the file is damaged or incomplete, fetch it again",
        e.getMessage());
  }

  @Test
  void truncatedLabelFileIsCaught() {
    byte[] full = Idx.labels(10);
    Path file = Idx.write(dir.resolve("labels"), Arrays.copyOf(full, 12));
    DataException e = assertThrows(DataException.class, () -> IdxFiles.readLabels(file));
    assertTrue(
        e.getMessage()
            .contains(
                "truncated: the header promises 10 labels = 10 data bytes but the file holds 4"),
        e.getMessage());
  }

  @Test
  void imageAndLabelCountsMustAgree() {
    Path images = Idx.write(dir.resolve("images"), Idx.images(5, 2, 2));
    Path labels = Idx.write(dir.resolve("labels"), Idx.labels(4));
    DataException e = assertThrows(DataException.class, () -> IdxFiles.read(images, labels));
    assertEquals(
        labels
            + ": holds 4 labels but "
            + images
            + " holds 5 images; pair files of the same split (train-* with train-*, t10k-* with"
            + " t10k-*)",
        e.getMessage());
  }

  @Test
  void corruptGzipIsOneClearError() {
    byte[] gz = Idx.gzip(Idx.images(50, 8, 8));
    Path cut = Idx.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
    DataException e = assertThrows(DataException.class, () -> IdxFiles.read(cut, null));
    assertTrue(e.getMessage().startsWith(cut + ": corrupt gzip data ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("fetch it again"), e.getMessage());

    byte[] garbled = gz.clone();
    for (int i = 12; i < 40; i++) {
      garbled[i] ^= 0x5A;
    }
    Path bad = Idx.write(dir.resolve("bad.gz"), garbled);
    e = assertThrows(DataException.class, () -> IdxFiles.read(bad, null));
    assertTrue(e.getMessage().startsWith(bad + ": corrupt gzip data ("), e.getMessage());
  }

  @Test
  void emptyFileIsTooShort() {
    Path empty = Idx.write(dir.resolve("empty"), new byte[0]);
    DataException e = assertThrows(DataException.class, () -> IdxFiles.read(empty, null));
    assertEquals(
        empty + ": only 0 bytes, too short to be an IDX image file; fetch it again",
        e.getMessage());
    assertNull(IdxFolder.labelsFor(empty));
  }
}
