package org.convmirror;

import java.io.IOException;
import org.convmirror.run.RunDirectory;

/** Reading a run's resolved configuration, whichever format its {@code run.json} is in. */
final class Runs {
  private Runs() {}

  static RunConfig config(RunDirectory run) throws IOException {
    if (!RunDirectory.FORMAT_1.equals(run.format())) return run.readConfig(RunConfig.class);
    try {
      return RunConfig.fromFormat1(run.readConfigNode());
    } catch (UsageException e) {
      // Format 1 kept every setting in one untyped object: a value that is missing or of the
      // wrong type surfaces only as the setting it leaves invalid, so say where it came from.
      throw new IOException(
          run.runJson()
              + ": the \"config\" section does not fit this convmirror ("
              + e.getMessage()
              + "); restore the file, or train a new run",
          e);
    }
  }
}
