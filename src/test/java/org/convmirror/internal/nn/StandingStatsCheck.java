package org.convmirror.internal.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.data.Seeds;
import org.convmirror.internal.run.Checkpoints;
import org.convmirror.internal.train.TrainState;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * On a trained GAN run: each generator batch norm's mean running variance as saved by training, as
 * the old exponential standing statistics left it, and as {@link StandingStats} computes it (two
 * seeds, to show its sampling noise). A main for the record, not a test:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) -Dai.djl.offline=true \
 *   org.convmirror.internal.nn.StandingStatsCheck RUN_DIR [model]
 * </pre>
 */
public final class StandingStatsCheck {
  private StandingStatsCheck() {}

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    ModelSpec spec = ModelFiles.builtIn(args.length > 1 ? args[1] : "dcgan28");
    DeconvNet g = Mirror.of(spec);
    try (NDManager m = NDManager.newBaseManager()) {
      for (String name : List.of("generator", "generator_ema")) {
        SequentialBlock generator = Networks.of(g);
        generator.initialize(m, DataType.FLOAT32, Networks.latentShape(g, 2));
        var loaded =
            new Checkpoints(run.resolve("checkpoints"))
                .load(List.of(StateFiles.blockFile(name)), TrainState.class);
        StateFiles.loadBlocks(loaded.files(), Map.of(name, generator), m);
        ParameterStore store = new ParameterStore(m, false);
        Shape latent = Networks.latentShape(g, StandingStats.BATCH);
        List<double[]> saved = variances(generator);
        List<double[]> old = oldExponential(generator, store, m, latent);
        StandingStats.recompute(generator, store, m, latent, 1);
        List<double[]> exact1 = variances(generator);
        StandingStats.recompute(generator, store, m, latent, 2);
        List<double[]> exact2 = variances(generator);
        System.out.println(name + ": mean over channels of the running variance");
        System.out.printf(
            Locale.ROOT,
            "%-5s %10s %12s %12s %12s %16s%n",
            "bn",
            "saved",
            "old (EMA)",
            "exact s=1",
            "exact s=2",
            "0.966e+0.034");
        for (int k = 0; k < saved.size(); k++) {
          double e = mean(exact1.get(k));
          System.out.printf(
              Locale.ROOT,
              "%-5d %10.4f %12.4f %12.4f %12.4f %16.4f%n",
              k,
              mean(saved.get(k)),
              mean(old.get(k)),
              e,
              mean(exact2.get(k)),
              Math.pow(0.9, 32) + (1 - Math.pow(0.9, 32)) * e);
        }
      }
    }
  }

  /** The previous implementation: reset to 0/1, then 32 exponential updates (momentum 0.1). */
  private static List<double[]> oldExponential(
      SequentialBlock g, ParameterStore store, NDManager m, Shape latent) {
    for (Parameter p : g.getParameters().values()) {
      if (p.getName().equals("runningMean")) p.getArray().set(new float[(int) p.getArray().size()]);
      if (p.getName().equals("runningVar")) {
        float[] ones = new float[(int) p.getArray().size()];
        java.util.Arrays.fill(ones, 1);
        p.getArray().set(ones);
      }
    }
    for (int pass = 0; pass < StandingStats.PASSES; pass++) {
      try (NDManager tmp = m.newSubManager()) {
        float[] z = Seeds.gaussian(Seeds.random(1, 106, pass), (int) latent.size());
        g.forward(store, new NDList(tmp.create(z, latent)), true);
      }
    }
    return variances(g);
  }

  private static List<double[]> variances(Block g) {
    List<double[]> out = new ArrayList<>();
    for (Block b : g.getChildren().values()) {
      if (!(b instanceof BatchNorm)) continue;
      for (Parameter p : b.getDirectParameters().values()) {
        if (p.getType() != Parameter.Type.RUNNING_VAR) continue;
        float[] v = p.getArray().toFloatArray();
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        out.add(d);
      }
    }
    return out;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x / v.length;
    return s;
  }
}
