package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convmirror.internal.gan.GanSampler;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.internal.vae.VaeSampler;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * In-memory networks with weights far from their initialisation and non-trivial batch-norm
 * statistics, exported, beside convmirror's own inference on them (the reference every export is
 * compared with).
 */
final class Fixtures implements AutoCloseable {
  /** One network: its export and convmirror's outputs for an input batch. */
  interface Reference {
    /** Outputs in the exported network's output order, each flat row-major. */
    float[][] apply(float[] input, int n);
  }

  record Built(ExportedNetwork net, Reference reference) {}

  /** A batch of inputs for a network: latent vectors from N(0, 1), or pixels in [0, 1]. */
  record Input(float[] values, long[] shape, int n) {
    static Input random(Network network, ModelSpec spec, int n, long seed) {
      Random r = new Random(seed);
      if (network.isDerived()) {
        float[] z = new float[n * spec.latent()];
        for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
        return new Input(z, new long[] {n, spec.latent()}, n);
      }
      var s = spec.image();
      float[] x = new float[n * s.size()];
      for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
      return new Input(x, new long[] {n, s.channels(), s.height(), s.width()}, n);
    }
  }

  /**
   * The largest difference between convmirror's outputs and an export's: absolute for images,
   * relative above 1 for unbounded outputs (logits, posterior parameters).
   */
  static double worst(Network network, float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length, network + ": outputs");
    double worst = 0;
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k].length, actual[k].length, network + ": output " + k + " size");
      for (int i = 0; i < expected[k].length; i++) {
        double scale = network.isDerived() ? 1 : Math.max(1, Math.abs(expected[k][i]));
        worst = Math.max(worst, Math.abs(expected[k][i] - actual[k][i]) / scale);
      }
    }
    return worst;
  }

  private final NDManager manager = NDManager.newBaseManager();
  private final ParameterStore store = new ParameterStore(manager, false);

  Built build(Network network, ModelSpec spec, long seed) {
    return switch (network) {
      case GENERATOR -> generator(spec, seed);
      case DISCRIMINATOR -> discriminator(spec, seed);
      default -> vae(network, spec, seed);
    };
  }

  private Built generator(ModelSpec spec, long seed) {
    DeconvNet g = Mirror.of(spec);
    SequentialBlock block = Networks.of(g);
    block.initialize(manager, DataType.FLOAT32, Networks.latentShape(g, 2));
    scramble(block, seed);
    // Running statistics from a few small batches: GanSampler.prepare's 32 × 64 latents would
    // make the 64×64 generator slow to test; the end-to-end CLI test covers prepare itself.
    trainingPasses(block, Networks.latentShape(g, 8).getShape(), seed);
    ExportedNetwork net =
        new ExportedNetwork(
            Network.GENERATOR,
            spec,
            BlockWeights.read(block, Network.GENERATOR.parts(spec).get(0), 32),
            Map.of("test", "generator"));
    return new Built(
        net,
        (z, n) -> {
          try (NDManager tmp = manager.newSubManager()) {
            float[] x =
                GanSampler.forward(
                    block, store, manager, tmp.create(z, Networks.latentShape(g, n)));
            // cli.TrainedModel's mapping of tanh outputs to pixels.
            for (int i = 0; i < x.length; i++) x[i] = Math.min(1f, Math.max(0f, (x[i] + 1) / 2));
            return new float[][] {x};
          }
        });
  }

  private Built discriminator(ModelSpec spec, long seed) {
    SequentialBlock block = Networks.of(spec.declared());
    block.initialize(manager, DataType.FLOAT32, Networks.imageShape(spec.image(), 2));
    scramble(block, seed);
    trainingPasses(block, Networks.imageShape(spec.image(), 8).getShape(), seed);
    ExportedNetwork net =
        new ExportedNetwork(
            Network.DISCRIMINATOR,
            spec,
            BlockWeights.read(block, Network.DISCRIMINATOR.parts(spec).get(0), 0),
            Map.of());
    return new Built(
        net,
        (x, n) -> {
          try (NDManager tmp = manager.newSubManager()) {
            NDArray in = tmp.create(x, Networks.imageShape(spec.image(), n)).mul(2).sub(1);
            return new float[][] {
              block.forward(store, new NDList(in), false).singletonOrThrow().toFloatArray()
            };
          }
        });
  }

  private Built vae(Network network, ModelSpec spec, long seed) {
    VaeModel model = Objectives.vaeModel(spec, manager, seed);
    for (Block b : model.blocks().values()) scramble(b, seed);
    Engine.getInstance().setRandomSeed((int) seed);
    for (int i = 0; i < 4; i++) {
      try (NDManager tmp = manager.newSubManager()) {
        NDArray x = tmp.randomUniform(-1, 1, Networks.imageShape(spec.image(), 8));
        VaeModel.Posterior q = model.encode(x, true);
        model.decode(VaeModel.sample(q, tmp.randomNormal(q.mean().getShape())), true);
      }
    }
    Map<String, Tensor> weights = new LinkedHashMap<>();
    List<Part> parts = network.parts(spec);
    for (Part p : parts) {
      weights.putAll(
          BlockWeights.read(model.blocks().get(p.name().isEmpty() ? "decoder" : p.name()), p, 0));
    }
    if (network.hasObservationLogVariance(spec)) {
      weights.put(Network.OBSERVATION_LOG_VARIANCE, Tensor.f32(new long[] {1}, new float[] {0.3f}));
    }
    ExportedNetwork net = new ExportedNetwork(network, spec, weights, Map.of());
    if (network == Network.DECODER) {
      return new Built(
          net,
          (z, n) -> {
            try (NDManager tmp = manager.newSubManager()) {
              return new float[][] {VaeSampler.decode(model, tmp.create(z, model.latentShape(n)))};
            }
          });
    }
    return new Built(
        net,
        (x, n) -> {
          try (NDManager tmp = manager.newSubManager()) {
            NDArray in = tmp.create(x, Networks.imageShape(spec.image(), n)).mul(2).sub(1);
            VaeModel.Posterior q = model.encode(in, false);
            return new float[][] {q.mean().toFloatArray(), q.logVariance().toFloatArray()};
          }
        });
  }

  /**
   * Redraws weights with a spread that keeps activations of order one (He et al. 2015), and
   * batch-norm scales and shifts away from 1 and 0, so that an export that drops or misplaces any
   * of them shows.
   */
  void scramble(Block block, long seed) {
    Engine.getInstance().setRandomSeed((int) seed + 7);
    for (Parameter p : block.getParameters().values()) {
      NDArray a = p.getArray();
      long[] s = a.getShape().getShape();
      float std;
      float mean = 0;
      switch (p.getType()) {
        case WEIGHT -> {
          long fanIn = a.size() / s[0];
          std = (float) Math.sqrt(2.0 / Math.max(1, fanIn));
        }
        case GAMMA -> {
          mean = 1;
          std = 0.3f;
        }
        case BIAS, BETA -> std = 0.2f;
        default -> {
          continue;
        }
      }
      try (NDManager tmp = manager.newSubManager()) {
        a.set(tmp.randomNormal(mean, std, a.getShape(), DataType.FLOAT32).toByteBuffer());
      }
    }
  }

  /** Training-mode passes on random inputs: batch-norm running statistics and SN vectors move. */
  private void trainingPasses(Block block, long[] shape, long seed) {
    Engine.getInstance().setRandomSeed((int) seed + 11);
    for (int i = 0; i < 4; i++) {
      try (NDManager tmp = manager.newSubManager()) {
        block.forward(
            store,
            new NDList(tmp.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(shape))),
            true);
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
