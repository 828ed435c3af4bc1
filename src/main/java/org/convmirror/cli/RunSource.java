package org.convmirror.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.convmirror.config.ModelFiles;
import org.convmirror.run.Checkpoints;
import org.convmirror.run.RunDirectory;
import org.convmirror.run.TrainConfig;
import org.convmirror.run.TrainState;
import org.convmirror.spec.ModelSpec;

/**
 * A trained model named on the command line: a run directory (its latest checkpoint) or one
 * checkpoint directory inside it. The model is rebuilt from the run's own copy of its file.
 */
record RunSource(RunDirectory run, TrainConfig config, ModelSpec spec, Path checkpoint) {

  static RunSource open(Path path) throws IOException {
    Path root = path;
    Path checkpoint = null;
    if (Files.isRegularFile(path.resolve("MANIFEST.json"))) {
      checkpoint = path;
      root = path.toAbsolutePath().getParent().getParent();
    } else if (path.getFileName() != null && path.getFileName().toString().equals("checkpoints")) {
      root = path.toAbsolutePath().getParent();
    }
    RunDirectory run = RunDirectory.openForReading(root);
    TrainConfig config = run.readConfig(TrainConfig.class);
    ModelSpec spec = ModelFiles.parse(config.modelYaml(), config.model());
    return new RunSource(run, config, spec, checkpoint);
  }

  /** Loads the named blocks' weights from the chosen (or latest complete) checkpoint. */
  Checkpoints.Loaded<TrainState> load(Map<String, Block> blocks, NDManager manager)
      throws IOException {
    if (checkpoint != null)
      return Checkpoints.loadExactly(checkpoint, blocks, manager, TrainState.class);
    Checkpoints.Loaded<TrainState> loaded =
        new Checkpoints(run.checkpointsDir()).load(blocks, manager, TrainState.class);
    loaded.warnings().forEach(w -> System.err.println("warning: " + w));
    return loaded;
  }

  /** The training position recorded in the chosen (or latest) checkpoint. */
  TrainState checkpointState() throws IOException {
    Path c = checkpoint;
    if (c == null) {
      c =
          new Checkpoints(run.checkpointsDir())
              .latest()
              .orElseThrow(() -> new IOException("no checkpoint in " + run.checkpointsDir()));
    }
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readValue(c.resolve("state.json").toFile(), TrainState.class);
  }
}
