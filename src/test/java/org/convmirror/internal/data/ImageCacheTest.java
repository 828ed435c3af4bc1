package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoded-folder cache: hit, miss, stale, damaged, atomic, and the same bytes on any thread.
 */
@Tier.Pure
class ImageCacheTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final AtomicLong decoded = new AtomicLong();

  private DataAccess access(Path cache) {
    return DataAccess.defaults()
        .withConsole(
            new PrintStream(console, true, StandardCharsets.UTF_8),
            total ->
                new DataAccess.Meter() {
                  @Override
                  public void step(long n) {
                    decoded.addAndGet(n);
                  }

                  @Override
                  public void finish() {}
                })
        .withCacheDir(cache);
  }

  private FolderData open(Path root, Path cache) {
    return ImageFolder.open(root, 3, 8, 8, access(cache), false);
  }

  private String said() {
    String s = console.toString(StandardCharsets.UTF_8);
    console.reset();
    return s;
  }

  @Test
  void missDecodesHitDecodesNothing() throws IOException {
    Path root = TestImages.folder(tmp.resolve("f"), 2, 5);
    Path cache = tmp.resolve("cache");
    FolderData first = open(root, cache);
    assertEquals(ImageCache.State.MISS, first.before());
    assertEquals(10, decoded.getAndSet(0));
    assertEquals(10, first.images().count());
    assertEquals(List.of("c0", "c1"), first.images().classNames());
    FileTime written = Files.getLastModifiedTime(first.file());

    FolderData second = open(root, cache);
    assertEquals(ImageCache.State.HIT, second.before());
    assertEquals(0, decoded.get(), "a hit decodes nothing");
    assertEquals(written, Files.getLastModifiedTime(second.file()), "nor rewrites the cache");
    assertEquals(first.images().hash(), second.images().hash());
    for (int i = 0; i < 10; i++) {
      assertArrayEquals(first.images().image(i), second.images().image(i));
      assertEquals(first.images().label(i), second.images().label(i));
    }
    assertEquals("", said());
  }

  @Test
  void aChangedFolderIsDecodedAgainAndSaysHow() throws IOException {
    Path root = TestImages.folder(tmp.resolve("f"), 2, 4);
    Path cache = tmp.resolve("cache");
    open(root, cache);
    Path touched = root.resolve("c0/001.png");
    Files.setLastModifiedTime(touched, FileTime.fromMillis(1_000_000L));
    Files.delete(root.resolve("c1/003.png"));
    Files.write(root.resolve("c1/new.png"), TestImages.png(8, 8, 99));
    Files.write(root.resolve("c1/new2.png"), TestImages.png(8, 8, 98));
    decoded.set(0);
    FolderData again = open(root, cache);
    assertEquals(ImageCache.State.STALE, again.before());
    assertEquals("2 files added, 1 removed, 1 changed", again.detail());
    assertEquals(9, decoded.get(), "the whole folder is decoded again");
    assertEquals(9, again.images().count());
    assertEquals(
        root
            + " changed since it was decoded (2 files added, 1 removed, 1 changed); decoding it"
            + " again\n",
        said());
    try (Stream<Path> files = Files.list(cache)) {
      assertEquals(1, files.count(), "the new state replaces the old file");
    }
    assertEquals(ImageCache.State.HIT, open(root, cache).before());
  }

  @Test
  void aDamagedCacheIsDetectedAndRebuiltWithOneWarning() throws IOException {
    Path root = TestImages.folder(tmp.resolve("f"), 1, 6);
    Path cache = tmp.resolve("cache");
    FolderData good = open(root, cache);
    Path file = good.file();
    byte[] bytes = Files.readAllBytes(file);
    String hash = good.images().hash();
    record Damage(String what, byte[] bytes, String reason) {}
    byte[] flipped = bytes.clone();
    flipped[CacheFile.HEADER + 100] ^= 1;
    byte[] header = bytes.clone();
    header[20] ^= 1;
    byte[] labels = bytes.clone();
    labels[labels.length - 3] ^= 1; // in the manifest
    for (Damage d :
        List.of(
            new Damage("cut short", java.util.Arrays.copyOf(bytes, bytes.length - 1), "truncated"),
            new Damage("too short for a header", new byte[100], "truncated (100 bytes)"),
            new Damage("a flipped pixel bit", flipped, "pixels checksum mismatch"),
            new Damage("a flipped header bit", header, "header checksum mismatch"),
            new Damage("a flipped manifest bit", labels, "manifest checksum mismatch"),
            new Damage("another file", "hello".repeat(1000).getBytes(), "not a convmirror"))) {
      Files.write(file, d.bytes());
      said();
      decoded.set(0);
      FolderData rebuilt = open(root, cache);
      assertEquals(ImageCache.State.DAMAGED, rebuilt.before(), d.what());
      assertTrue(rebuilt.detail().startsWith(d.reason()), d.what() + ": " + rebuilt.detail());
      String warning = said();
      assertEquals(1, warning.lines().count(), warning);
      assertTrue(
          warning.startsWith("warning: the image cache " + file + " is damaged (" + d.reason()),
          warning);
      assertEquals(6, decoded.get(), d.what());
      assertEquals(hash, rebuilt.images().hash(), d.what());
    }
  }

  @Test
  void parallelDecodingWritesTheSameBytesAsOneThread() throws Exception {
    Path root = TestImages.folder(tmp.resolve("f"), 3, 40);
    TestImages.bad(TestImages.Bad.CORRUPT, root.resolve("c1/bad.png"));
    Path one = tmp.resolve("one");
    Path four = tmp.resolve("four");
    FolderData a = ImageFolder.open(root, 3, 16, 12, access(one).withThreads(1), false);
    FolderData b = ImageFolder.open(root, 3, 16, 12, access(four).withThreads(4), false);
    assertEquals(1, a.summary().threads());
    assertEquals(4, b.summary().threads());
    try (FileChannel ca = CacheFile.open(a.file());
        FileChannel cb = CacheFile.open(b.file())) {
      CacheFile.Header ha = CacheFile.header(ca);
      CacheFile.Header hb = CacheFile.header(cb);
      assertEquals(120, ha.count());
      assertEquals(ha.key(), hb.key());
      assertEquals(ha.hash(), hb.hash());
      for (int s :
          new int[] {CacheFile.Header.PIXELS, CacheFile.Header.LABELS, CacheFile.Header.MANIFEST}) {
        // Only the summary differs: it records the threads and the time taken.
        byte[] x = section(ca, ha, s);
        assertArrayEquals(x, section(cb, hb, s), "section " + s);
      }
    }
    assertEquals(a.summary().skipped(), b.summary().skipped());
  }

  private static byte[] section(FileChannel ch, CacheFile.Header h, int s) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(h.lengths()[s]));
    ch.read(b, h.offset(s));
    return b.array();
  }

  @Test
  void theHashIsTheFloatFingerprintOfDecodingInMemory() throws IOException {
    // run.json's dataset identity must not change: SHA-256 over every pixel as float32 LE in
    // [-1, 1] (as decoded before the cache existed), then every label as int32 LE.
    Path root = TestImages.folder(tmp.resolve("f"), 2, 7);
    ImageSet set = ImageFolder.read(root, 3, 10, 9, access(tmp.resolve("cache")));
    MessageDigest d = Hashes.sha256();
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    for (Path f : files) {
      BufferedImage rgb = Resize.fitAndCrop(Resize.toRgb(ImageIO.read(f.toFile())), 10, 9);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 10; y++) {
          for (int x = 0; x < 9; x++) {
            int v = (rgb.getRGB(x, y) >> (16 - 8 * c)) & 0xFF;
            d.update(b.clear().putFloat(v / 127.5f - 1f).array());
          }
        }
      }
    }
    for (Path f : files) {
      d.update(
          b.clear().putInt(f.getParent().getFileName().toString().equals("c0") ? 0 : 1).array());
    }
    assertEquals(HexFormat.of().formatHex(d.digest()).substring(0, 16), set.hash());
    assertEquals(set.hash(), Hashes.of(set), "and streaming the set again gives it too");
  }

  @Test
  void writingIsAtomicAndRefusalsLeaveNothing() throws IOException {
    Path cache = tmp.resolve("cache");
    Path root = TestImages.folder(tmp.resolve("f"), 1, 3);
    Path file = ImageCache.fileFor(cache, root, 3, 8, 8);
    Files.createDirectories(cache);
    Path abandoned = cache.resolve(file.getFileName() + ".tmp-999999999.1"); // no such process
    Files.write(abandoned, new byte[123]);
    open(root, cache);
    assertEquals(List.of(file), list(cache), "the dead process's temporary file is gone");

    Path bad = Files.createDirectories(tmp.resolve("bad"));
    for (TestImages.Bad kind : TestImages.Bad.values()) {
      TestImages.bad(kind, bad.resolve(TestImages.name(kind)));
    }
    Path badCache = tmp.resolve("bad-cache");
    if (Files.isReadable(bad.resolve("UNREADABLE.png"))) {
      Files.delete(bad.resolve("UNREADABLE.png")); // root reads it: it would be decodable
    }
    DataException none = assertThrows(DataException.class, () -> open(bad, badCache));
    assertTrue(none.getMessage().startsWith(bad + ": none of the "), none.getMessage());
    assertTrue(none.getMessage().contains(" image files could be decoded: "), none.getMessage());
    assertEquals(List.of(), list(badCache), "nothing decodable: no cache, no temporary file");

    Files.write(bad.resolve("good.png"), TestImages.png(8, 8, 1));
    DataException strict =
        assertThrows(
            DataException.class,
            () ->
                ImageFolder.open(bad, 3, 8, 8, access(badCache).withStrict(true), false)
                    .report(new PrintStream(OutputStream.nullOutputStream()), true));
    assertTrue(strict.getMessage().contains(" cannot be used: "), strict.getMessage());
    assertEquals(List.of(), list(badCache), "refused under --strict: nothing written");
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void everyUnusableFileIsSkippedWithItsReason() throws IOException {
    Path root = TestImages.folder(tmp.resolve("f"), 1, 2);
    for (TestImages.Bad kind : TestImages.Bad.values()) {
      TestImages.bad(kind, root.resolve("c0/" + TestImages.name(kind)));
    }
    FolderData data = open(root, tmp.resolve("cache"));
    for (TestImages.Bad kind : TestImages.Bad.values()) {
      Path file = root.resolve("c0/" + TestImages.name(kind));
      List<FolderScan.Skip> named =
          data.skipped().stream()
              .filter(s -> s.name().equals("c0/" + TestImages.name(kind)))
              .toList();
      if (!TestImages.unusable(kind, file)) {
        assertEquals(List.of(), named, kind + " is readable here (root), so it is used");
        continue;
      }
      assertEquals(1, named.size(), kind + ": " + data.skipped());
      assertTrue(named.get(0).reason().startsWith(TestImages.reason(kind)), named.toString());
    }
  }

  @Test
  void aFileThatBecomesReadableIsDecodedAgain() throws IOException {
    Path root = TestImages.folder(tmp.resolve("f"), 1, 2);
    Path locked = TestImages.bad(TestImages.Bad.UNREADABLE, root.resolve("c0/locked.png"));
    Path cache = tmp.resolve("cache");
    int first = open(root, cache).images().count();
    Files.setPosixFilePermissions(
        locked, java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ));
    FolderData after = open(root, cache);
    assertEquals(3, after.images().count());
    if (first == 2) {
      assertEquals(ImageCache.State.STALE, after.before(), "chmod changes no time or size");
      assertEquals("a file that could not be read now can", after.detail());
    } else {
      assertEquals(3, first, "root read it from the start");
      assertEquals(ImageCache.State.HIT, after.before());
    }
  }

  @Test
  void theCacheFolderFollowsTheXdgRuleUnlessSet() {
    String old = System.getProperty("convmirror.cache");
    try {
      System.setProperty("convmirror.cache", tmp.toString());
      assertEquals(tmp, ImageCache.dir());
    } finally {
      if (old == null) System.clearProperty("convmirror.cache");
      else System.setProperty("convmirror.cache", old);
    }
    Path a = ImageCache.fileFor(tmp, Path.of("/data/my faces"), 3, 64, 64);
    Path b = ImageCache.fileFor(tmp, Path.of("/other/my faces"), 3, 64, 64);
    assertTrue(a.getFileName().toString().startsWith("my_faces-"), a.toString());
    assertTrue(a.getFileName().toString().endsWith("-3x64x64.cmimg"), a.toString());
    assertNotEquals(a, b, "one file per folder");
    assertFalse(a.equals(ImageCache.fileFor(tmp, Path.of("/data/my faces"), 1, 64, 64)));
  }

  @Test
  void aCacheFolderThatCannotBeMadeIsOneLine() throws IOException {
    Path root = TestImages.folder(tmp.resolve("f"), 1, 1);
    Path blocker = Files.writeString(tmp.resolve("file"), "x");
    DataException e = assertThrows(DataException.class, () -> open(root, blocker.resolve("c")));
    assertTrue(e.getMessage().startsWith("cannot create the image cache folder "), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("set CONVMIRROR_CACHE to a writable folder"), e.getMessage());
    assertEquals("x", Files.readString(blocker));
  }
}
