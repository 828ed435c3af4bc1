package org.convmirror.internal.export;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.ModelSpec;

/**
 * A trained network taken out of the engine: its layers, every weight and buffer under its PyTorch
 * {@code state_dict} name, and where it came from. What the ONNX, safetensors, {@code model.py} and
 * web writers consume; engine-free.
 *
 * @param metadata provenance (run, checkpoint, model file, versions) as text, for ONNX {@code
 *     metadata_props} and the safetensors {@code __metadata__}
 */
public record ExportedNetwork(
    Network network, ModelSpec spec, Map<String, Tensor> weights, Map<String, String> metadata) {

  public ExportedNetwork {
    // Copies that keep the caller's order: state_dict order for weights, provenance as written.
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    for (String key : network.stateDict(spec).keySet()) {
      if (!weights.containsKey(key)) throw new IllegalArgumentException("no weight " + key);
    }
  }

  public List<Part> parts() {
    return network.parts(spec);
  }

  public ImageShape image() {
    return spec.image();
  }

  public int latent() {
    return spec.latent();
  }

  /**
   * Whether a derived network takes its latent as a {@code latent×1×1} map (the DCGAN case, no
   * dense projection), so that (N, latent) inputs are reshaped first.
   */
  public boolean latentAsMap() {
    return network.isDerived() && !(layers().layers().get(0) instanceof Layer.Dense);
  }

  /** The part that holds the network's layers (after a conditional network's label table). */
  public Part layers() {
    List<Part> parts = parts();
    return parts.get(parts.get(0).table() ? 1 : 0);
  }

  /** The class count of a conditional model, 0 for an unconditional one. */
  public int classes() {
    return Network.classes(spec);
  }

  /** Whether the network takes a class label beside its input. */
  public boolean conditional() {
    return classes() > 0;
  }

  /** What the network takes, for users: {@code z: (N, 100) float32, …}. */
  public String inputSignature() {
    String in =
        network.isDerived()
            ? "z: (N, " + latent() + ") float32, latent vectors from N(0, I)"
            : images();
    return conditional()
        ? in + "; label: (N) int64, classes " + spec.conditioning().describeClasses()
        : in;
  }

  /** What the network gives, for users. */
  public String outputSignature() {
    return switch (network) {
      case GENERATOR, DECODER -> images();
      case DISCRIMINATOR ->
          "logit: (N, "
              + spec.declared().outputSize()
              + ") float32, the raw score before any sigmoid";
      case ENCODER -> "mean, log_variance: (N, " + latent() + ") float32, the posterior q(z|x)";
    };
  }

  private String images() {
    ImageShape s = image();
    return "image: (N, "
        + s.channels()
        + ", "
        + s.height()
        + ", "
        + s.width()
        + ") float32 in [0, 1]";
  }

  /** Parameters, as the plan counts them: every float of the state dict but running statistics. */
  public long parameterCount() {
    long n = 0;
    for (Map.Entry<String, Layer.Param> e : network.stateDict(spec).entrySet()) {
      String name = e.getValue().name();
      if (name.startsWith("running_") || name.equals("num_batches_tracked")) continue;
      if (name.equals("weight_u") || name.equals("weight_v")) continue;
      n += Tensor.size(e.getValue().shape());
    }
    return n;
  }
}
