package org.convmirror.internal.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.convmirror.error.UsageException;

/** What {@link RunDirectory#openForResume} refuses before it creates or changes anything. */
final class ResumeChecks {
  private ResumeChecks() {}

  /**
   * A run that logged iterations but whose {@code checkpoints/} folder is gone cannot continue its
   * history; training it from the start would overwrite its logs. (A run killed before its first
   * checkpoint still has the folder, and restarts.)
   */
  static void refuseLostCheckpoints(Path dir) throws IOException {
    RunLayout layout = new RunLayout(dir);
    Path losses = layout.lossesCsv();
    if (Files.isDirectory(layout.checkpointsDir(), LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(losses)) {
      return;
    }
    long rows;
    try (var lines = Files.lines(losses, StandardCharsets.ISO_8859_1)) {
      rows = lines.skip(1).filter(l -> !l.isBlank()).count();
    }
    if (rows > 0) {
      throw new UsageException(
          dir
              + " has "
              + rows
              + " iterations in "
              + losses.getFileName()
              + " but no "
              + layout.checkpointsDir().getFileName()
              + "/ folder to continue them from: restore that folder from a backup, or train a"
              + " new run with 'convmirror train --name NEW' (nothing was changed)");
    }
  }
}
