package org.convmirror.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Class conditioning of a model (Mirza &amp; Osindero 2014): a label y in [0, classes) enters both
 * networks. The derived half (generator, decoder) gets a learned embedding of y joined to its
 * latent vector, and optionally conditional batch norm — class-dependent γ/β in each of its batch
 * norms (de Vries et al. 2017; Miyato &amp; Koyama 2018). A GAN's discriminator conditions by
 * projection (Miyato &amp; Koyama 2018), a VAE's encoder through its mean and log-variance heads
 * (Sohn, Lee &amp; Yan 2015, the CVAE). The declared conv stack, and therefore the mirror, stays as
 * declared.
 *
 * @param classes how many classes; {@link #AUTO} until the data says
 * @param embedding width of the label embedding joined to the latent
 * @param batchNorm conditional batch norm in every batch norm of the derived half
 * @param names class names, index = label; empty when the classes are only numbered
 */
public record Conditioning(int classes, int embedding, boolean batchNorm, List<String> names) {

  /** {@code classes: auto}: as many classes as the training data has. */
  public static final int AUTO = 0;

  /**
   * Ten values: a learned table that can hold Fashion-MNIST's ten classes as a one-hot code, the
   * label conditional nets first joined to the noise (Mirza &amp; Osindero 2014), while staying
   * cheap: each value costs the first transposed convolution kH·kW·C weights (6,272 in cdcgan28).
   */
  public static final int EMBEDDING = 10;

  /** A limit that keeps a class-by-row grid and an embedding table of sane size. */
  public static final int MAX_CLASSES = 100_000;

  public Conditioning {
    names = names == null ? List.of() : List.copyOf(names);
    SpecException.check(
        classes == AUTO || (classes >= 2 && classes <= MAX_CLASSES),
        "classes",
        "must be auto or from 2 to " + MAX_CLASSES + ", was " + classes);
    SpecException.check(embedding >= 1, "embedding", "must be ≥ 1, was " + embedding);
    if (!names.isEmpty()) {
      SpecException.check(
          classes == AUTO || names.size() == classes,
          "names",
          names.size() + " names for " + classes + " classes; give one name per class");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < names.size(); i++) {
        String n = names.get(i);
        SpecException.check(n != null && !n.isBlank(), "names[" + i + "]", "must not be empty");
        SpecException.check(
            seen.add(n.toLowerCase(Locale.ROOT)),
            "names[" + i + "]",
            "'" + n + "' names two classes; class names must differ");
      }
    }
  }

  /** {@code classes} numbered classes with the default embedding and plain batch norm. */
  public static Conditioning of(int classes) {
    return new Conditioning(classes, EMBEDDING, false, List.of());
  }

  /** As many classes as the data has, resolved when training starts. */
  public static Conditioning auto() {
    return of(AUTO);
  }

  /** Whether the class count still waits for the data. */
  public boolean isAuto() {
    return classes == AUTO;
  }

  /** The same conditioning with conditional batch norm on or off. */
  public Conditioning withBatchNorm(boolean on) {
    return new Conditioning(classes, embedding, on, names);
  }

  /** The same conditioning with another embedding width. */
  public Conditioning withEmbedding(int width) {
    return new Conditioning(classes, width, batchNorm, names);
  }

  /** The same conditioning with a known class count and names (empty: numbered). */
  public Conditioning resolved(int count, List<String> classNames) {
    return new Conditioning(count, embedding, batchNorm, classNames);
  }

  /** Label {@code label}'s name, or its number when the classes have no names. */
  public String name(int label) {
    return names.isEmpty() ? Integer.toString(label) : names.get(label);
  }

  /**
   * The label a user means by {@code text}: a class name (any case) or an index in range; empty if
   * it is neither.
   */
  public OptionalInt find(String text) {
    String t = text.strip();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(t)) return OptionalInt.of(i);
    }
    try {
      int i = Integer.parseInt(t);
      return i >= 0 && (isAuto() || i < classes) ? OptionalInt.of(i) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** The classes for a message: {@code 0 T-shirt/top, 1 Trouser, …} or {@code 0 to 9}. */
  public String describeClasses() {
    if (names.isEmpty()) return isAuto() ? "numbered from 0" : "0 to " + (classes - 1);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      s.append(i == 0 ? "" : ", ").append(i).append(' ').append(names.get(i));
    }
    return s.toString();
  }
}
