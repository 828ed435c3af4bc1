package org.convmirror.internal.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.MaxPool;
import org.convmirror.spec.MirrorOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.convmirror.spec.Pair;

/**
 * Writes a {@link ModelSpec} as a model file, in the style of the built-in ones (one flow mapping
 * per block), so that a model built in Java is recorded in its run as text that {@link
 * ModelFiles#parse} reads back to the same spec. Every field is written, defaults included, so the
 * file does not depend on a later version's defaults.
 *
 * <p>Written by hand rather than through Jackson's YAML generator, which cannot mix block and flow
 * styles the way people write these files.
 */
public final class ModelWriter {
  private ModelWriter() {}

  /** The model file text of {@code spec}. */
  public static String yaml(ModelSpec spec) {
    StringBuilder s = new StringBuilder();
    var image = spec.image();
    s.append(
        f(
            "image: {channels: %d, height: %d, width: %d}%n",
            image.channels(), image.height(), image.width()));
    s.append(f("latent: %d%n", spec.latent()));
    s.append(spec.kind().declaredName()).append(":\n");
    net(s, spec.declared());
    MirrorOptions m = spec.mirror();
    s.append(spec.kind().derivedName()).append(":\n");
    s.append(f("  hidden_activation: %s%n", m.hiddenActivation()));
    s.append(f("  output_activation: %s%n", m.outputActivation()));
    s.append(f("  batch_norm: %b%n", m.batchNorm()));
    s.append(f("  bias: %b%n", m.bias()));
    s.append(f("  spectral_norm: %b%n", m.spectralNorm()));
    s.append(f("  dropout: %s%n", number(m.dropout())));
    if (spec.kind() == ModelKind.VAE) {
      s.append(f("  likelihood: %s%n", spec.likelihood().name().toLowerCase(Locale.ROOT)));
    }
    if (spec.isConditional()) s.append(conditional(spec.conditioning())).append('\n');
    return s.toString();
  }

  private static String conditional(Conditioning c) {
    List<String> kv = new ArrayList<>();
    kv.add("classes: " + (c.isAuto() ? "auto" : Integer.toString(c.classes())));
    kv.add("embedding: " + c.embedding());
    kv.add("batch_norm: " + c.batchNorm());
    if (!c.names().isEmpty()) {
      List<String> quoted = new ArrayList<>();
      for (String n : c.names()) quoted.add(quote(n));
      kv.add("names: [" + String.join(", ", quoted) + "]");
    }
    return "conditional: {" + String.join(", ", kv) + "}";
  }

  /** A JSON string, which YAML reads as a double-quoted scalar: any name reads back exactly. */
  private static String quote(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }

  private static void net(StringBuilder s, ConvNet net) {
    s.append("  conv:\n");
    for (ConvBlock b : net.conv()) s.append("    - ").append(conv(b)).append('\n');
    if (!net.dense().isEmpty()) {
      s.append("  dense:\n");
      for (DenseBlock d : net.dense()) s.append("    - ").append(dense(d)).append('\n');
    }
  }

  private static String conv(ConvBlock b) {
    List<String> kv = new ArrayList<>();
    kv.add("filters: " + b.filters());
    kv.add("kernel: " + pair(b.kernel()));
    kv.add("stride: " + pair(b.stride()));
    kv.add("padding: " + pair(b.padding()));
    kv.add("dilation: " + pair(b.dilation()));
    kv.add("bias: " + b.bias());
    kv.add("batch_norm: " + b.batchNorm());
    kv.add("spectral_norm: " + b.spectralNorm());
    kv.add("activation: " + b.activation());
    if (b.maxPool() != null) kv.add("max_pool: " + maxPool(b.maxPool()));
    kv.add("dropout: " + number(b.dropout()));
    return "{" + String.join(", ", kv) + "}";
  }

  private static String dense(DenseBlock d) {
    return f(
        "{units: %d, bias: %b, batch_norm: %b, spectral_norm: %b, activation: %s, dropout: %s}",
        d.units(), d.bias(), d.batchNorm(), d.spectralNorm(), d.activation(), number(d.dropout()));
  }

  private static String maxPool(MaxPool p) {
    return "{kernel: " + pair(p.kernel()) + ", stride: " + pair(p.stride()) + "}";
  }

  private static String pair(Pair p) {
    return p.isSquare() ? Integer.toString(p.height()) : "[" + p.height() + ", " + p.width() + "]";
  }

  /** Shortest decimal that reads back to the same double, e.g. {@code 0.25}. */
  private static String number(double v) {
    return Double.toString(v);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
