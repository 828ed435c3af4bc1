package org.convmirror.internal.gan;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.data.Batch;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Synthetic;
import org.convmirror.internal.nn.FusedUpdates;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.train.Iteration;
import org.convmirror.internal.train.Objective;
import org.convmirror.options.GanOptions;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * Same-run A/B of whole training steps (a GAN iteration, or a VAE step for a VAE model) with the
 * fused updates (A) and op by op (B): two trainers in one process, blocks of iterations alternating
 * A B B A ..., so that both see the same machine load. Not a test; run after {@code mvn -o -q
 * test-compile package -DskipTests}:
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp target/convmirror.jar:target/test-classes org.convmirror.internal.gan.FusedStepBench dcgan28 16 40 5
 * </pre>
 *
 * Arguments: model, batch size, rounds, iterations per block. Prints per-iteration medians of wall
 * time and of this thread's CPU time, the GAN's weight-average phase (0 for a VAE, which names no
 * phases), and the ratios B/A of each round's block medians (median, min, max). With one libtorch
 * thread every kernel runs on the calling thread, so its CPU time is the work done, which other
 * processes on a loaded machine disturb far less than the wall time.
 */
public final class FusedStepBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private FusedStepBench() {}

  /** One side's per-iteration figures. */
  private record Side(List<Double> wall, List<Double> cpu, List<Double> optimiser) {
    Side() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  public static void main(String[] args) {
    String model = args.length > 0 ? args[0] : "dcgan28";
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int block = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    ModelSpec spec = ModelFiles.resolve(model);
    ImageShape image = spec.image();
    Random r = new Random(42);
    float[][] data = new float[4][batch * image.channels() * image.height() * image.width()];
    for (float[] b : data) {
      for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() * 2 - 1;
    }
    Side[] sides = {new Side(), new Side()};
    List<Double> wallRatios = new ArrayList<>();
    List<Double> cpuRatios = new ArrayList<>();
    {
      Objective[] trainers = {trainer(spec, true), trainer(spec, false)};
      for (int w = 0; w < 2; w++) run(trainers[w], w == 0, data, batch, 5, new Side());
      for (int round = 0; round < rounds; round++) {
        Side[] blocks = {new Side(), new Side()};
        for (int k = 0; k < 2; k++) {
          int w = (round % 2 == 0) ? k : 1 - k; // A B, then B A
          run(trainers[w], w == 0, data, batch, block, blocks[w]);
          sides[w].wall().addAll(blocks[w].wall());
          sides[w].cpu().addAll(blocks[w].cpu());
          sides[w].optimiser().addAll(blocks[w].optimiser());
        }
        wallRatios.add(median(blocks[1].wall()) / median(blocks[0].wall()));
        cpuRatios.add(median(blocks[1].cpu()) / median(blocks[0].cpu()));
      }
      for (Objective t : trainers) t.close();
    }
    System.out.printf(
        Locale.ROOT,
        "%s batch %d, %d rounds x %d iterations, load %s%n",
        model,
        batch,
        rounds,
        block,
        load());
    String[] names = {"fused   (A)", "unfused (B)"};
    for (int w = 0; w < 2; w++) {
      System.out.printf(
          Locale.ROOT,
          "%s iteration %.2f ms median (%.1f images/s), thread CPU %.2f ms; optimiser %.2f ms%n",
          names[w],
          median(sides[w].wall()),
          batch / median(sides[w].wall()) * 1e3,
          median(sides[w].cpu()),
          median(sides[w].optimiser()));
    }
    System.out.println("B/A per round, wall: " + spread(wallRatios));
    System.out.println("B/A per round, thread CPU: " + spread(cpuRatios));
  }

  /** A fresh objective of the model's kind; the fused property is read by Adam's constructor. */
  private static Objective trainer(ModelSpec spec, boolean fused) {
    System.setProperty(FusedUpdates.PROPERTY, Boolean.toString(fused));
    if (spec.kind() == ModelKind.GAN) return Objectives.gan(spec, GanOptions.builder().build(), 42);
    var s = spec.image();
    ImageSet test = Synthetic.generate(16, s.channels(), s.height(), s.width(), 42);
    return Objectives.vae(spec, VaeOptions.builder().build(), test, 42);
  }

  /**
   * Runs {@code n} iterations, appending each one's figures to {@code into}: wall time, thread CPU
   * time and the GAN's weight-average phase (0 for a VAE, which names no phases).
   */
  private static void run(Objective t, boolean fused, float[][] data, int batch, int n, Side into) {
    System.setProperty(FusedUpdates.PROPERTY, Boolean.toString(fused)); // read per weight average
    Map<String, Long> ns = new HashMap<>();
    t.time((phase, d) -> ns.merge(phase, d, Long::sum));
    for (int i = 0; i < n; i++) {
      ns.clear();
      long cpu = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      Batch b = new Batch(data[i % data.length], null, batch, 0, i);
      t.step(new Iteration(i, 0, i, n, List.of(b)));
      into.wall().add((System.nanoTime() - t0) / 1e6);
      into.cpu().add((THREADS.getCurrentThreadCpuTime() - cpu) / 1e6);
      into.optimiser().add(ns.getOrDefault("average", 0L) / 1e6);
    }
  }

  private static String spread(List<Double> xs) {
    double min = xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return String.format(Locale.ROOT, "median %.3f (min %.3f, max %.3f)", median(xs), min, max);
  }

  private static double median(List<Double> xs) {
    double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String load() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
