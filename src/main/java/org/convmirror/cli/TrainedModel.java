package org.convmirror.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.convmirror.gan.GanSampler;
import org.convmirror.mirror.Mirror;
import org.convmirror.nn.Networks;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelKind;
import org.convmirror.vae.VaeModel;
import org.convmirror.vae.VaeSampler;

/**
 * A trained model's derived half, ready to draw images: latent vectors in, N×C×H×W pixels in [0, 1]
 * out — the GAN generator (its weight average unless {@code raw}) with standing batch-norm
 * statistics, or the VAE decoder (Bernoulli means σ(logits), or Gaussian means).
 */
record TrainedModel(Function<NDArray, float[]> pixels, IntFunction<Shape> latentShape) {
  static final int CHUNK = 500;

  static TrainedModel open(RunSource src, boolean raw, NDManager manager) throws IOException {
    return src.spec().kind() == ModelKind.VAE ? vae(src, manager) : generator(src, raw, manager);
  }

  /** {@code count} images from N(0, I) latents drawn with {@code seed}, in chunks. */
  float[] sample(NDManager manager, int count, int imageSize, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    float[] out = new float[count * imageSize];
    for (int done = 0; done < count; done += CHUNK) {
      int n = Math.min(CHUNK, count - done);
      try (NDManager tmp = manager.newSubManager()) {
        float[] x = pixels.apply(tmp.randomNormal(latentShape.apply(n)));
        System.arraycopy(x, 0, out, done * imageSize, x.length);
      }
    }
    return out;
  }

  private static TrainedModel generator(RunSource src, boolean raw, NDManager manager)
      throws IOException {
    DeconvNet g = Mirror.of(src.spec());
    SequentialBlock generator = Networks.of(g);
    generator.initialize(manager, DataType.FLOAT32, Networks.latentShape(g, 2));
    src.load(Map.of(raw ? "generator" : "generator_ema", generator), manager);
    ParameterStore store = new ParameterStore(manager, false);
    GanSampler.prepare(generator, g, store, manager, src.config().seed());
    return new TrainedModel(
        z -> {
          float[] x = GanSampler.forward(generator, store, manager, z);
          for (int i = 0; i < x.length; i++) x[i] = Math.min(1f, Math.max(0f, (x[i] + 1) / 2));
          return x;
        },
        n -> Networks.latentShape(g, n));
  }

  private static TrainedModel vae(RunSource src, NDManager manager) throws IOException {
    VaeModel model = new VaeModel(src.spec(), manager, src.config().seed());
    src.load(model.blocks(), manager);
    return new TrainedModel(z -> VaeSampler.decode(model, z), model::latentShape);
  }
}
