package org.convmirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelSpec;

/** Models small enough to train in milliseconds, shared by the engine tests. */
public final class TinyModels {
  private TinyModels() {}

  /** A 12×12 GAN whose discriminator has batch norm and spectral norm; latent 8. */
  public static final ModelSpec GAN =
      ModelSpec.gan(
          new ConvNet(
              ImageShape.of(1, 12, 12),
              List.of(
                  ConvBlock.builder(8, 4).stride(2).padding(1).build(),
                  ConvBlock.builder(16, 4)
                      .stride(2)
                      .padding(1)
                      .batchNorm(true)
                      .spectralNorm(true)
                      .build(),
                  ConvBlock.builder(1, 3).activation(Activation.NONE).build())),
          8);

  /** {@link #GAN} as a model file in {@code dir}, for the command line. */
  public static Path ganFile(Path dir) throws IOException {
    return Files.writeString(dir.resolve("tiny-gan.yaml"), ModelWriter.yaml(GAN));
  }

  /** A VAE on {@code image} with a conv-conv-dense encoder. */
  public static ModelSpec vae(ImageShape image, Likelihood likelihood, int latent) {
    ConvNet encoder =
        new ConvNet(
            image,
            List.of(
                ConvBlock.builder(4, 3).stride(2).padding(1).activation(Activation.RELU).build(),
                ConvBlock.builder(6, 4)
                    .stride(2)
                    .padding(1)
                    .batchNorm(true)
                    .activation(Activation.RELU)
                    .build()),
            List.of(DenseBlock.of(12, false, Activation.RELU)));
    return ModelSpec.vae(encoder, latent, likelihood);
  }
}
