package org.convmirror.internal.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Path;

/** Shared Jackson mappers, configured once so every file in a run directory looks the same. */
final class Json {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // Readers of old runs must not break when a later version adds a field.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private Json() {}

  /** Atomically writes {@code value} as pretty JSON with a trailing newline. */
  static void writeJson(Path target, Object value) throws IOException {
    AtomicFiles.writeString(target, JSON.writeValueAsString(value) + "\n");
  }

  /** Atomically writes {@code value} as YAML. */
  static void writeYaml(Path target, Object value) throws IOException {
    AtomicFiles.writeString(target, YAML.writeValueAsString(value));
  }
}
