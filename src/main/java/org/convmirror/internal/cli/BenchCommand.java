package org.convmirror.internal.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.convmirror.error.UsageException;
import org.convmirror.internal.bench.EvalBench;
import org.convmirror.internal.bench.LayerBench;
import org.convmirror.internal.bench.MatmulProbe;
import org.convmirror.internal.bench.Memory;
import org.convmirror.internal.bench.SampleBench;
import org.convmirror.internal.bench.Stats;
import org.convmirror.internal.bench.TrainBench;
import org.convmirror.internal.bench.UsefulFlops;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.data.Synthetic;
import org.convmirror.internal.eval.FeatureClassifier;
import org.convmirror.internal.gan.GanObjective;
import org.convmirror.internal.gan.GanOptions;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.train.Objective;
import org.convmirror.internal.vae.VaeObjective;
import org.convmirror.internal.vae.VaeOptions;
import org.convmirror.mirror.Mirror;
import org.convmirror.shape.Plan;
import org.convmirror.shape.Planner;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code convmirror bench}: how fast a model trains here, against this machine's own limit (a large
 * matrix multiply, measured in the same run). A benchmark, not a test: numbers depend on the load.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Time training iterations, sampling and evaluation on in-memory data.",
      "--phase train (GAN: D step + G step; VAE: one step), sample (batch 1, 64, 1024: images/s",
      "and latency) or evaluate (convmirror evaluate cold and cached, by phase), or all; images/s, useful",
      "GFLOP/s against a same-run 2048x2048 matmul, resident memory. --layers: each generator",
      "layer against libtorch's native kernels."
    })
final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--model",
      defaultValue = "dcgan28",
      paramLabel = "NAME|FILE",
      description =
          "Built-in model (dcgan28, dcgan64, vae28) or a model file. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--batch-size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(
      names = "--iterations",
      defaultValue = "50",
      description = "Timed iterations. Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Untimed iterations first. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Mixin ThreadsOption engine;

  @Option(
      names = "--interop-threads",
      defaultValue = "1",
      description = "libtorch inter-op threads. Default: ${DEFAULT-VALUE}.")
  int interop;

  @Option(
      names = "--matmul-size",
      defaultValue = "2048",
      paramLabel = "N",
      description = "Side of the square float32 matmul probe. Default: ${DEFAULT-VALUE}.")
  int matmulSize;

  @Option(names = "--layers", description = "Per generator layer: ours vs native conv kernels.")
  boolean layers;

  @Option(
      names = "--layer-reps",
      defaultValue = "20",
      description = "Timed repetitions per layer with --layers. Default: ${DEFAULT-VALUE}.")
  int layerReps;

  @Option(
      names = "--conv-transpose",
      defaultValue = "native",
      description =
          "Transposed-convolution kernel: native, subpixel, or both (interleaved blocks of"
              + " iterations, a same-run A/B). Default: ${DEFAULT-VALUE}.")
  String convTranspose;

  @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(
      names = "--phase",
      defaultValue = "train",
      description = "train, sample, evaluate or all. Default: ${DEFAULT-VALUE}.")
  String phase;

  @Option(
      names = "--sample-batches",
      split = ",",
      defaultValue = "1,64,1024",
      description = "Batch sizes of --phase sample. Default: ${DEFAULT-VALUE}.")
  int[] sampleBatches;

  @Option(
      names = "--sample-reps",
      defaultValue = "20",
      description = "Timed calls per sampling batch size. Default: ${DEFAULT-VALUE}.")
  int sampleReps;

  @Option(
      names = "--eval-count",
      defaultValue = "10000",
      description =
          "Generated images (and as many test images) of --phase evaluate. Default: ${DEFAULT-VALUE}.")
  int evalCount;

  @Override
  public Integer call() throws IOException {
    if (batch < 2) throw new UsageException("--batch-size must be ≥ 2, was " + batch);
    if (iterations < 1) throw new UsageException("--iterations must be ≥ 1, was " + iterations);
    if (warmup < 0) throw new UsageException("--warmup must be ≥ 0, was " + warmup);
    if (layerReps < 1) throw new UsageException("--layer-reps must be ≥ 1, was " + layerReps);
    ModelSpec spec = ModelFiles.resolve(model);
    if (!List.of("native", "subpixel", "both").contains(convTranspose)) {
      throw new UsageException("--conv-transpose must be native, subpixel or both");
    }
    if (!List.of("train", "sample", "evaluate", "all").contains(phase)) {
      throw new UsageException("--phase must be train, sample, evaluate or all, was " + phase);
    }
    if (sampleReps < 1) throw new UsageException("--sample-reps must be ≥ 1, was " + sampleReps);
    for (int b : sampleBatches) {
      if (b < 1) throw new UsageException("--sample-batches must be ≥ 1 each, was " + b);
    }
    if (evalCount < 4) throw new UsageException("--eval-count must be ≥ 4, was " + evalCount);
    EngineSetup.configure(engine.threads, interop);
    org.convmirror.internal.nn.ConvTranspose2d.useNativeKernel(!"subpixel".equals(convTranspose));
    Plan g = Planner.plan(spec.kind().derivedName(), Mirror.of(spec));
    Plan d = Planner.plan(spec.kind().declaredName(), spec.declared());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", model);
    r.put("batch_size", batch);
    r.put("kind", spec.kind().name().toLowerCase(Locale.ROOT));
    r.put("threads", EngineSetup.threads(engine.threads));
    r.put("interop_threads", Math.max(1, interop));
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("conv_transpose", convTranspose);
    r.put("load_average_before", loadAverage());
    try (NDManager m = Engine.getInstance().newBaseManager()) {
      if (layers) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerBench.Row row : LayerBench.run(g, m, batch, 3, layerReps)) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("layer", row.index());
          o.put("shape", row.shape());
          o.put("ours_forward_ms", row.oursForwardMs());
          o.put("ours_forward_backward_ms", row.oursForwardBackwardMs());
          o.put("subpixel_forward_ms", row.subPixelForwardMs());
          o.put("subpixel_forward_backward_ms", row.subPixelForwardBackwardMs());
          o.put("conv_backward_data_ms", row.convBackwardDataMs());
          o.put("conv_forward_backward_ms", row.convForwardBackwardMs());
          o.put("forward_ratio", row.forwardRatio());
          o.put("forward_backward_ratio", row.forwardBackwardRatio());
          o.put("ours_fwd_bwd_over_backward_data", row.fullOverBackwardDataRatio());
          rows.add(o);
        }
        r.put("layers", rows);
      } else {
        if (phase.equals("train") || phase.equals("all")) training(spec, g, d, m, r);
        if (phase.equals("sample") || phase.equals("all")) sampling(spec, g, m, r);
        if (phase.equals("evaluate") || phase.equals("all")) evaluation(m, r);
      }
    }
    r.put("load_average_after", loadAverage());
    PrintStream out = System.out;
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
    } else {
      if (layers) {
        out.print(BenchText.layers(r));
      } else {
        StringBuilder s = new StringBuilder();
        BenchText.header(s, r);
        if (r.containsKey("iteration_ms_median")) s.append(BenchText.training(r, g, d));
        if (r.containsKey("sample")) s.append(BenchText.sampling(r));
        if (r.containsKey("evaluate")) s.append(BenchText.evaluation(r));
        out.print(s);
      }
    }
    return 0;
  }

  /** Images/s and latency of drawing images, beside the same-run matmul. */
  private void sampling(ModelSpec spec, Plan g, NDManager m, Map<String, Object> r) {
    double matmul = Stats.median(MatmulProbe.gflops(m, matmulSize, 5));
    Map<String, Object> rows = new LinkedHashMap<>();
    for (SampleBench.Row row : SampleBench.run(spec, sampleBatches, 3, sampleReps, seed).values()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("ms_median", row.msMedian());
      o.put("ms_p90", row.msP90());
      o.put("images_per_second", row.imagesPerSecond());
      o.put("useful_gflops", row.usefulGflops(g.macs()));
      o.put("useful_over_matmul", row.usefulGflops(g.macs()) / matmul);
      rows.put(Integer.toString(row.batch()), o);
    }
    r.put("sample", rows);
    r.put("sample_matmul_gflops", matmul);
  }

  /**
   * {@code convmirror evaluate}'s path on {@code --eval-count} images: cold, warm from the disk
   * cache, warm in memory, each with its phases.
   */
  private void evaluation(NDManager m, Map<String, Object> r) throws IOException {
    ImageSet test = DataSources.load(null, null, Split.TEST, 1, 28, 28, seed);
    ImageSet train = DataSources.load(null, null, Split.TRAIN, 1, 28, 28, seed);
    if (evalCount > Math.min(test.count(), train.count())) {
      throw new UsageException(
          "--eval-count must be ≤ " + Math.min(test.count(), train.count()) + ", was " + evalCount);
    }
    double matmul = Stats.median(MatmulProbe.gflops(m, matmulSize, 5));
    Path cache = Files.createTempDirectory("convmirror-evalbench");
    EvalBench.Result e;
    long macs;
    try {
      e = EvalBench.run(test, train, evalCount, cache);
      try (FeatureClassifier c = FeatureClassifier.loadFashionMnist()) {
        macs = EvalBench.classifierMacs(c);
      }
    } finally {
      try (var files = Files.list(cache)) {
        for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(cache);
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("count", e.count());
    o.put("cold_seconds", e.cold().seconds());
    o.put("warm_disk_seconds", e.warmDisk().seconds());
    o.put("warm_memory_seconds", e.warmMemory().seconds());
    o.put("cold_phase_seconds", e.cold().phaseSeconds());
    o.put("warm_disk_phase_seconds", e.warmDisk().phaseSeconds());
    o.put("warm_memory_phase_seconds", e.warmMemory().phaseSeconds());
    o.put("same_numbers", e.identical());
    o.put("feature_images_per_second", e.featureImagesPerSecond());
    double useful = 2.0 * macs * e.featureImagesPerSecond() / 1e9;
    o.put("feature_useful_gflops", useful);
    o.put("feature_useful_over_matmul", useful / matmul);
    o.put("matmul_gflops", matmul);
    r.put("evaluate", o);
  }

  /** A fresh objective of the model's kind with its default options. */
  private Objective objective(ModelSpec spec) {
    if (spec.kind() == ModelKind.GAN) return new GanObjective(spec, GanOptions.dcgan(), seed);
    var s = spec.image();
    ImageSet test = Synthetic.generate(16, s.channels(), s.height(), s.width(), seed);
    return new VaeObjective(spec, VaeOptions.defaults(), test, seed);
  }

  private TrainBench.Result bench(ModelSpec spec, int iterations, int[] rssAt) {
    try (Objective o = objective(spec)) {
      return TrainBench.run(o, spec.image(), batch, warmup, iterations, seed, rssAt, null);
    }
  }

  private void training(ModelSpec spec, Plan g, Plan d, NDManager m, Map<String, Object> r) {
    if ("both".equals(convTranspose)) {
      // A/B in one process under the same load: alternate blocks of iterations.
      int block = Math.max(1, iterations / 4);
      List<Double> nat = new ArrayList<>();
      List<Double> sub = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        boolean n = i % 2 == 0;
        org.convmirror.internal.nn.ConvTranspose2d.useNativeKernel(n);
        for (double ms : bench(spec, block, new int[0]).iterationMs()) (n ? nat : sub).add(ms);
      }
      org.convmirror.internal.nn.ConvTranspose2d.useNativeKernel(true);
      double a = Stats.median(nat.stream().mapToDouble(Double::doubleValue).toArray());
      double b = Stats.median(sub.stream().mapToDouble(Double::doubleValue).toArray());
      r.put("ab_native_iteration_ms_median", a);
      r.put("ab_subpixel_iteration_ms_median", b);
      r.put("ab_subpixel_over_native", b / a);
    }
    double[] before = MatmulProbe.gflops(m, matmulSize, 5);
    TrainBench.Result res = bench(spec, iterations, new int[] {200, 600, 2000});
    double[] after = MatmulProbe.gflops(m, matmulSize, 5);
    double[] all = new double[before.length + after.length];
    System.arraycopy(before, 0, all, 0, before.length);
    System.arraycopy(after, 0, all, before.length, after.length);
    double median = Stats.median(res.iterationMs());
    double mean = Stats.mean(res.iterationMs());
    double flops =
        spec.kind() == ModelKind.GAN
            ? UsefulFlops.ganFlopsPerIteration(g, d, batch)
            : 2.0
                * batch
                * UsefulFlops.vaeMacsPerImage(d, g, spec.declared().outputSize(), spec.latent());
    double useful = flops / (median / 1e3) / 1e9;
    double matmul = Stats.median(all);
    r.put("warmup", warmup);
    r.put("iterations", iterations);
    r.put("iteration_ms_median", median);
    r.put("iteration_ms_mean", mean);
    r.put("images_per_second", batch / (median / 1e3));
    r.put("phase_ms_mean", res.phaseMs());
    r.put(spec.kind().derivedName() + "_macs_per_image", g.macs());
    r.put(spec.kind().declaredName() + "_macs_per_image", d.macs());
    r.put("useful_flops_per_iteration", flops);
    r.put("useful_gflops", useful);
    r.put("matmul_size", matmulSize);
    r.put("matmul_gflops", matmul);
    r.put("matmul_gflops_before", Stats.median(before));
    r.put("matmul_gflops_after", Stats.median(after));
    r.put("useful_over_matmul", useful / matmul);
    Map<String, Long> rss = new LinkedHashMap<>();
    res.rssKib().forEach((k, v) -> rss.put(Integer.toString(k), v));
    r.put("rss_kib_after_iteration", rss);
    r.put("peak_rss_kib", Memory.peakResidentKib());
    Map<String, Double> last = new LinkedHashMap<>();
    try (Objective o = objective(spec)) {
      for (int i = 0; i < res.last().length; i++)
        last.put(o.metrics().get(i).column(), res.last()[i]);
    }
    r.put("last_metrics", last);
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
