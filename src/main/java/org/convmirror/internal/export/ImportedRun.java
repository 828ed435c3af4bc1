package org.convmirror.internal.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.gan.GanObjective;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.TrainState;
import org.convmirror.internal.vae.VaeObjective;
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
 * {@code train --resume} then treat it like any run. The one place where import writes runs.
 */
public final class ImportedRun {
  private ImportedRun() {}

  /**
   * How the imported run is named and would train on.
   *
   * @param source a line for the provenance: which files, with their hashes
   */
  public record Settings(
      Path runs,
      String name,
      long seed,
      String dataset,
      String data,
      int batchSize,
      int threads,
      List<String> commandLine,
      String source) {}

  /**
   * Creates the run.
   *
   * @param weights state dicts, already checked by {@link StateDictCheck}, for the networks given
   * @return the run's directory
   */
  public static Path write(
      ModelSpec spec,
      String model,
      String modelYaml,
      Map<Network, Map<String, Tensor>> weights,
      Settings s)
      throws IOException {
    TrainConfig train =
        TrainConfig.builder(model, modelYaml)
            .dataset(s.dataset())
            .data(s.data())
            .epochs(
                1) // `train --resume` without --epochs trains one epoch; with --epochs N, N more
            .batchSize(s.batchSize())
            .seed(s.seed())
            .threads(s.threads())
            .build();
    if (spec.kind() == ModelKind.GAN) {
      RunConfig config = RunConfig.gan(train, GanOptions.builder().build());
      try (GanObjective gan = new GanObjective(spec, config.gan(), s.seed())) {
        Part g = Network.GENERATOR.parts(spec).get(0);
        BlockWeights.load(gan.generator(), g, weights.get(Network.GENERATOR));
        // The weight average starts where the generator is, as in a new training run.
        BlockWeights.load(gan.averagedGenerator(), g, weights.get(Network.GENERATOR));
        if (weights.containsKey(Network.DISCRIMINATOR)) {
          BlockWeights.load(
              gan.discriminator(),
              Network.DISCRIMINATOR.parts(spec).get(0),
              weights.get(Network.DISCRIMINATOR));
        }
        return save(config, gan, s);
      }
    }
    RunConfig config = RunConfig.vae(train, VaeOptions.builder().build());
    try (VaeObjective vae = new VaeObjective(spec, config.vae(), null, s.seed())) {
      var blocks = vae.model().blocks();
      for (Network n : List.of(Network.DECODER, Network.ENCODER)) {
        Map<String, Tensor> w = weights.get(n);
        if (w == null) continue;
        for (Part p : n.parts(spec)) {
          BlockWeights.load(blocks.get(p.name().isEmpty() ? "decoder" : p.name()), p, w);
        }
        if (n.hasObservationLogVariance(spec)) {
          BlockWeights.set(
              blocks
                  .get(Network.OBSERVATION_LOG_VARIANCE)
                  .getParameters()
                  .get("log_variance")
                  .getArray(),
              w.get(Network.OBSERVATION_LOG_VARIANCE),
              Network.OBSERVATION_LOG_VARIANCE);
        }
      }
      return save(config, vae, s);
    }
  }

  private static Path save(RunConfig config, Objective objective, Settings s) throws IOException {
    try (RunDirectory run = RunDirectory.create(s.runs(), s.name())) {
      run.writeRunInfo(
          Provenance.capture(s.commandLine(), s.seed(), s.source(), EngineSetup.describe()),
          config);
      new Checkpoints(run.layout().checkpointsDir())
          .save(0, objective.checkpoint(), TrainState.start());
      return run.root();
    }
  }
}
