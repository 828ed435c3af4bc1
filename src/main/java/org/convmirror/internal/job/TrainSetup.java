package org.convmirror.internal.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.internal.data.DataAccess;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.eval.RunEvaluation;
import org.convmirror.internal.model.ModelFamily;
import org.convmirror.internal.nn.MixedPrecision;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.EpochPlan;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.train.RunLoop;
import org.convmirror.options.Precision;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * Everything a run needs before its directory is touched: the memory check, data, the objective
 * (from the model's family), how epochs divide into iterations, the evaluation, and the
 * configuration to record — a conditional model's classes resolved from the data.
 */
final class TrainSetup implements AutoCloseable {
  final RunConfig config;
  final ModelSpec spec;
  final ImageSet train;
  final Objective objective;
  final EpochPlan plan;
  final RunEvaluation evaluation;

  private TrainSetup(
      RunConfig config,
      ModelSpec spec,
      ImageSet train,
      Objective objective,
      EpochPlan plan,
      RunEvaluation eval) {
    this.config = config;
    this.spec = spec;
    this.train = train;
    this.objective = objective;
    this.plan = plan;
    this.evaluation = eval;
  }

  static TrainSetup of(RunConfig rc, ModelSpec spec, DataAccess access) throws IOException {
    // A new run records the concrete choice; a recorded one is concrete already.
    Precision precision = MixedPrecision.resolve(rc.train().precision());
    rc = rc.toBuilder().train(rc.train().toBuilder().precision(precision).build()).build();
    TrainConfig c = rc.train();
    TrainingMemory.check(spec, c.batchSize());
    ImageSet train = load(c, spec, Split.TRAIN, access);
    ImageSet test =
        spec.kind() == ModelKind.VAE || c.evalEvery() > 0
            ? load(c, spec, Split.TEST, access)
            : null;
    if (spec.isConditional()) {
      Conditioning resolved = ClassLabels.resolve(spec.conditioning(), train, "the training data");
      if (test != null) ClassLabels.check(resolved, test, "the test split");
      if (!resolved.equals(spec.conditioning())) {
        spec = spec.withConditioning(resolved);
        TrainConfig recorded = c.toBuilder().model(c.model(), ModelWriter.yaml(spec)).build();
        rc = rc.toBuilder().train(recorded).build();
      }
    }
    Objective objective = ModelFamily.of(spec).objective(rc, test);
    try {
      EpochPlan plan = EpochPlan.of(train.count(), c.batchSize(), objective.batchesPerIteration());
      RunEvaluation eval =
          c.evalEvery() <= 0
              ? null
              : RunEvaluation.open(
                  test,
                  train,
                  c.classifier() == null ? null : Path.of(c.classifier()),
                  c.evalCount(),
                  c.evalEvery(),
                  null,
                  System.out);
      return new TrainSetup(rc, spec, train, objective, plan, eval);
    } catch (IOException | RuntimeException e) {
      objective.close();
      throw e;
    }
  }

  /**
   * Trains in {@code run}: {@code more} epochs more than its checkpoint has done (null: to the
   * recorded target), telling {@code onTarget} a new target so that it can be recorded.
   */
  RunLoop.Result loop(
      RunDirectory run,
      IntConsumer onTarget,
      Integer more,
      PrintStream console,
      boolean interactive)
      throws IOException {
    if (evaluation != null) evaluation.reportTo(run, console);
    return RunLoop.builder(objective, train, plan, config.train(), run)
        .optConsole(console, interactive)
        .optMoreEpochs(more, onTarget)
        .optEvaluation(evaluation)
        .build()
        .run();
  }

  private static ImageSet load(TrainConfig c, ModelSpec spec, Split split, DataAccess access) {
    var s = spec.image();
    return DataSources.load(
        c.dataset(), c.data(), split, s.channels(), s.height(), s.width(), c.seed(), access);
  }

  @Override
  public void close() {
    if (evaluation != null) evaluation.close();
    objective.close();
  }
}
