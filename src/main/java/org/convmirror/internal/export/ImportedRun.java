package org.convmirror.internal.export;

import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.model.ModelFamily;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.run.StagedRun;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.TrainState;
import org.convmirror.options.GanOptions;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * Writes imported weights as a new run directory whose first checkpoint is what a training run
 * saves at step 0 — the objective built from the seed (a network not imported stays freshly
 * initialised), its fixed noise and zero Adam moments, {@link TrainState#start()} — and {@code
 * run.json} with the default options of the model's kind. {@code sample}, {@code evaluate} and
 * {@code train --resume} then treat it like any run. The model's family builds the networks.
 */
public final class ImportedRun {
  private ImportedRun() {}

  /**
   * Where the imported run goes and what it records.
   *
   * @param source a line for the provenance: which files, with their hashes
   */
  public record Settings(Path runs, String name, List<String> commandLine, String source) {}

  /**
   * Creates the run.
   *
   * @param train what {@code train --resume} continues with, and the seed of what is fresh
   * @param weights state dicts, already checked by {@link StateDictCheck}, for the networks given
   * @return the run's directory
   */
  public static Path write(
      ModelSpec spec, TrainConfig train, Map<Network, Map<String, Tensor>> weights, Settings s)
      throws IOException {
    RunConfig config =
        spec.kind() == ModelKind.GAN
            ? RunConfig.gan(train, GanOptions.builder().build())
            : RunConfig.vae(train, VaeOptions.builder().build());
    ModelFamily family = ModelFamily.of(spec);
    try (ModelFamily.Fresh fresh = family.fresh(config)) {
      for (Map.Entry<Network, Map<String, Tensor>> e : weights.entrySet()) {
        Network n = e.getKey();
        List<Part> parts = n.parts(spec);
        List<String> entries = family.networkEntries(n.isDerived());
        int[] block = Part.blocks(parts);
        for (int i = 0; i < parts.size(); i++) {
          Block b = fresh.networks().get(entries.get(block[i]));
          BlockWeights.load(b, parts.get(i), e.getValue());
        }
        if (n.hasObservationLogVariance(spec)) {
          Block b = fresh.networks().get(Network.OBSERVATION_LOG_VARIANCE);
          BlockWeights.set(
              b.getParameters().valueAt(0).getArray(),
              e.getValue().get(Network.OBSERVATION_LOG_VARIANCE),
              Network.OBSERVATION_LOG_VARIANCE);
        }
      }
      fresh.imported().run();
      return save(config, fresh.objective(), s);
    }
  }

  private static Path save(RunConfig config, Objective objective, Settings s) throws IOException {
    // Staged: a kill or a failure part-way leaves no half-written run blocking the name.
    try (StagedRun staged = StagedRun.create(s.runs(), s.name())) {
      RunDirectory run = staged.run();
      run.writeRunInfo(
          Provenance.capture(
              s.commandLine(), config.train().seed(), s.source(), EngineSetup.describe()),
          config);
      new Checkpoints(run.layout().checkpointsDir())
          .save(0, objective.checkpoint(), TrainState.start());
      return staged.publish();
    }
  }
}
