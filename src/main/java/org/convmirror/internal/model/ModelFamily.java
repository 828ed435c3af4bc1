package org.convmirror.internal.model;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.nn.ConvKernel;
import org.convmirror.internal.train.Objective;
import org.convmirror.mirror.Mirror;
import org.convmirror.options.RunConfig;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * What kind of model a spec is, and everything that follows from the kind: the names of its
 * networks in a checkpoint, how each network is built and initialised, which of them can be
 * exported, and the objective that trains them. A GAN ({@link GanFamily}) or a VAE ({@link
 * VaeFamily}); nothing else builds a model's networks or spells their names.
 */
public sealed interface ModelFamily permits GanFamily, VaeFamily {

  /** The family of {@code spec}, its networks built with the default kernels. */
  static ModelFamily of(ModelSpec spec) {
    return of(spec, ConvKernel.DEFAULT);
  }

  /** The family of {@code spec}, its transposed convolutions computed by {@code kernel}. */
  static ModelFamily of(ModelSpec spec, ConvKernel kernel) {
    return spec.kind() == ModelKind.GAN ? new GanFamily(spec, kernel) : new VaeFamily(spec, kernel);
  }

  /** The model. */
  ModelSpec spec();

  /** How the derived half's transposed convolutions are computed. */
  ConvKernel kernel();

  /**
   * The derived half (generator, decoder) as the mirror gives it, before any change to build it.
   */
  default DeconvNet mirror() {
    return Mirror.of(spec());
  }

  /** Every entry of its checkpoints: networks first, then the arrays beside them. */
  List<String> entries();

  /**
   * The objective that trains the model from {@code config} (its kind's options, its seed), with
   * freshly built and initialised networks; a conditional spec must have its classes resolved.
   *
   * @param test the held-out images a VAE reports its −ELBO on after every epoch, null for an
   *     objective that is only checkpointed (an import); a GAN ignores it
   */
  Objective objective(RunConfig config, ImageSet test);

  /**
   * The training entries of the declared half (discriminator; encoder, mean, log-variance) or the
   * {@code derived} one (generator; decoder), in the order their parts are exported.
   */
  List<String> networkEntries(boolean derived);

  /**
   * The objective of a new run from {@code config} with its networks by checkpoint entry, for
   * weights to be copied in before its first checkpoint (an import); call {@link Fresh#imported}
   * after copying.
   */
  Fresh fresh(RunConfig config);

  /**
   * A new run's objective and its networks by checkpoint entry.
   *
   * @param imported what makes the networks consistent after weights were copied in: a GAN's weight
   *     average starts where its generator is, as in a new training run
   */
  record Fresh(Objective objective, Map<String, Block> networks, Runnable imported)
      implements AutoCloseable {
    @Override
    public void close() {
      objective.close();
    }
  }

  /**
   * Refuses, in one line, a model whose networks cannot be exported: a conditional one whose class
   * count still waits for the training data ({@code classes: auto}), so that its label tables have
   * no size.
   */
  default void checkExportable() {
    if (spec().isConditional() && spec().conditioning().isAuto()) {
      throw new UsageException(
          "conditional.classes is auto, resolved from the training data, which is not at hand"
              + " here; give the class count (conditional: {classes: N}) in the model file");
    }
  }
}
