package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 8-bit pixels on the heap and in mappings: segment arithmetic, and past 2³¹ bytes and values. */
@Tier.Pure
class BytePixelsTest {
  @TempDir Path tmp;

  @Test
  void mappingsSplitAtWholeImagesAndReadBackExactly() throws IOException {
    int size = 7;
    byte[] bytes = new byte[10 * size];
    new SplittableRandom(1).nextBytes(bytes);
    Path file = tmp.resolve("p");
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      ch.write(ByteBuffer.wrap(new byte[5]), 0); // the images start at an odd offset
      ch.write(ByteBuffer.wrap(bytes), 5);
      BytePixels mapped = BytePixels.map(ch, 5, 10, size, 20); // 2 images per segment
      BytePixels heap = BytePixels.heap(bytes, 0, 10, size);
      assertEquals(5, mapped.segments());
      assertEquals(1, heap.segments());
      byte[] a = new byte[size];
      byte[] b = new byte[size];
      float[] fa = new float[size];
      float[] fb = new float[size];
      for (int i = 0; i < 10; i++) {
        mapped.copyBytes(i, a, 0);
        heap.copyBytes(i, b, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, i * size, (i + 1) * size), a);
        assertArrayEquals(a, b);
        mapped.copy(i, fa, 0);
        heap.copy(i, fb, 0);
        assertArrayEquals(fb, fa);
        assertEquals((a[3] & 0xFF) / 127.5f - 1f, fa[3], 0f);
      }
      assertThrows(IndexOutOfBoundsException.class, () -> mapped.copyBytes(10, a, 0));
      assertThrows(IllegalArgumentException.class, () -> BytePixels.map(ch, 5, 10, size, 6));
    }
  }

  @Test
  void moreThanTwoToThe31ValuesInACacheFile() throws Exception {
    // 3×4×4 images, 48 bytes each: enough of them to pass 2³¹ values (and bytes). The file is
    // sparse: a few images are written around the segment boundary and at the end.
    int c = 3;
    int h = 4;
    int w = 4;
    int size = c * h * w;
    int count = (int) ((1L << 31) / size) + 1000;
    long values = (long) count * size;
    assertTrue(values > Integer.MAX_VALUE);
    int perSegment = (int) (BytePixels.MAX_SEGMENT / size);
    int[] written = {0, 1, perSegment - 1, perSegment, perSegment + 1, count - 1};
    Path file = tmp.resolve("sparse.cmimg");
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ)) {
      for (int i : written) {
        ch.write(ByteBuffer.wrap(image(i, size)), CacheFile.HEADER + (long) i * size);
      }
      assertTrue(
          CacheFile.HEADER + (long) perSegment * size > Integer.MAX_VALUE,
          "the second mapping starts past 2³¹ bytes into the file");
      byte[] summary =
          new CacheSummary(List.of(), List.of(), java.util.Map.of(), java.util.Map.of(), 0, 1)
              .toJson();
      long end = CacheFile.HEADER + values;
      ch.write(ByteBuffer.wrap(summary), end);
      CacheFile.Header header =
          new CacheFile.Header(
              count,
              c,
              h,
              w,
              false,
              "00".repeat(32),
              "0123456789abcdef",
              new long[] {values, 0, summary.length, 0},
              // Checksums are not verified here: reading 2 GiB of holes takes seconds on some file
              // systems; ImageCacheTest checks them.
              new int[] {0, 0, 0, 0});
      ch.write(header.encode(), 0);
    }

    try (FileChannel ch = CacheFile.open(file)) {
      CacheFile.Header h2 = CacheFile.header(ch);
      assertEquals(count, h2.count());
      BytePixels pixels = BytePixels.map(ch, CacheFile.HEADER, count, size, BytePixels.MAX_SEGMENT);
      assertEquals(2, pixels.segments());
      byte[] got = new byte[size];
      for (int i : written) {
        pixels.copyBytes(i, got, 0);
        assertArrayEquals(image(i, size), got, "image " + i);
      }
      pixels.copyBytes(perSegment + 2, got, 0);
      assertArrayEquals(new byte[size], got, "an image never written reads as zeros");

      ImageSet set = new ImageSet(c, h, w, pixels, null, null, List.of(), "sparse", "x");
      assertEquals(count, set.count());
      float[] last = set.image(count - 1);
      assertEquals((image(count - 1, size)[5] & 0xFF) / 127.5f - 1f, last[5], 0f);
      DataException e = assertThrows(DataException.class, set::pixels);
      assertTrue(e.getMessage().contains("more than one Java array holds"), e.getMessage());
      // The training path: shuffled batches straight from the mapping.
      try (BatchLoader loader = BatchLoader.start(set, 4, 7, true)) {
        Batch b = loader.next();
        assertEquals(4 * size, b.pixels().length);
      }
    }
  }

  /** Recognisable bytes for image {@code i}: its index spread over the image. */
  private static byte[] image(int i, int size) {
    byte[] b = new byte[size];
    for (int k = 0; k < size; k++) b[k] = (byte) (i * 31 + k * 7 + 1);
    return b;
  }
}
