package org.convmirror.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.convmirror.TinyModels;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.run.IoConsumer;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.Provenance;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.testing.Tier;
import org.convmirror.options.GanOptions;
import org.convmirror.options.GanPreset;
import org.convmirror.options.TrainConfig;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loop's promise for every objective: N iterations straight, or N/2-and-a-bit, a crash between
 * checkpoints, and a resume — the same losses bit for bit, the same epoch rows, the same weights.
 */
@Tier.Engine
class ResumeExactnessTest {
  static final int BATCH = 16;
  static final int CRASH_AT = 9; // after the checkpoint at 8, in the middle of epoch 2

  @TempDir Path tmp;

  static Stream<Arguments> objectives() {
    ModelSpec gan = TinyModels.GAN;
    ModelSpec vae = TinyModels.vae(ImageShape.of(1, 16, 16), Likelihood.BERNOULLI, 4);
    ImageSet test = DataSources.load(null, "synthetic:40", Split.TEST, 1, 16, 16, 3);
    Supplier<Objective> g = () -> Objectives.gan(gan, GanOptions.builder().build(), 3);
    // Random horizontal flips of the real images, drawn in the loader from their own stream.
    Supplier<Objective> flipped =
        () -> Objectives.gan(gan, GanOptions.builder().augment("flip,translation").build(), 3);
    // Two G steps from the sixth iteration on: the generator's Adam resumes at its own step count.
    Supplier<Objective> g2 =
        () -> Objectives.gan(gan, GanOptions.builder().generatorSteps(2, 5 * BATCH).build(), 3);
    Supplier<Objective> v =
        () -> Objectives.vae(vae, VaeOptions.builder().klWarmupEpochs(1).build(), test, 3);
    // Conditional: labels come with each batch, fake labels from their own stream.
    ModelSpec cgan = gan.withConditioning(Conditioning.of(3));
    ModelSpec cvae = vae.withConditioning(Conditioning.of(3));
    Supplier<Objective> cg =
        () ->
            Objectives.gan(
                cgan, GanPreset.WGAN_GP.options().toBuilder().discriminatorSteps(1).build(), 3);
    Supplier<Objective> cg2 =
        () -> Objectives.gan(cgan, GanOptions.builder().generatorSteps(2).build(), 3);
    Supplier<Objective> cv =
        () -> Objectives.vae(cvae, VaeOptions.builder().klWarmupEpochs(1).build(), test, 3);
    return Stream.of(
        Arguments.of("gan", gan, g),
        Arguments.of("gan, --augment flip,translation", gan, flipped),
        Arguments.of("gan, --g-steps 2 --g-steps-from 80", gan, g2),
        Arguments.of("vae", vae, v),
        Arguments.of("conditional gan, wgan-gp", cgan, cg),
        Arguments.of("conditional gan, --g-steps 2", cgan, cg2),
        Arguments.of("conditional vae", cvae, cv));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objectives")
  void crashAndResumeEqualsAStraightRun(String kind, ModelSpec spec, Supplier<Objective> make)
      throws Exception {
    ImageSet data = data(spec);
    TrainConfig config = config(spec, 2).checkpointEvery(4).build();

    RunDirectory straight = run(tmp.resolve("straight"), config);
    try (Objective o = make.get()) {
      loop(o, data, config, straight);
    }

    RunDirectory crashed = run(tmp.resolve("crashed"), config);
    try (Objective o = new CrashingAt(make.get(), CRASH_AT)) {
      assertThrows(Crash.class, () -> loop(o, data, config, crashed));
    }
    try (Objective o = make.get()) {
      loop(o, data, config, RunDirectory.openForResume(crashed.root()));
    }

    assertSameRows(straight.layout().lossesCsv(), crashed.layout().lossesCsv(), 12);
    assertSameRows(straight.layout().epochsCsv(), crashed.layout().epochsCsv(), 2);
    Path a = new Checkpoints(straight.layout().checkpointsDir()).latest().orElseThrow();
    Path b = new Checkpoints(crashed.layout().checkpointsDir()).latest().orElseThrow();
    assertEquals(a.getFileName(), b.getFileName());
    try (Stream<Path> files = Files.list(a)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.equals("state.json") || name.equals("MANIFEST.json")) continue; // hold seconds
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(name)), name);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void flipChangesWhatTheDiscriminatorSees() throws Exception {
    // Otherwise the flip case above would pass without flipping anything.
    ModelSpec gan = TinyModels.GAN;
    ImageSet data = data(gan);
    TrainConfig config = config(gan, 1).build();
    RunDirectory plain = run(tmp.resolve("plain"), config);
    try (Objective o = Objectives.gan(gan, GanOptions.builder().build(), 3)) {
      loop(o, data, config, plain);
    }
    RunDirectory flipped = run(tmp.resolve("flipped"), config);
    try (Objective o = Objectives.gan(gan, GanOptions.builder().augment("flip").build(), 3)) {
      assertEquals(true, o.flipsRealImages());
      loop(o, data, config, flipped);
    }
    double[] a = MetricsLog.read(plain.layout().lossesCsv()).column("d_real");
    double[] b = MetricsLog.read(flipped.layout().lossesCsv()).column("d_real");
    assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
  }

  static ImageSet data(ModelSpec spec) {
    var s = spec.image();
    return DataSources.load(
        null, "synthetic:96", Split.TRAIN, s.channels(), s.height(), s.width(), 3);
  }

  static TrainConfig.Builder config(ModelSpec spec, int epochs) {
    return TrainConfig.builder("tiny", ModelWriter.yaml(spec))
        .data("synthetic:96")
        .epochs(epochs)
        .batchSize(BATCH)
        .seed(3);
  }

  static RunDirectory run(Path dir, TrainConfig config) throws IOException {
    RunDirectory run = RunDirectory.create(dir.getParent(), dir.getFileName().toString());
    run.writeRunInfo(
        Provenance.capture(List.of("test"), config.seed(), "synthetic", EngineSetup.describe()),
        config);
    return run;
  }

  static void loop(Objective o, ImageSet data, TrainConfig c, RunDirectory run) throws IOException {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    EpochPlan plan = EpochPlan.of(data.count(), c.batchSize(), o.batchesPerIteration());
    RunLoop.builder(o, data, plan, c, run).optConsole(quiet, false).build().run();
  }

  /** Every column but the wall-clock seconds, bit for bit. */
  static void assertSameRows(Path expected, Path actual, int rows) throws IOException {
    MetricsTable e = MetricsLog.read(expected);
    MetricsTable a = MetricsLog.read(actual);
    assertEquals(e.columns(), a.columns());
    assertEquals(rows, e.size());
    assertEquals(rows, a.size());
    for (String c : e.columns()) {
      if (!c.equals("seconds")) assertArrayEquals(e.column(c), a.column(c), expected + " " + c);
    }
  }

  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** An objective that dies like a killed process at the start of one iteration. */
  record CrashingAt(Objective inner, long iteration) implements Objective {
    @Override
    public double[] step(Iteration it) {
      if (it.number() == iteration) throw new Crash();
      return inner.step(it);
    }

    @Override
    public List<Metric> metrics() {
      return inner.metrics();
    }

    @Override
    public List<String> epochColumns() {
      return inner.epochColumns();
    }

    @Override
    public int batchesPerIteration() {
      return inner.batchesPerIteration();
    }

    @Override
    public boolean flipsRealImages() {
      return inner.flipsRealImages();
    }

    @Override
    public Map<String, IoConsumer<OutputStream>> checkpoint() {
      return inner.checkpoint();
    }

    @Override
    public void restore(Checkpoints.Loaded<TrainState> loaded) throws IOException {
      inner.restore(loaded);
    }

    @Override
    public EpochReport endOfEpoch(int epoch, Map<String, Double> means, RunDirectory run)
        throws IOException {
      return inner.endOfEpoch(epoch, means, run);
    }

    @Override
    public ImageSource sampler() {
      return inner.sampler();
    }

    @Override
    public Plot plot() {
      return inner.plot();
    }

    @Override
    public String divergence(Metrics metrics) {
      return inner.divergence(metrics);
    }

    @Override
    public String advice() {
      return inner.advice();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
