package org.convmirror;

import java.io.IOException;
import org.convmirror.run.RunDirectory;

/** Reading a run's resolved configuration, whichever format its {@code run.json} is in. */
final class Runs {
  private Runs() {}

  static RunConfig config(RunDirectory run) throws IOException {
    return RunDirectory.FORMAT_1.equals(run.format())
        ? RunConfig.fromFormat1(run.readConfigNode(), run.runJson())
        : run.readConfig(RunConfig.class);
  }
}
