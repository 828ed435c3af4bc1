package org.convmirror.internal.testing;

import ai.djl.ndarray.NDManager;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.gan.GanObjective;
import org.convmirror.internal.model.GanFamily;
import org.convmirror.internal.model.VaeFamily;
import org.convmirror.internal.nn.MixedPrecision;
import org.convmirror.internal.vae.VaeModel;
import org.convmirror.internal.vae.VaeObjective;
import org.convmirror.options.GanOptions;
import org.convmirror.options.RunConfig;
import org.convmirror.options.TrainConfig;
import org.convmirror.options.VaeOptions;
import org.convmirror.spec.ModelSpec;

/** Objectives and networks built by the model's family, as training builds them, for tests. */
public final class Objectives {
  private Objectives() {}

  /** A GAN objective of {@code spec} with {@code options}, its networks from {@code seed}. */
  public static GanObjective gan(ModelSpec spec, GanOptions options, long seed) {
    return (GanObjective) new GanFamily(spec).objective(RunConfig.gan(config(seed), options), null);
  }

  /** A VAE objective of {@code spec} scoring {@code test} after every epoch. */
  public static VaeObjective vae(ModelSpec spec, VaeOptions options, ImageSet test, long seed) {
    return (VaeObjective) new VaeFamily(spec).objective(RunConfig.vae(config(seed), options), test);
  }

  /** A VAE's networks, initialised from {@code seed}, in a sub-manager of {@code manager}. */
  public static VaeModel vaeModel(ModelSpec spec, NDManager manager, long seed) {
    return new VaeFamily(spec).model(manager.newSubManager(), seed);
  }

  /** The defaults, with the precision resolved for this machine as a new run resolves it. */
  private static TrainConfig config(long seed) {
    return TrainConfig.builder("test", null)
        .seed(seed)
        .precision(MixedPrecision.resolve(TrainConfig.PRECISION))
        .build();
  }
}
