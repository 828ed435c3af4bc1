package org.convmirror.internal.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convmirror.error.UsageException;
import org.convmirror.internal.model.GanFamily;
import org.convmirror.internal.model.ModelFamily;
import org.convmirror.internal.model.VaeFamily;
import org.convmirror.shape.ModelPlans;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * Which network of a model is exported or imported, and how it looks from outside: its parts and
 * {@code state_dict} keys, what it takes and what it gives. Images at this boundary are always in
 * [0, 1], as {@code convmirror sample} writes them.
 */
public enum Network {
  /** z (N, latent) → image (N, C, H, W) in [0, 1]: tanh output mapped by (x + 1) / 2, clamped. */
  GENERATOR(ModelKind.GAN, true),
  /** image in [0, 1] → logit (N, k): the raw score before any sigmoid. */
  DISCRIMINATOR(ModelKind.GAN, false),
  /** z (N, latent) → image in [0, 1]: Bernoulli means σ(logits), or Gaussian means clipped. */
  DECODER(ModelKind.VAE, true),
  /** image in [0, 1] → mean and log_variance (N, latent) of q(z|x). */
  ENCODER(ModelKind.VAE, false);

  /** The learned observation log-variance of a {@code gaussian_learned} decoder, shape (1). */
  public static final String OBSERVATION_LOG_VARIANCE = VaeFamily.OBSERVATION_LOG_VARIANCE;

  private final ModelKind kind;
  private final boolean derived;

  Network(ModelKind kind, boolean derived) {
    this.kind = kind;
    this.derived = derived;
  }

  /** The mirrored half of a model of this kind: generator or decoder. */
  public static Network derived(ModelKind kind) {
    return kind == ModelKind.GAN ? GENERATOR : DECODER;
  }

  /** The declared half of a model of this kind: discriminator or encoder. */
  public static Network declared(ModelKind kind) {
    return kind == ModelKind.GAN ? DISCRIMINATOR : ENCODER;
  }

  /**
   * Parses {@code --network}.
   *
   * @throws IllegalArgumentException naming the networks a model of {@code kind} has
   */
  public static Network parse(String text, ModelKind kind) {
    for (Network n : values()) {
      if (n.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        if (n.kind != kind) break;
        return n;
      }
    }
    throw new UsageException(
        "--network must be "
            + derived(kind).cliName()
            + " or "
            + declared(kind).cliName()
            + " for a "
            + kind
            + ", was '"
            + text
            + "'");
  }

  /** {@code generator}, {@code discriminator}, …: the name in files, keys and messages. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public ModelKind kind() {
    return kind;
  }

  /** Whether it maps latent vectors to images (generator, decoder). */
  public boolean isDerived() {
    return derived;
  }

  /** The class name in the generated {@code model.py}. */
  public String className() {
    String n = cliName();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  /**
   * The parts as PyTorch names them: one sequence with bare indices ({@code 0.weight}) for the
   * generator, discriminator and decoder; {@code encoder.*}, {@code mean.*} and {@code
   * log_variance.*} for the encoder, after the checkpoint's block names. A conditional generator,
   * decoder or discriminator is its label table {@code embedding.weight} (classes, width) and the
   * sequence under {@code layers.*}; a conditional encoder's heads take the features and the
   * one-hot label.
   */
  public List<Part> parts(ModelSpec spec) {
    check(spec);
    Conditioning c = spec.conditioning();
    if (c == null) {
      return switch (this) {
        case GENERATOR -> List.of(Layers.of("", new GanFamily(spec).generatorSpec()));
        case DISCRIMINATOR -> List.of(Layers.of("", spec.declared()));
        case DECODER -> List.of(Layers.of("", new VaeFamily(spec).decoderSpec()));
        case ENCODER -> encoder(spec, 0);
      };
    }
    int classes = c.classes();
    int cbn = c.batchNorm() ? classes : 0;
    return switch (this) {
      case GENERATOR ->
          List.of(
              Layers.embedding(EMBEDDING, classes, c.embedding()),
              Layers.of(LAYERS, new GanFamily(spec).generatorSpec(), cbn));
      case DECODER ->
          List.of(
              Layers.embedding(EMBEDDING, classes, c.embedding()),
              Layers.of(LAYERS, new VaeFamily(spec).decoderSpec(), cbn));
      case DISCRIMINATOR ->
          List.of(
              Layers.embedding(EMBEDDING, classes, ModelPlans.projectionFeatures(spec.declared())),
              Layers.of(LAYERS, spec.declared()));
      case ENCODER -> encoder(spec, classes);
    };
  }

  /** The state_dict prefix of a conditional network's label table. */
  public static final String EMBEDDING = "embedding";

  /** The state_dict prefix of a conditional network's layer sequence. */
  public static final String LAYERS = "layers";

  private static List<Part> encoder(ModelSpec spec, int classes) {
    int features = spec.declared().outputSize() + classes;
    return List.of(
        Layers.of(VaeFamily.ENCODER, spec.declared()),
        Layers.dense(VaeFamily.MEAN, features, spec.latent()),
        Layers.dense(VaeFamily.LOG_VARIANCE, features, spec.latent()));
  }

  /** The class count of a conditional model, 0 for an unconditional one. */
  public static int classes(ModelSpec spec) {
    return spec.isConditional() ? spec.conditioning().classes() : 0;
  }

  /**
   * Every {@code state_dict} key with its shape and type, in order; what an import must match
   * exactly.
   */
  public Map<String, Layer.Param> stateDict(ModelSpec spec) {
    Map<String, Layer.Param> out = new LinkedHashMap<>();
    for (Part part : parts(spec)) {
      for (int i = 0; i < part.layers().size(); i++) {
        for (Layer.Param p : part.layers().get(i).parameters()) out.put(part.key(i, p.name()), p);
      }
    }
    if (hasObservationLogVariance(spec)) {
      out.put(
          OBSERVATION_LOG_VARIANCE,
          new Layer.Param(OBSERVATION_LOG_VARIANCE, new long[] {1}, Tensor.DType.F32));
    }
    return out;
  }

  /** Whether the exported network carries a {@code gaussian_learned} decoder's log-variance. */
  public boolean hasObservationLogVariance(ModelSpec spec) {
    return this == DECODER && spec.likelihood() == Likelihood.GAUSSIAN_LEARNED;
  }

  private void check(ModelSpec spec) {
    ModelFamily.of(spec).checkExportable();
    if (spec.kind() != kind) {
      throw new UsageException(
          "a "
              + spec.kind()
              + " has no "
              + cliName()
              + "; it has "
              + derived(spec.kind()).cliName()
              + " and "
              + declared(spec.kind()).cliName());
    }
  }
}
