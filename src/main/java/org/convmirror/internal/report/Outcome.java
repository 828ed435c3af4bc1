package org.convmirror.internal.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.convmirror.internal.run.AtomicFiles;

/**
 * How the last training process of a run ended, as {@code outcome.json} records it: {@code
 * training} while it runs (and forever, if it is killed: no process is left to say so), or one of
 * {@code finished}, {@code diverged}, {@code disk_full}, {@code failed} with the one line the
 * process stopped with and the checkpoint to go on from.
 *
 * @param state {@code training}, {@code finished}, {@code diverged}, {@code disk_full}, {@code
 *     failed}
 * @param message the line the process stopped with; null while training and when finished
 * @param checkpoint the checkpoint to sample or resume from, relative to the run; null if none
 * @param pid the training process
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(
    String state,
    String message,
    Integer epoch,
    Long iteration,
    String checkpoint,
    long pid,
    String time) {
  public static final String TRAINING = "training";
  public static final String FINISHED = "finished";
  public static final String DIVERGED = "diverged";
  public static final String DISK_FULL = "disk_full";
  public static final String FAILED = "failed";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Outcome {
    if (state == null || state.isBlank()) {
      throw new IllegalArgumentException("an outcome needs a state");
    }
  }

  /** This process's outcome now, stamped with its PID and the time. */
  static Outcome now(String state, String message, Integer epoch, Long iteration, String ckpt) {
    return new Outcome(
        state,
        message,
        epoch,
        iteration,
        ckpt,
        ProcessHandle.current().pid(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** Whether the process stopped on its own, for a reason other than reaching its epochs. */
  public boolean failed() {
    return !state.equals(TRAINING) && !state.equals(FINISHED);
  }

  /** The record in {@code file}, or null when there is none (a run older than this record). */
  static Outcome read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) return null;
    try {
      return JSON.readValue(file.toFile(), Outcome.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(file + " is not an outcome record (" + e.getMessage() + ")", e);
    }
  }

  void write(Path file) throws IOException {
    AtomicFiles.write(file, JSON.writeValueAsBytes(this));
  }
}
