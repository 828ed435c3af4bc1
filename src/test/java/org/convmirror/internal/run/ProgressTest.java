package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class ProgressTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  final AtomicLong now = new AtomicLong(1_000_000_000L);

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void rendersTheDocumentedLine() {
    Progress p = Progress.builder(out).total(937).optInteractive(false).optClock(now::get).build();
    for (int i = 0; i < 312; i++) {
      now.addAndGet(131_410_000L); // 64 images per 0.13141 s ≈ 487 img/s
      p.step(64);
    }
    p.set("d", 0.5123).set("g", 2.3149);
    assertEquals(
        "[========>                     ] 312/937 33% 00:41<01:22 487.0 img/s d=0.512 g=2.31",
        p.render());
  }

  @Test
  void interactiveRedrawsInPlaceAtMostFiveTimesASecond() {
    Progress p =
        Progress.builder(out)
            .total(100)
            .optLabel("epoch 1/2")
            .optInteractive(true)
            .optClock(now::get)
            .build();
    for (int i = 0; i < 100; i++) {
      now.addAndGet(10_000_000L); // 100 steps of 10 ms = 1 s
      p.step(8);
    }
    p.finish();
    String s = text();
    long redraws = s.chars().filter(c -> c == '\r').count();
    // one per 200 ms plus the forced redraw at 100 % and the one in finish()
    assertTrue(redraws >= 5 && redraws <= 7, "redraws: " + redraws);
    assertTrue(s.endsWith(System.lineSeparator()));
    assertFalse(s.substring(0, s.length() - 1).contains("\n"));
    String last = s.substring(s.lastIndexOf('\r') + 1).strip();
    assertTrue(
        last.startsWith(
            "epoch 1/2 [==============================] 100/100 100% 00:01<00:00 800.0 img/s"),
        last);
  }

  @Test
  void nonInteractivePrintsALineEveryStepPercent() {
    Progress p =
        Progress.builder(out)
            .total(8)
            .optInteractive(false)
            .optPercentStep(25)
            .optClock(now::get)
            .build();
    for (int i = 0; i < 8; i++) {
      now.addAndGet(500_000_000L);
      p.step(1);
    }
    p.finish();
    p.finish();
    String[] lines = text().split("\\R");
    assertEquals(4, lines.length, text());
    assertTrue(lines[0].contains(" 2/8 25% "), lines[0]);
    assertTrue(lines[3].contains(" 8/8 100% 00:04<00:00 2.0 img/s"), lines[3]);
    assertFalse(text().contains("\r"));
  }

  @Test
  void stoppedEarlyStillReportsWhereItStopped() {
    Progress p =
        Progress.builder(out)
            .total(10)
            .optInteractive(false)
            .optPercentStep(50)
            .optClock(now::get)
            .build();
    p.step(1);
    p.finish();
    assertTrue(text().contains(" 1/10 10% 00:00<--:-- 0.0 img/s"), text());
  }

  @Test
  void clockFormatsHours() {
    assertEquals("00:41", Progress.clock(41.2));
    assertEquals("59:59", Progress.clock(3599));
    assertEquals("1:00:05", Progress.clock(3605));
  }
}
