package org.convmirror.internal.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.run.RunDirectory;

/** The best evaluation score of a run so far, beside {@code checkpoints/best}. */
record BestScore(String metric, double score, int epoch, long iteration) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path file(RunDirectory run) {
    return run.layout().bestScore();
  }

  static BestScore read(RunDirectory run) throws IOException {
    Path f = file(run);
    return Files.isRegularFile(f) ? JSON.readValue(f.toFile(), BestScore.class) : null;
  }

  void write(RunDirectory run) throws IOException {
    AtomicFiles.write(file(run), JSON.writeValueAsBytes(this));
  }
}
