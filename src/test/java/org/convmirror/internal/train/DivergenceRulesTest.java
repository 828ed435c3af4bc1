package org.convmirror.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.convmirror.TinyModels;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.gan.GanObjective;
import org.convmirror.internal.run.MetricsLog;
import org.convmirror.internal.run.MetricsTable;
import org.convmirror.internal.run.RunDirectory;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.vae.VaeObjective;
import org.convmirror.options.GanLoss;
import org.convmirror.options.GanOptions;
import org.convmirror.options.TrainConfig;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each objective calls divergence: runaway losses and (BCE only) saturated discriminator
 * outputs trip it, the extremes of healthy training do not, and a healthy run of every GAN loss and
 * of a VAE, longer than the guard's patience, never reports it once.
 */
@Tier.Engine
class DivergenceRulesTest {
  static final ModelSpec VAE = TinyModels.vae(ImageShape.of(1, 16, 16), Likelihood.BERNOULLI, 4);

  @TempDir Path tmp;

  private static GanObjective gan(GanLoss loss) {
    return Objectives.gan(TinyModels.GAN, GanOptions.builder().loss(loss).build(), 3);
  }

  private static ImageSet data(ModelSpec spec, Split split, int n) {
    var s = spec.image();
    return DataSources.load(null, "synthetic:" + n, split, s.channels(), s.height(), s.width(), 3);
  }

  @Test
  void ganRules() {
    try (GanObjective bce = gan(GanLoss.BCE)) {
      assertNull(bce.divergence(m(bce, 1.39, 0.69, 0.55, 0.46)), "at the start");
      // dcgan28's extremes in its first epoch on Fashion-MNIST.
      assertNull(bce.divergence(m(bce, 0.09, 7.19, 0.9875, 0.0016)));
      assertNull(bce.divergence(m(bce, 2.88, 0.43, 0.19, 0.73)));
      assertEquals(
          "d_loss is 7.22e+19, beyond ±1.00e+05, more than any healthy GAN loss",
          bce.divergence(m(bce, 7.22e19, 0, 0, 0)));
      assertEquals(
          "g_loss is -2.00e+05, beyond ±1.00e+05, more than any healthy GAN loss",
          bce.divergence(m(bce, 1, -2e5, 0.5, 0.5)));
      assertEquals(
          "the discriminator's outputs are saturated (D(x) 1.0000000, D(G(z)) 0.0000000): its"
              + " sigmoid passes no gradient",
          bce.divergence(m(bce, 0, 16561, 1, 0)));
      assertEquals(
          "the discriminator's outputs are saturated (D(x) 0.0000000, D(G(z)) 0.0000000): its"
              + " sigmoid passes no gradient",
          bce.divergence(m(bce, 20, 0, 1e-9, 0)));
      assertNull(bce.divergence(m(bce, 0.0001, 12, 0.99999, 0.00001)), "only nearly");
    }
    for (GanLoss raw : new GanLoss[] {GanLoss.LSGAN, GanLoss.HINGE, GanLoss.WASSERSTEIN}) {
      try (GanObjective o = gan(raw)) {
        // Raw critic outputs of 0 and 1 are nothing special; values of 10–100 (WGAN-GP) healthy.
        assertNull(o.divergence(m(o, 0.5, 0.5, 1, 0)), raw.id());
        assertNull(o.divergence(m(o, -100, 95, 150, 50)), raw.id());
        assertEquals(
            "d_loss is 1.00e+06, beyond ±1.00e+05, more than any healthy GAN loss",
            o.divergence(m(o, 1e6, 1, 1, 0)),
            raw.id());
      }
    }
  }

  /**
   * A discriminator that wins outright is trouble only where its output is a probability (BCE):
   * LSGAN's generator keeps a gradient however far from its target D's scores are.
   */
  @Test
  void onlyABceDiscriminatorWinsOutright() {
    try (GanObjective bce = gan(GanLoss.BCE)) {
      assertNull(bce.trouble(m(bce, 0.5, 0.9, 0.6, 0.4)));
      assertEquals(
          "the discriminator has won outright (D loss 0.0010): the generator gets almost no"
              + " gradient. Try --real-label 0.9, spectral_norm: true on the discriminator, or"
              + " --loss hinge.",
          bce.trouble(m(bce, 0.001, 9, 0.999, 0.001)));
    }
    for (GanLoss raw : new GanLoss[] {GanLoss.LSGAN, GanLoss.HINGE, GanLoss.WASSERSTEIN}) {
      try (GanObjective o = gan(raw)) {
        assertNull(o.trouble(m(o, 0.001, 0.5, 1, 0)), raw.id());
      }
    }
  }

  /** The named values of a step of {@code o}, in its metrics' order. */
  private static Metrics m(Objective o, double... values) {
    return new Metrics(o.metrics(), values);
  }

  @Test
  void vaeRules() {
    try (VaeObjective v =
        Objectives.vae(VAE, VaeOptions.builder().build(), data(VAE, Split.TEST, 16), 3)) {
      double limit = 100 * (16 * 16 + 4);
      assertNull(v.divergence(m(v, 540, 500, 40, 1)));
      assertNull(v.divergence(m(v, -limit, -limit, 0, 1)), "at the limit");
      assertEquals(
          "kl is 2.61e+04, beyond ±2.60e+04 nats, more than 100 per pixel and latent dimension:"
              + " no healthy VAE's",
          v.divergence(m(v, 200, 100, limit + 100, 1)));
      assertNull(v.divergence(m(v, 200, 100, 100, 1e9)), "β is no loss");
    }
  }

  static Stream<Arguments> healthy() {
    return Stream.concat(
        Arrays.stream(GanLoss.values()).map(l -> Arguments.of(l.id(), TinyModels.GAN, l)),
        Stream.of(Arguments.of("vae", VAE, null)));
  }

  /** 60 iterations at the default settings, more than the patience: never once in trouble. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("healthy")
  void aHealthyRunIsNeverInTrouble(String name, ModelSpec spec, GanLoss loss) throws Exception {
    TrainConfig config =
        TrainConfig.builder(name, ModelWriter.yaml(spec))
            .data("synthetic:480")
            .epochs(2)
            .batchSize(16)
            .seed(3)
            .checkpointEvery(0)
            .build();
    RunDirectory run = ResumeExactnessTest.run(tmp.resolve(name), config);
    try (Objective o =
        loss == null
            ? Objectives.vae(spec, VaeOptions.builder().build(), data(spec, Split.TEST, 64), 3)
            : gan(loss)) {
      ResumeExactnessTest.loop(o, data(spec, Split.TRAIN, 480), config, run);
      MetricsTable t = MetricsLog.read(run.layout().lossesCsv());
      assertEquals(60, t.size());
      int first = RunLoop.LEADING.size();
      for (double[] row : t.rows()) {
        double[] m = Arrays.copyOfRange(row, first, first + o.metrics().size());
        assertNull(
            o.divergence(new Metrics(o.metrics(), m)),
            name + " at iteration " + row[1] + ": " + Arrays.toString(m));
      }
    }
  }
}
