package org.convmirror.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.gan.GanLoss;
import org.convmirror.gan.GanOptions;
import org.convmirror.gan.GanRun;
import org.convmirror.gan.GanTrainer;
import org.convmirror.run.Checkpoints;
import org.convmirror.run.Provenance;
import org.convmirror.run.RunDirectory;
import org.convmirror.run.TrainConfig;
import org.convmirror.run.TrainState;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.convmirror.vae.VaeRun;
import org.convmirror.vae.VaeTrainer;

/**
 * Writes imported weights as a new run directory whose first checkpoint is what a training run
 * would have saved at step 0: every block (a network not imported is freshly initialised from the
 * seed), the fixed noise, zero Adam moments under the optimizers' names, {@link TrainState#start()}
 * and {@code run.json}. {@code sample}, {@code evaluate} and {@code train --resume} then treat it
 * like any run. The one place where import writes runs.
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
      float learningRate,
      float beta1,
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
    boolean gan = spec.kind() == ModelKind.GAN;
    TrainConfig config =
        new TrainConfig(
            gan ? "gan" : "vae",
            model,
            modelYaml,
            s.dataset(),
            s.data(),
            1, // `train --resume` without --epochs trains one epoch; with --epochs N, N more
            s.batchSize(),
            s.seed(),
            "bce",
            s.learningRate(),
            s.beta1(),
            0.999f,
            1,
            1.0f,
            0.01f,
            1.0f,
            0,
            500,
            s.threads());
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, Block> blocks = new LinkedHashMap<>();
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      if (gan) {
        GanOptions options =
            new GanOptions(GanLoss.BCE, s.learningRate(), s.beta1(), 0.999f, 1, 1.0f, 0.01f);
        try (GanTrainer t = new GanTrainer(spec, options, manager, s.seed())) {
          Part g = Network.GENERATOR.parts(spec).get(0);
          BlockWeights.load(t.generator(), g, weights.get(Network.GENERATOR));
          // The weight average starts where the generator is, as in a new training run.
          BlockWeights.load(t.averagedGenerator(), g, weights.get(Network.GENERATOR));
          if (weights.containsKey(Network.DISCRIMINATOR)) {
            BlockWeights.load(
                t.discriminator(),
                Network.DISCRIMINATOR.parts(spec).get(0),
                weights.get(Network.DISCRIMINATOR));
          }
          blocks.put("generator", t.generator());
          blocks.put("generator_ema", t.averagedGenerator());
          blocks.put("discriminator", t.discriminator());
          Engine.getInstance().setRandomSeed((int) (s.seed() + 1)); // GanRun's fixed noise
          arrays.put("fixed_noise", t.noise(manager, GanRun.GRID));
          arrays.putAll(t.generatorOptimizer().state("generator."));
          arrays.putAll(t.discriminatorOptimizer().state("discriminator."));
          return save(config, blocks, arrays, s);
        }
      }
      try (VaeTrainer t =
          new VaeTrainer(spec, s.learningRate(), s.beta1(), 0.999f, manager, s.seed())) {
        Map<String, Block> vae = t.model().blocks();
        for (Network n : List.of(Network.DECODER, Network.ENCODER)) {
          Map<String, Tensor> w = weights.get(n);
          if (w == null) continue;
          for (Part p : n.parts(spec)) {
            BlockWeights.load(vae.get(p.name().isEmpty() ? "decoder" : p.name()), p, w);
          }
          if (n.hasObservationLogVariance(spec)) {
            BlockWeights.set(
                vae.get(Network.OBSERVATION_LOG_VARIANCE)
                    .getParameters()
                    .get("log_variance")
                    .getArray(),
                w.get(Network.OBSERVATION_LOG_VARIANCE),
                Network.OBSERVATION_LOG_VARIANCE);
          }
        }
        blocks.putAll(vae);
        Engine.getInstance().setRandomSeed((int) (s.seed() + 1)); // VaeRun's fixed noise
        arrays.put("fixed_noise", manager.randomNormal(t.model().latentShape(VaeRun.GRID)));
        arrays.putAll(t.optimizerState());
        return save(config, blocks, arrays, s);
      }
    }
  }

  private static Path save(
      TrainConfig config, Map<String, Block> blocks, Map<String, NDArray> arrays, Settings s)
      throws IOException {
    RunDirectory run = RunDirectory.create(s.runs(), s.name());
    run.writeRunInfo(Provenance.capture(s.commandLine(), s.seed(), s.source()), config);
    new Checkpoints(run.checkpointsDir()).save(0, blocks, arrays, TrainState.start());
    return run.root();
  }
}
