package org.convmirror.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last file written into a checkpoint: the size and SHA-256 of every other file, so that a
 * truncated or bit-rotted checkpoint is recognised before any of it is loaded.
 */
record Manifest(String format, int step, Map<String, CheckpointFiles.Written> files) {
  static final String FILE = RunLayout.MANIFEST;
  static final String FORMAT = "convmirror-checkpoint/1";

  Manifest {
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files)); // keeps write order
  }

  static Builder builder(int step) {
    return new Builder(step);
  }

  /** Reads {@code dir}'s manifest and checks every file against it. */
  static Manifest verify(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isDirectory(dir)) {
      throw new IOException("checkpoint " + dir + " is missing");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("checkpoint " + dir + " is incomplete: no " + FILE);
    }
    Manifest m;
    try {
      m = Json.JSON.readValue(file.toFile(), Manifest.class);
    } catch (IOException e) {
      throw new IOException("checkpoint " + dir + " is corrupt: unreadable " + FILE, e);
    }
    if (!FORMAT.equals(m.format())) {
      throw new IOException("checkpoint " + dir + " has format " + m.format() + ", need " + FORMAT);
    }
    for (Map.Entry<String, CheckpointFiles.Written> e : m.files().entrySet()) {
      Path f = dir.resolve(e.getKey());
      if (!Files.isRegularFile(f)) {
        throw new IOException("checkpoint " + dir + " is incomplete: no " + e.getKey());
      }
      CheckpointFiles.Written actual = CheckpointFiles.hash(f);
      if (actual.size() != e.getValue().size()) {
        throw new IOException(
            "checkpoint "
                + dir
                + " is corrupt: "
                + e.getKey()
                + " has "
                + actual.size()
                + " bytes, expected "
                + e.getValue().size());
      }
      if (!actual.sha256().equals(e.getValue().sha256())) {
        throw new IOException(
            "checkpoint " + dir + " is corrupt: " + e.getKey() + " fails its SHA-256 check");
      }
    }
    return m;
  }

  /** Collects entries as files are written. */
  static final class Builder {
    private final int step;
    private final Map<String, CheckpointFiles.Written> files = new LinkedHashMap<>();

    private Builder(int step) {
      this.step = step;
    }

    void add(String name, CheckpointFiles.Written written) {
      files.put(name, written);
    }

    Manifest build() {
      return new Manifest(FORMAT, step, files);
    }
  }
}
