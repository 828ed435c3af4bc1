package org.convmirror.internal.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.nn.HostBuffers;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.internal.train.Objective.EpochReport;
import org.convmirror.internal.train.Randomness;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;

/**
 * The end of a VAE's epoch: the negative ELBO of the test split in nats, its reconstructions, and
 * the decoded fixed noise.
 */
final class VaeEpochEnd {
  private final VaeModel model;
  private final ImageSet test;
  private final HostBuffers inputs;
  private final Randomness random;
  private final double floor;

  /**
   * @param test the held-out images scored (already cut to their limit)
   * @param inputs the objective's upload buffers: images, ε and labels
   */
  VaeEpochEnd(VaeModel model, ImageSet test, HostBuffers inputs, Randomness random) {
    this.model = model;
    this.test = test;
    this.inputs = inputs;
    this.random = random;
    this.floor = bernoulli() ? BernoulliFloor.nats(test) : 0;
  }

  /** Scores the test split, and draws reconstructions and fixed-noise prior samples. */
  EpochReport report(int epoch, Map<String, Double> means, RunDirectory run, NDArray fixedNoise)
      throws IOException {
    Elbo t = evaluate(model, test, VaeObjective.EVAL_BATCH, inputs, random);
    ImageShape s = model.spec().image();
    int scale = VaeSampler.scale(s.height());
    int shown = VaeObjective.RECONSTRUCTIONS;
    ImageBatch recon = VaeSampler.reconstructions(model, test, shown, shown);
    Path reconFile = run.layout().reconstructionFile(epoch);
    ImageGrid.of(recon).optRange(0, 1).optCols(shown).optScale(scale).write(reconFile);
    priorGrid(s, scale, fixedNoise).write(run.layout().sampleFile(epoch));
    double train = means.get("recon") + means.get("kl");
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("test_nelbo", t.negative());
    values.put("test_recon", t.reconstruction());
    values.put("test_kl", t.kl());
    values.put("train_nelbo", train);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("test_images", test.count());
    details.put("likelihood", model.spec().likelihood().name().toLowerCase(Locale.ROOT));
    details.put("bce_floor", bernoulli() ? floor : null);
    details.put("units", "nats per image; recon summed over pixels, KL over latent dimensions");
    String summary =
        String.format(
            Locale.ROOT,
            "test −ELBO %.2f nats/image (recon %.2f + KL %.2f)%s, train %.2f; recon %s",
            t.negative(),
            t.reconstruction(),
            t.kl(),
            bernoulli() ? String.format(Locale.ROOT, ", floor %.2f", floor) : "",
            train,
            run.root().relativize(reconFile));
    return new EpochReport(values, summary, details);
  }

  /**
   * The negative ELBO of {@code data} in inference mode (batch norm on its running statistics), a
   * single-sample estimate per image, averaged over all images; image i always gets the same ε.
   */
  static Elbo evaluate(
      VaeModel model, ImageSet data, int batchSize, HostBuffers inputs, Randomness random) {
    long noise = random.seed(Randomness.Stream.TEST_POSTERIOR, 0);
    int latent = model.spec().latent();
    double recon = 0;
    double kl = 0;
    int size = data.imageSize();
    for (int start = 0; start < data.count(); start += batchSize) {
      int n = Math.min(batchSize, data.count() - start);
      float[] pixels = new float[n * size];
      for (int i = 0; i < n; i++) data.copyImage(start + i, pixels, i * size);
      try (NDManager it = model.manager().newSubManager()) {
        NDArray x = inputs.upload(it, 0, pixels, Networks.imageShape(model.spec().image(), n));
        float[] eps = Randomness.latents(noise, start, n, latent);
        NDArray y =
            VaeObjective.labels(model, inputs, it, VaeSampler.labels(model, data, start, n));
        NDArray e = inputs.upload(it, 1, eps, new Shape(n, latent));
        NDArray[] terms = VaeObjective.terms(model, x, e, y, false);
        recon += terms[0].sum().getFloat();
        kl += terms[1].sum().getFloat();
      }
    }
    return new Elbo(recon / data.count(), kl / data.count());
  }

  /**
   * Decoded fixed noise: all 64 vectors, or for a conditional VAE one row per class over the first
   * vectors ({@link ClassLabels.Grid}).
   */
  private ImageGrid priorGrid(ImageShape s, int scale, NDArray fixedNoise) {
    if (model.classes() == 0) {
      float[] prior = VaeSampler.decode(model, fixedNoise);
      return ImageGrid.of(
              new ImageBatch(prior, VaeObjective.GRID, s.channels(), s.height(), s.width()))
          .optRange(0, 1)
          .optScale(scale);
    }
    ClassLabels.Grid grid =
        ClassLabels.Grid.of(fixedNoise.toFloatArray(), model.spec().latent(), model.classes());
    float[] prior;
    try (NDManager tmp = model.manager().newSubManager()) {
      NDList in = model.input().create(tmp, grid.z(), grid.labels(), grid.count());
      prior = VaeSampler.decode(model, in.get(0), in.get(1));
    }
    return ImageGrid.of(new ImageBatch(prior, grid.count(), s.channels(), s.height(), s.width()))
        .optRange(0, 1)
        .optCols(grid.cols())
        .optScale(scale);
  }

  private boolean bernoulli() {
    return model.spec().likelihood() == Likelihood.BERNOULLI;
  }

  /** The floor a Bernoulli reconstruction loss cannot go below, once, before training. */
  List<String> notes() {
    if (!bernoulli()) return List.of();
    return List.of(
        String.format(
            Locale.ROOT,
            "Bernoulli floor (test data's cross-entropy with itself): %.1f nats/image",
            floor));
  }
}
