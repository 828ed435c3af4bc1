package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Engine
class ProvenanceTest {
  @Test
  void capturesVersionsAndSerialises() throws Exception {
    // A non-UTC zone: the recorded timestamp must still be the UTC instant.
    Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05.678Z"), ZoneId.of("Asia/Tokyo"));
    Provenance p =
        Provenance.capture(
            List.of("train", "--seed", "42"), 42, "fashion-mnist", EngineSetup.describe(), clock);
    assertEquals("dev", p.convmirrorVersion()); // tests run from classes, not the jar
    assertEquals("0.36.0", p.djlVersion());
    assertEquals("PyTorch", p.engineName());
    assertEquals("2.7.1", p.engineVersion());
    assertEquals("2025-01-02T03:04:05.678Z", p.timestamp());
    assertEquals(Runtime.getRuntime().availableProcessors(), p.cpus());
    assertEquals(System.getProperty("java.version"), p.javaVersion());

    String json = Json.JSON.writeValueAsString(p);
    assertTrue(json.contains("\"seed\" : 42"), json);
    assertEquals(p, Json.JSON.readValue(json, Provenance.class));
  }
}
