package org.convmirror.gan;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.convmirror.config.ModelFiles;
import org.convmirror.nn.FusedUpdates;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.ModelSpec;

/**
 * Same-run A/B of whole GAN iterations with the fused updates (A) and op by op (B): two trainers in
 * one process, blocks of iterations alternating A B B A ..., so that both see the same machine
 * load. Not a test; run after {@code mvn -o -q test-compile package -DskipTests}:
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp target/convmirror.jar:target/test-classes org.convmirror.gan.FusedStepBench dcgan28 16 10 20
 * </pre>
 *
 * Arguments: model, batch size, rounds, iterations per block. Prints per-iteration medians, the
 * optimiser phase (both Adam steps, clearing D's gradients, the weight average) and the ratio B/A
 * of each round's block medians (median, min, max).
 */
public final class FusedStepBench {
  private FusedStepBench() {}

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
    try (NDManager m = NDManager.newBaseManager()) {
      GanTrainer[] trainers = {trainer(spec, m, true), trainer(spec, m, false)};
      List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> opt = List.of(new ArrayList<>(), new ArrayList<>());
      List<Double> ratios = new ArrayList<>();
      for (int w = 0; w < 2; w++) run(trainers[w], w == 0, data, batch, 5, null, null);
      for (int round = 0; round < rounds; round++) {
        double[] med = new double[2];
        for (int k = 0; k < 2; k++) {
          int w = (round % 2 == 0) ? k : 1 - k; // A B, then B A
          med[w] = run(trainers[w], w == 0, data, batch, block, ms.get(w), opt.get(w));
        }
        ratios.add(med[1] / med[0]);
      }
      for (GanTrainer t : trainers) t.close();
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
            "%s iteration %.2f ms median, %.1f images/s; optimiser phase %.2f ms median%n",
            names[w],
            median(ms.get(w)),
            batch / median(ms.get(w)) * 1e3,
            median(opt.get(w)));
      }
      System.out.printf(
          Locale.ROOT,
          "B/A per round: median %.3f (min %.3f, max %.3f)%n",
          median(ratios),
          ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
          ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }
  }

  private static GanTrainer trainer(ModelSpec spec, NDManager m, boolean fused) {
    System.setProperty(
        FusedUpdates.PROPERTY, Boolean.toString(fused)); // read by Adam's constructor
    return new GanTrainer(spec, GanOptions.dcgan(), m, 42);
  }

  /** Runs {@code n} iterations, appending each one's ms; returns their median. */
  private static double run(
      GanTrainer t,
      boolean fused,
      float[][] data,
      int batch,
      int n,
      List<Double> ms,
      List<Double> opt) {
    System.setProperty(FusedUpdates.PROPERTY, Boolean.toString(fused)); // read per weight average
    EnumMap<StepTimer.Phase, Long> ns = new EnumMap<>(StepTimer.Phase.class);
    double[] block = new double[n];
    for (int i = 0; i < n; i++) {
      ns.clear();
      long t0 = System.nanoTime();
      t.step(new float[][] {data[i % data.length]}, batch, (p, d) -> ns.merge(p, d, Long::sum));
      block[i] = (System.nanoTime() - t0) / 1e6;
      if (ms != null) ms.add(block[i]);
      if (opt != null) opt.add(ns.getOrDefault(StepTimer.Phase.OPTIMIZER, 0L) / 1e6);
    }
    return median(Arrays.stream(block).boxed().toList());
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
