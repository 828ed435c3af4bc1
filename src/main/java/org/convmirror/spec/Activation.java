package org.convmirror.spec;

import java.util.Locale;

/** An element-wise non-linearity; {@code slope} is used by leaky ReLU only. */
public record Activation(Kind kind, double slope) {

  /** The supported non-linearities. */
  public enum Kind {
    NONE,
    RELU,
    LEAKY_RELU,
    ELU,
    GELU,
    TANH,
    SIGMOID
  }

  /** The DCGAN discriminator's slope (Radford et al. 2015). */
  public static final double DEFAULT_LEAKY_SLOPE = 0.2;

  public static final Activation NONE = new Activation(Kind.NONE, 0);
  public static final Activation RELU = new Activation(Kind.RELU, 0);
  public static final Activation LEAKY_RELU = new Activation(Kind.LEAKY_RELU, DEFAULT_LEAKY_SLOPE);
  public static final Activation ELU = new Activation(Kind.ELU, 0);
  public static final Activation GELU = new Activation(Kind.GELU, 0);
  public static final Activation TANH = new Activation(Kind.TANH, 0);
  public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0);

  public Activation {
    SpecException.check(kind != null, "", "activation kind must be given");
    if (kind == Kind.LEAKY_RELU) {
      SpecException.check(
          slope > 0 && slope < 1, "", "leaky_relu slope must be in (0, 1), was " + slope);
    } else {
      slope = 0;
    }
  }

  public static Activation leakyRelu(double slope) {
    return new Activation(Kind.LEAKY_RELU, slope);
  }

  /**
   * Parses {@code relu}, {@code leaky_relu}, {@code leaky_relu(0.1)}, {@code none}, …
   *
   * @throws SpecException naming the accepted forms
   */
  public static Activation parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int open = t.indexOf('(');
    // Only the name may be spelled with '-' (leaky-relu): a '-' in the slope is a minus sign.
    t = open < 0 ? t.replace('-', '_') : t.substring(0, open).replace('-', '_') + t.substring(open);
    if (t.startsWith("leaky_relu(") && t.endsWith(")")) {
      String arg = t.substring("leaky_relu(".length(), t.length() - 1).trim();
      try {
        return leakyRelu(Double.parseDouble(arg));
      } catch (NumberFormatException e) {
        throw new SpecException("", "leaky_relu slope must be a number, was '" + arg + "'");
      }
    }
    for (Kind k : Kind.values()) {
      if (k.name().toLowerCase(Locale.ROOT).equals(t)) {
        return k == Kind.LEAKY_RELU ? LEAKY_RELU : new Activation(k, 0);
      }
    }
    if (t.equals("identity") || t.equals("linear")) return NONE;
    throw new SpecException(
        "",
        "unknown activation '"
            + text
            + "'; expected one of none, relu, leaky_relu, leaky_relu(SLOPE), elu, gelu, tanh,"
            + " sigmoid");
  }

  @Override
  public String toString() {
    String name = kind.name().toLowerCase(Locale.ROOT);
    return kind == Kind.LEAKY_RELU && slope != DEFAULT_LEAKY_SLOPE
        ? name + "(" + slope + ")"
        : name;
  }
}
