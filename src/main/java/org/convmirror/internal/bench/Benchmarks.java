package org.convmirror.internal.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.data.DataAccess;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.data.Synthetic;
import org.convmirror.internal.eval.Classifiers;
import org.convmirror.internal.eval.FeatureClassifier;
import org.convmirror.internal.job.TrainingMemory;
import org.convmirror.internal.model.ModelFamily;
import org.convmirror.internal.nn.ConvKernel;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.nn.MixedPrecision;
import org.convmirror.internal.train.Objective;
import org.convmirror.options.GanOptions;
import org.convmirror.options.Precision;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.options.VaeOptions;
import org.convmirror.shape.Plan;
import org.convmirror.shape.Planner;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * How fast a model trains, samples and is evaluated here, against this machine's own limit (a large
 * matrix multiply, measured in the same run): {@code convmirror bench} as a library. A benchmark,
 * not a test: the numbers depend on the load, which the report records.
 */
public final class Benchmarks {
  /** Resident memory is recorded after these iteration counts (warm-up included). */
  private static final int[] RSS_AT = {200, 600, 2000};

  private final BenchSettings s;
  private final ModelSpec spec;
  private final Plan derived;
  private final Plan declared;
  private final DataAccess access;
  private final Precision precision; // the settings', auto resolved as a new run would
  private ImageSet real; // --data at the model's shape, opened by the training phase, or null

  private Benchmarks(BenchSettings s, DataAccess access) {
    this.s = s;
    this.access = access;
    this.spec = s.spec();
    this.derived = Planner.plan(spec.kind().derivedName(), ModelFamily.of(spec).mirror());
    this.declared = Planner.plan(spec.kind().declaredName(), spec.declared());
    this.precision = MixedPrecision.resolve(s.precision());
  }

  /**
   * Runs what {@code settings} ask for, configuring the engine's threads first; an image folder of
   * {@link BenchSettings#data} is opened (decoded into its cache if need be) as {@code access}
   * says.
   */
  public static BenchReport run(BenchSettings settings, DataAccess access) throws IOException {
    return new Benchmarks(settings, access).run();
  }

  private BenchReport run() throws IOException {
    // Training steps (and the layer benchmark's backward passes) need what training needs: refuse
    // a model that cannot fit before libtorch grows into the machine's swap.
    if (s.layers() || s.phase().includes(BenchSettings.Phase.TRAIN)) {
      TrainingMemory.check(spec, s.batch());
    }
    EngineSetup.configure(s.threads(), s.interopThreads());
    String before = loadAverage();
    BenchReport.Training training = null;
    BenchReport.Sampling sampling = null;
    BenchReport.Evaluation evaluation = null;
    List<LayerBench.Row> layers = null;
    try (NDManager m = Engine.getInstance().newBaseManager()) {
      if (s.layers()) {
        layers = LayerBench.run(derived, m, s.batch(), 3, s.layerReps(), s.kernels().kernel());
      } else {
        if (s.phase().includes(BenchSettings.Phase.TRAIN)) training = training(m);
        if (s.phase().includes(BenchSettings.Phase.SAMPLE)) sampling = sampling(m);
        if (s.phase().includes(BenchSettings.Phase.EVALUATE)) evaluation = evaluation(m);
      }
    }
    BenchReport.Machine machine =
        new BenchReport.Machine(
            s.model(),
            s.batch(),
            spec.kind(),
            EngineSetup.threads(s.threads()),
            Math.max(1, s.interopThreads()),
            Runtime.getRuntime().availableProcessors(),
            s.kernels().id(),
            precision.id(),
            before,
            loadAverage());
    return new BenchReport(machine, derived, declared, training, sampling, evaluation, layers);
  }

  /** Images/s and latency of drawing images, beside the same-run matmul. */
  private BenchReport.Sampling sampling(NDManager m) {
    double matmul = Stats.median(MatmulProbe.gflops(m, s.matmulSize(), 5));
    List<SampleBench.Row> rows =
        new ArrayList<>(
            SampleBench.run(
                    spec, s.kernels().kernel(), s.sampleBatches(), 3, s.sampleReps(), s.seed())
                .values());
    return new BenchReport.Sampling(rows, derived.macs(), matmul);
  }

  /** {@code convmirror evaluate}'s path, cold and cached, beside the same-run matmul. */
  private BenchReport.Evaluation evaluation(NDManager m) throws IOException {
    double matmul = Stats.median(MatmulProbe.gflops(m, s.matmulSize(), 5));
    EvalBench.Result e = EvalBench.run(s.evalCount(), s.seed());
    long macs;
    try (FeatureClassifier c = Classifiers.loadFashionMnist()) {
      macs = EvalBench.classifierMacs(c);
    }
    return new BenchReport.Evaluation(e, 2.0 * macs * e.featureImagesPerSecond() / 1e9, matmul);
  }

  /** A fresh objective of the model's kind with its default options and {@code kernel}. */
  private Objective objective(ConvKernel kernel) {
    TrainConfig train =
        TrainConfig.builder(s.model(), null).seed(s.seed()).precision(precision).build();
    ModelFamily family = ModelFamily.of(spec, kernel);
    if (spec.kind() == ModelKind.GAN) {
      return family.objective(RunConfig.gan(train, GanOptions.builder().build()), null);
    }
    var i = spec.image();
    ImageSet test = Synthetic.generate(16, i.channels(), i.height(), i.width(), s.seed());
    return family.objective(RunConfig.vae(train, VaeOptions.builder().build()), test);
  }

  private TrainBench.Result iterations(ConvKernel kernel, int iterations, int[] rssAt) {
    try (Objective o = objective(kernel)) {
      return TrainBench.run(
          o, spec.image(), s.batch(), s.warmup(), iterations, s.seed(), rssAt, null, real);
    }
  }

  private BenchReport.Training training(NDManager m) {
    if (s.data() != null) {
      var i = spec.image();
      real =
          DataSources.load(
              null, s.data(), Split.TRAIN, i.channels(), i.height(), i.width(), s.seed(), access);
    }
    BenchReport.KernelAb ab = null;
    if (s.kernels() == BenchSettings.Kernels.BOTH) {
      // A/B in one process under the same load: alternate blocks of iterations.
      int block = Math.max(1, s.iterations() / 4);
      List<Double> nat = new ArrayList<>();
      List<Double> sub = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        boolean n = i % 2 == 0;
        ConvKernel k = n ? ConvKernel.NATIVE : ConvKernel.SUB_PIXEL;
        for (double ms : iterations(k, block, new int[0]).iterationMs()) (n ? nat : sub).add(ms);
      }
      ab = new BenchReport.KernelAb(median(nat), median(sub));
    }
    double[] before = MatmulProbe.gflops(m, s.matmulSize(), 5);
    TrainBench.Result res = iterations(s.kernels().kernel(), s.iterations(), RSS_AT);
    double[] after = MatmulProbe.gflops(m, s.matmulSize(), 5);
    double[] all = new double[before.length + after.length];
    System.arraycopy(before, 0, all, 0, before.length);
    System.arraycopy(after, 0, all, before.length, after.length);
    double median = Stats.median(res.iterationMs());
    double mean = Stats.mean(res.iterationMs());
    int b = s.batch();
    double flops =
        spec.kind() == ModelKind.GAN
            ? UsefulFlops.ganFlopsPerIteration(derived, declared, b)
            : 2.0
                * b
                * UsefulFlops.vaeMacsPerImage(
                    declared, derived, spec.declared().outputSize(), spec.latent());
    Map<String, Double> last = new LinkedHashMap<>();
    try (Objective o = objective(s.kernels().kernel())) {
      for (int i = 0; i < res.last().length; i++) {
        last.put(o.metrics().get(i).column(), res.last()[i]);
      }
    }
    return new BenchReport.Training(
        s.warmup(),
        s.iterations(),
        median,
        mean,
        b / (median / 1e3),
        res.phaseMs(),
        flops,
        flops / (median / 1e3) / 1e9,
        s.matmulSize(),
        Stats.median(all),
        Stats.median(before),
        Stats.median(after),
        res.rssKib(),
        Memory.peakResidentKib(),
        last,
        ab,
        real == null
            ? null
            : new BenchReport.DataPhase(
                real.identity(),
                res.phaseMs().get("data") / mean,
                res.dataPrepareMs(),
                res.dataPrepareMs() / mean));
  }

  private static double median(List<Double> values) {
    return Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The 1-minute load average, or "?" off Linux. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
