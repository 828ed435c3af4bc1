package org.convmirror.internal.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.data.DataAccess;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.nn.MixedPrecision;
import org.convmirror.internal.run.DecodeProgress;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RecordedConfig;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.run.RunNames;
import org.convmirror.internal.train.RunLoop;
import org.convmirror.internal.train.TrainState;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.shape.ModelPlans;
import org.convmirror.shape.PlanTable;
import org.convmirror.spec.Conditioning;

/**
 * Trains a new run ({@link #train}) or continues one ({@link #resume}): the job behind the API's
 * {@code Training} and the CLI's {@code train}. The run directory appears only once everything it
 * needs is in hand ({@link TrainSetup}); {@link RunLoop} does the rest.
 */
public final class TrainJob {
  private TrainJob() {}

  /** What a training job did. */
  public record Outcome(Path runDirectory, RunConfig config, RunLoop.Result loop) {

    /** Where training stands now. */
    public TrainState state() {
      return loop.state();
    }

    /** Whether any training happened (false when the run had already reached its target). */
    public boolean trained() {
      return loop.last() != null;
    }

    /** One line: epochs, iterations, throughput and the last numbers. */
    public String summary() {
      StringBuilder s =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%d epochs, %d iterations, %.1f images/s",
                  state().epoch(),
                  state().iteration(),
                  loop.imagesPerSecond()));
      String epoch = loop.lastEpoch() == null ? "" : loop.lastEpoch().summary();
      if (!epoch.isEmpty()) {
        s.append("; ").append(epoch.replaceFirst("; [^;]*$", ""));
      } else if (loop.last() != null) {
        for (int i = 0; i < 2 && i < loop.last().length; i++) {
          s.append(i == 0 ? "; " : ", ")
              .append(loop.metrics().get(i).column())
              .append(String.format(Locale.ROOT, " %.3f", loop.last()[i]));
        }
      }
      return s.append("; run ").append(runDirectory).toString();
    }
  }

  /** Trains a new run to the end; progress goes to {@code console}, redrawn if interactive. */
  public static Outcome train(TrainPlan plan, PrintStream console, boolean interactive)
      throws IOException {
    RunConfig rc = plan.config();
    TrainConfig c = rc.train();
    RunNames.checkCreatable(plan.runs(), plan.name());
    EngineSetup.configure(c.threads());
    DataAccess access = DecodeProgress.access(console, interactive).withStrict(plan.strictData());
    try (TrainSetup setup = TrainSetup.of(rc, plan.spec(), access);
        RunDirectory run = RunDirectory.create(plan.runs(), plan.name())) {
      String data = setup.train.identity();
      run.writeRunInfo(
          Provenance.capture(plan.commandLine(), c.seed(), data, EngineSetup.describe()),
          setup.config);
      console.println(setup.spec.kind() + " " + c.model() + " on " + data);
      console.println(MixedPrecision.describe(c.precision(), setup.config.train().precision()));
      if (setup.spec.isConditional()) {
        Conditioning k = setup.spec.conditioning();
        console.println("conditional on " + k.classes() + " classes: " + k.describeClasses());
      }
      console.print(PlanTable.render(ModelPlans.derived(setup.spec)));
      console.println("run directory: " + run.root());
      RunLoop.Result r = setup.loop(run, target -> {}, null, console, interactive);
      return new Outcome(run.root(), setup.config, r);
    }
  }

  /**
   * Continues a run from its latest checkpoint with the settings it recorded; {@code moreEpochs}
   * (or null for the recorded total) more epochs.
   */
  public static Outcome resume(
      Path runDirectory, Integer moreEpochs, PrintStream console, boolean interactive)
      throws IOException {
    if (moreEpochs != null && moreEpochs < 1) {
      throw new UsageException(
          "--epochs must be ≥ 1 (with --resume: how many epochs more to train), was " + moreEpochs);
    }
    try (RunDirectory run = RunDirectory.openForResume(runDirectory)) {
      RunConfig rc = RecordedConfig.of(run);
      TrainConfig c = rc.train();
      EngineSetup.configure(c.threads());
      DataAccess access = DecodeProgress.access(console, interactive);
      try (TrainSetup setup =
          TrainSetup.of(rc, ModelFiles.parse(c.modelYaml(), c.model()), access)) {
        Provenance provenance = run.readProvenance();
        RunConfig[] recorded = {rc};
        RunLoop.Result r =
            setup.loop(
                run,
                target -> {
                  recorded[0] = rc.toBuilder().train(c.toBuilder().epochs(target).build()).build();
                  try {
                    run.writeRunInfo(provenance, recorded[0]);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                },
                moreEpochs,
                console,
                interactive);
        return new Outcome(run.root(), recorded[0], r);
      }
    }
  }
}
