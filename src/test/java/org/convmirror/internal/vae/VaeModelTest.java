package org.convmirror.internal.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.convmirror.TinyModels;
import org.convmirror.error.UsageException;
import org.convmirror.internal.model.VaeFamily;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.testing.Objectives;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.MirrorOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** The mirrored decoder restores odd and non-square images exactly, in the real DJL forward. */
@Tier.Engine
class VaeModelTest {

  static ModelSpec spec(ImageShape image, Likelihood likelihood, int latent) {
    return TinyModels.vae(image, likelihood, latent);
  }

  @Test
  void oddAndNonSquareImagesComeBackAtTheirExactShape() {
    for (ImageShape image : List.of(ImageShape.of(1, 27, 19), ImageShape.of(3, 20, 33))) {
      for (Likelihood l : Likelihood.values()) {
        try (NDManager m = NDManager.newBaseManager();
            VaeModel model = Objectives.vaeModel(spec(image, l, 5), m, 1)) {
          NDArray x = m.randomUniform(-1, 1, Networks.imageShape(image, 3));
          VaeModel.Posterior q = model.encode(x, false);
          assertEquals(new Shape(3, 5), q.mean().getShape());
          assertEquals(new Shape(3, 5), q.logVariance().getShape());
          NDArray out = model.decode(VaeModel.sample(q, m.zeros(q.mean().getShape())), true);
          assertEquals(Networks.imageShape(image, 3), out.getShape(), image + " " + l);
          NDArray pixels = model.toPixels(out);
          assertTrue(pixels.min().getFloat() >= 0 && pixels.max().getFloat() <= 1);
        }
      }
    }
  }

  @Test
  void bernoulliDecoderIsTrainedOnLogits() {
    ModelSpec spec = spec(ImageShape.of(1, 27, 19), Likelihood.BERNOULLI, 5);
    var deconv = new VaeFamily(spec).decoderSpec().deconv();
    assertEquals(Activation.NONE, deconv.get(deconv.size() - 1).activation());
    var gaussian =
        new VaeFamily(spec(ImageShape.of(1, 27, 19), Likelihood.GAUSSIAN, 5)).decoderSpec();
    assertEquals(Activation.NONE, gaussian.deconv().get(gaussian.deconv().size() - 1).activation());
  }

  @Test
  void bernoulliWithAnotherOutputActivationIsRejected() {
    ModelSpec s = spec(ImageShape.of(1, 27, 19), Likelihood.BERNOULLI, 5);
    ModelSpec tanh =
        new ModelSpec(
            ModelKind.VAE,
            s.image(),
            5,
            s.declared(),
            new MirrorOptions(Activation.RELU, Activation.TANH, true, true, false, 0),
            Likelihood.BERNOULLI);
    var e = assertThrows(UsageException.class, () -> new VaeFamily(tanh).decoderSpec());
    assertTrue(e.getMessage().contains("must be sigmoid"), e.getMessage());
  }
}
