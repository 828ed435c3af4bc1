package org.convmirror.internal.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.convmirror.error.UsageException;
import org.convmirror.options.Precision;
import org.convmirror.shape.ModelPlans;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * The networks of a model file as DJL blocks, conditional or not: an unconditional model gets
 * {@link Networks}' sequential blocks unchanged (so its checkpoints are those of before), a
 * conditional one a {@link ConditionalGenerator} and a {@link ProjectionDiscriminator} around the
 * same layers.
 */
public final class ModelNetworks {
  private ModelNetworks() {}

  /** The derived half {@code net} of {@code spec} (a generator, or a VAE's decoder as built). */
  public static Block derived(ModelSpec spec, DeconvNet net) {
    return derived(spec, net, ConvKernel.DEFAULT);
  }

  /** As above, its transposed convolutions computed by {@code kernel}. */
  public static Block derived(ModelSpec spec, DeconvNet net, ConvKernel kernel) {
    return derived(spec, net, kernel, Precision.FP32);
  }

  /** As above, trained in {@code precision} (see {@link MixedPrecision}). */
  public static Block derived(
      ModelSpec spec, DeconvNet net, ConvKernel kernel, Precision precision) {
    Conditioning c = resolved(spec);
    return c == null
        ? Networks.of(net, kernel, precision)
        : ConditionalGenerator.of(net, spec.latent(), c, kernel, precision);
  }

  /** A GAN's discriminator: the declared network, with a projection when conditional. */
  public static Block discriminator(ModelSpec spec) {
    return discriminator(spec, Precision.FP32);
  }

  /** As above, trained in {@code precision} (see {@link MixedPrecision}). */
  public static Block discriminator(ModelSpec spec, Precision precision) {
    Conditioning c = resolved(spec);
    if (c == null) return Networks.of(spec.declared(), precision);
    return ProjectionDiscriminator.of(
        spec.declared(), c.classes(), ModelPlans.projectionFeatures(spec.declared()), precision);
  }

  /** The discriminator's input shapes for {@code n} images: images, and labels when conditional. */
  public static Shape[] discriminatorShapes(ModelSpec spec, long n) {
    Shape images = Networks.imageShape(spec.image(), n);
    return spec.isConditional() ? new Shape[] {images, new Shape(n)} : new Shape[] {images};
  }

  private static Conditioning resolved(ModelSpec spec) {
    Conditioning c = spec.conditioning();
    if (c != null && c.isAuto()) {
      throw new UsageException(
          "conditional.classes: auto is resolved from the training data, which is not at hand"
              + " here; give the class count (conditional: {classes: N}) in the model file");
    }
    return c;
  }
}
