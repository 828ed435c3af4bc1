package org.convmirror.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.data.ImageSet;
import org.convmirror.nn.Adam;
import org.convmirror.nn.HostBuffers;
import org.convmirror.nn.Networks;
import org.convmirror.spec.ModelSpec;

/**
 * Trains a VAE by minimising reconstruction + β·KL with one reparameterised sample per image
 * (Kingma &amp; Welling 2014, Algorithm 1 with L = 1), one Adam per block, and measures the
 * negative ELBO of held-out data.
 */
public final class VaeTrainer implements AutoCloseable {
  private final HostBuffers inputs = new HostBuffers(1);

  private final VaeModel model;
  private final Map<String, Adam> optimizers = new LinkedHashMap<>();

  /** Builds the model from {@code seed} and an Adam for each of its blocks. */
  public VaeTrainer(
      ModelSpec spec, float learningRate, float beta1, float beta2, NDManager parent, long seed) {
    model = new VaeModel(spec, parent, seed);
    for (Map.Entry<String, Block> e : model.blocks().entrySet()) {
      optimizers.put(
          e.getKey(), new Adam(e.getValue(), model.manager(), learningRate, beta1, beta2, 1e-8f));
    }
  }

  /**
   * One update on a batch of images (N×C×H×W in [-1, 1]): minimises E_q[−log p(x|z)] + β·KL(q(z|x)
   * ‖ N(0, I)), each term summed per image and averaged over the batch. Returns both terms.
   */
  public Elbo step(float[] images, int batchSize, float beta) {
    try (NDManager it = model.manager().newSubManager()) {
      NDArray x =
          inputs.upload(it, 0, images, Networks.imageShape(model.spec().image(), batchSize));
      Elbo elbo;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray[] terms = terms(x, true);
        NDArray recon = terms[0].mean();
        NDArray kl = terms[1].mean();
        gc.backward(recon.add(kl.mul(beta)));
        elbo = new Elbo(recon.getFloat(), kl.getFloat());
      }
      optimizers.values().forEach(Adam::step);
      return elbo;
    }
  }

  /**
   * The negative ELBO of {@code data} in inference mode (batch norm on its running statistics), a
   * single-sample estimate per image, averaged over all images; ε is drawn from the engine's
   * generator, so seed it first for a repeatable number.
   */
  public Elbo evaluate(ImageSet data, int batchSize) {
    double recon = 0;
    double kl = 0;
    int size = data.imageSize();
    for (int start = 0; start < data.count(); start += batchSize) {
      int n = Math.min(batchSize, data.count() - start);
      float[] pixels = new float[n * size];
      for (int i = 0; i < n; i++) data.copyImage(start + i, pixels, i * size);
      try (NDManager it = model.manager().newSubManager()) {
        NDArray x = inputs.upload(it, 0, pixels, Networks.imageShape(model.spec().image(), n));
        NDArray[] terms = terms(x, false);
        recon += terms[0].sum().getFloat();
        kl += terms[1].sum().getFloat();
      }
    }
    return new Elbo(recon / data.count(), kl / data.count());
  }

  /** Per-image reconstruction and KL, each (N), for images x in [-1, 1]. */
  private NDArray[] terms(NDArray x, boolean training) {
    VaeModel.Posterior q = model.encode(x, training);
    NDArray out = model.decode(VaeModel.sample(q), training);
    NDArray target = x.add(1).mul(0.5f); // the likelihood models pixels in [0, 1]
    NDArray recon =
        VaeLoss.reconstruction(
            model.spec().likelihood(), out, target, model.observationLogVariance(x, training));
    return new NDArray[] {recon, VaeLoss.kl(q.mean(), q.logVariance())};
  }

  public VaeModel model() {
    return model;
  }

  /** Adam steps taken (every block steps together). */
  public long steps() {
    return optimizers.values().iterator().next().steps();
  }

  /** Every optimizer's moments, named {@code <block>.adam_m.<param>} and so on. */
  public Map<String, NDArray> optimizerState() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    optimizers.forEach((name, adam) -> out.putAll(adam.state(name + ".")));
    return out;
  }

  /**
   * Continues from a checkpoint already loaded into {@link VaeModel#blocks()}: loaded arrays come
   * without gradients, so those are re-enabled, then the Adam moments that {@link #optimizerState}
   * saved are restored.
   */
  public void restore(Map<String, NDArray> arrays, long steps) {
    model.blocks().values().forEach(Networks::enableGradients);
    optimizers.forEach((name, adam) -> adam.load(arrays, name + ".", steps));
  }

  @Override
  public void close() {
    optimizers.values().forEach(Adam::close);
    model.close();
  }
}
