package org.convmirror.internal.report.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TFRecord framing and the Event encoding, against hand-made bytes and a separate reader. */
@Tier.Pure
class RecordFramingTest {

  @Test
  void crc32cOfTheStandardCheckString() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xE3069283, EventReader.crc32c(check)); // RFC 3720's check value
    int expectedMasked = Integer.rotateRight(0xE3069283, 15) + 0xa282ead8;
    assertEquals(expectedMasked, RecordWriter.maskedCrc32c(check, 0, check.length));
  }

  @Test
  void aRecordIsLengthCrcDataCrc() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] data = {1, 2, 3};
    new RecordWriter(out).write(data);
    byte[] header = {3, 0, 0, 0, 0, 0, 0, 0};
    int h = EventReader.masked(header);
    int d = EventReader.masked(data);
    byte[] expected = {
      3,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) h,
      (byte) (h >>> 8),
      (byte) (h >>> 16),
      (byte) (h >>> 24),
      1,
      2,
      3,
      (byte) d,
      (byte) (d >>> 8),
      (byte) (d >>> 16),
      (byte) (d >>> 24)
    };
    assertArrayEquals(expected, out.toByteArray());
  }

  @Test
  void eventsDecodeFieldByField() {
    // Event{wall_time=1.5, file_version="brain.Event:2"}, by hand: tag 0x09 + 8 bytes, tag 0x1a.
    byte[] v = Events.fileVersion(1.5);
    assertEquals(0x09, v[0]);
    assertEquals(
        1.5, java.nio.ByteBuffer.wrap(v, 1, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble());
    assertEquals(0x1a, v[9]);
    assertEquals(13, v[10]);
    assertEquals("brain.Event:2", new String(v, 11, 13, StandardCharsets.US_ASCII));
    assertEquals(24, v.length);
  }

  @Test
  void aFileReadsBackAsWritten(@TempDir Path tmp) throws IOException {
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("train/d_loss", 0.6931471805599453);
    scalars.put("train/g_loss", -1e20);
    byte[] png = getClass().getResourceAsStream("tiny.png").readAllBytes();
    Path file;
    try (EventFile f = EventFile.create(tmp)) {
      f.sessionStart(7);
      f.scalars(8, scalars);
      f.png(8, "samples/fixed_noise", png);
      file = f.path();
    }
    assertEquals(true, file.getFileName().toString().startsWith("events.out.tfevents."));
    List<EventReader.Event> events = EventReader.read(file);
    assertEquals(4, events.size());
    assertEquals("brain.Event:2", events.get(0).fileVersion());
    assertEquals(1, events.get(1).sessionStatus());
    assertEquals(7, events.get(1).step());
    assertEquals(8, events.get(2).step());
    assertEquals((float) 0.6931471805599453, events.get(2).scalars().get("train/d_loss"));
    assertEquals(-1e20f, events.get(2).scalars().get("train/g_loss"));
    EventReader.Image image = events.get(3).images().get("samples/fixed_noise");
    assertArrayEquals(png, image.png());
    assertEquals(3, image.width());
    assertEquals(2, image.height());
    assertEquals(1, image.colorspace(), "a greyscale PNG");
  }

  @Test
  void aSecondFileOfTheSameProcessAndSecondTakesTheNextName(@TempDir Path tmp) throws IOException {
    // A run resumed in-process within the second of its start (the API, tests) keeps its events.
    Path first;
    Path second;
    try (EventFile a = EventFile.create(tmp);
        EventFile b = EventFile.create(tmp)) {
      first = a.path();
      second = b.path();
    }
    assertEquals(
        true, first.getFileName().toString().compareTo(second.getFileName().toString()) < 0);
    assertEquals(2, EventReader.read(first).size() + EventReader.read(second).size());
  }

  @Test
  void aFlippedBitIsCaught(@TempDir Path tmp) throws IOException {
    Path file;
    try (EventFile f = EventFile.create(tmp)) {
      f.scalars(1, Map.of("a", 1.0));
      file = f.path();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 1; // inside the last record's data
    Files.write(file, bytes);
    IOException e = assertThrows(IOException.class, () -> EventReader.read(file));
    assertEquals(true, e.getMessage().contains("bad data CRC at record 1"), e.getMessage());
  }
}
