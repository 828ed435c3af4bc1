package org.convmirror.internal.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.convmirror.internal.bench.Memory;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.data.Seeds;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * What this package's GAN pieces cost on a built-in model, as same-run ratios: each variant of a
 * discriminator step, interleaved round by round so that load changes hit all alike. A main, not a
 * test (speed is measured by benchmarks, never by timed unit tests):
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) -Dai.djl.offline=true \
 *   -Dai.djl.pytorch.num_threads=1 org.convmirror.internal.nn.NumericsCost dcgan28 64 15 5
 * </pre>
 *
 * Arguments: model, batch, rounds, calls per variant per round[, memory STEPS: then only resident
 * memory, every STEPS/5 steps of the plain D step and of the D step with WGAN-GP, one after the
 * other].
 */
public final class NumericsCost {
  private NumericsCost() {}

  private interface Step {
    void run(NDManager it, GradientCollector gc);
  }

  public static void main(String[] args) {
    String model = args.length > 0 ? args[0] : "dcgan28";
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    int calls = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    ModelSpec spec = ModelFiles.builtIn(model);
    DeconvNet g = Mirror.of(spec);
    SplittableRandom random = new SplittableRandom(1);
    try (NDManager m = NDManager.newBaseManager()) {
      SequentialBlock generator = Networks.of(g);
      SequentialBlock critic = Networks.of(spec.declared());
      Engine.getInstance().setRandomSeed(1);
      generator.initialize(m, DataType.FLOAT32, Networks.latentShape(g, 2));
      critic.initialize(m, DataType.FLOAT32, Networks.imageShape(spec.image(), 2));
      ParameterStore store = new ParameterStore(m, false);
      UnaryOperator<NDArray> d = GradientPenalty.critic(critic, store);
      Shape images = Networks.imageShape(spec.image(), batch);
      float[] realData = new float[(int) images.size()];
      for (int i = 0; i < realData.length; i++) realData[i] = (float) random.nextDouble(-1, 1);
      float[] fakeData;
      try (NDManager tmp = m.newSubManager()) {
        Shape z = Networks.latentShape(g, batch);
        NDArray noise = tmp.create(Seeds.gaussian(random, (int) z.size()), z);
        fakeData =
            generator.forward(store, new NDList(noise), false).singletonOrThrow().toFloatArray();
      }
      DiffAugment augment = DiffAugment.of("color,translation,cutout");
      Batches b = new Batches(realData, fakeData, images, new HostBuffers(2));
      Map<String, Step> steps = new LinkedHashMap<>();
      steps.put("D fwd+bwd (one batch)", (it, gc) -> gc.backward(d.apply(b.real(it)).mean()));
      steps.put("D step (real + fake)", (it, gc) -> gc.backward(dLoss(d, b.real(it), b.fake(it))));
      steps.put(
          "WGAN-GP penalty alone",
          (it, gc) ->
              gc.backward(
                  GradientPenalty.wganGp(d, b.real(it), b.fake(it), eps(random, batch), 10)
                      .penalty()));
      steps.put(
          "D step + WGAN-GP",
          (it, gc) -> {
            NDArray x = b.real(it);
            NDArray f = b.fake(it);
            gc.backward(
                dLoss(d, x, f)
                    .add(GradientPenalty.wganGp(d, x, f, eps(random, batch), 10).penalty()));
          });
      steps.put(
          "D step + R1 (output reused)",
          (it, gc) -> {
            var r1 = GradientPenalty.r1(d, b.real(it), 10);
            NDArray loss = r1.output().mean().sub(d.apply(b.fake(it)).mean());
            gc.backward(loss.add(r1.penalty()));
          });
      steps.put(
          "D step, DiffAugment on both",
          (it, gc) -> {
            NDArray x = augment.apply(b.real(it), random);
            gc.backward(dLoss(d, x, augment.apply(b.fake(it), random)));
          });
      if (args.length > 5 && args[4].equals("memory")) {
        memory(m, steps, Integer.parseInt(args[5]));
        return;
      }
      Map<String, List<Double>> ms = new LinkedHashMap<>();
      for (String k : steps.keySet()) ms.put(k, new ArrayList<>());
      long rss0 = 0;
      for (int round = -1; round < rounds; round++) { // round -1 warms up
        if (round == 0) rss0 = Memory.residentKib();
        for (var e : steps.entrySet()) {
          long t0 = System.nanoTime();
          for (int c = 0; c < calls; c++) {
            try (NDManager it = m.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              e.getValue().run(it, gc);
            }
          }
          if (round >= 0) ms.get(e.getKey()).add((System.nanoTime() - t0) / 1e6 / calls);
        }
      }
      long rss1 = Memory.residentKib();
      double base = median(ms.get("D fwd+bwd (one batch)"));
      double step = median(ms.get("D step (real + fake)"));
      System.out.printf(
          Locale.ROOT,
          "%s, batch %d, %d rounds x %d calls, threads %s%n",
          model,
          batch,
          rounds,
          calls,
          System.getProperty("ai.djl.pytorch.num_threads", "default"));
      System.out.printf(
          Locale.ROOT, "%-30s %9s %9s %12s%n", "variant", "ms/call", "x D f+b", "x D step");
      for (var e : ms.entrySet()) {
        double v = median(e.getValue());
        System.out.printf(
            Locale.ROOT, "%-30s %9.2f %9.2f %12.2f%n", e.getKey(), v, v / base, v / step);
      }
      long t0 = System.nanoTime();
      int recomputes = 3;
      for (int i = 0; i < recomputes; i++) {
        StandingStats.recompute(
            generator, store, m, Networks.latentShape(g, StandingStats.BATCH), i);
      }
      System.out.printf(
          Locale.ROOT,
          "standing statistics (%d passes of %d): %.1f ms per recompute%n",
          StandingStats.PASSES,
          StandingStats.BATCH,
          (System.nanoTime() - t0) / 1e6 / recomputes);
      System.out.printf(
          Locale.ROOT,
          "VmRSS %d -> %d KiB over %d steps after warm-up; arrays held: %d%n",
          rss0,
          rss1,
          rounds * calls * steps.size(),
          m.getManagedArrays().size());
    }
  }

  /**
   * The two fixed batches, uploaded into each step's manager through reused buffers (each step's
   * arrays are closed before the next): an array of the model's manager would pull every op on it
   * into that manager.
   */
  private record Batches(float[] real, float[] fake, Shape shape, HostBuffers buffers) {
    NDArray real(NDManager it) {
      return buffers.upload(it, 0, real, shape);
    }

    NDArray fake(NDManager it) {
      return buffers.upload(it, 1, fake, shape);
    }
  }

  /** VmRSS along {@code n} steps of two variants, each after its own warm-up. */
  private static void memory(NDManager m, Map<String, Step> steps, int n) {
    for (String name : List.of("D step (real + fake)", "D step + WGAN-GP")) {
      StringBuilder line = new StringBuilder(name + ": VmRSS MiB");
      for (int i = -20; i < n; i++) {
        try (NDManager it = m.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          steps.get(name).run(it, gc);
        }
        if (i >= 0 && i % (n / 5) == 0 || i == n - 1) {
          line.append(String.format(Locale.ROOT, " %d:%.1f", i + 1, Memory.residentKib() / 1024.0));
        }
      }
      System.out.println(line + "; arrays held " + m.getManagedArrays().size());
    }
  }

  private static float[] eps(SplittableRandom r, int n) {
    float[] e = new float[n];
    for (int i = 0; i < n; i++) e[i] = (float) r.nextDouble();
    return e;
  }

  /** A Wasserstein critic loss, E[D(fake)] − E[D(real)]: what the step costs, not which loss. */
  private static NDArray dLoss(UnaryOperator<NDArray> d, NDArray real, NDArray fake) {
    return d.apply(fake).mean().sub(d.apply(real).mean());
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a[a.length / 2];
  }
}
