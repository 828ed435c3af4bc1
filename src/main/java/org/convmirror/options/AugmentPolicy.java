package org.convmirror.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.convmirror.error.UsageException;

/**
 * The DiffAugment policies (Zhao et al. 2020, arXiv:2006.10738) by the names of the authors' code,
 * as {@code --augment} takes them: a comma-separated list, applied in the order given.
 */
public enum AugmentPolicy {
  /** Random brightness, saturation and contrast per image. */
  COLOR,
  /** A random shift by up to an eighth of the image's side, zeros filling in. */
  TRANSLATION,
  /** A square of half the image's side, set to zero somewhere on it. */
  CUTOUT;

  /**
   * {@code flip} in an {@code --augment} list, beside these: random left-right flips of the real
   * images, made by the data loader as it assembles batches rather than by DiffAugment.
   */
  public static final String FLIP = "flip";

  /** The name in a policy list, e.g. {@code color}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a comma-separated policy list as the official code takes it, e.g. {@code
   * "color,translation,cutout"}; the empty string is no augmentation.
   *
   * @throws UsageException naming an unknown policy and the known ones
   */
  public static List<AugmentPolicy> parse(String policies) {
    List<AugmentPolicy> out = new ArrayList<>();
    if (policies.isBlank()) return out;
    for (String name : policies.split(",", -1)) {
      String n = name.strip();
      try {
        out.add(valueOf(n.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "unknown DiffAugment policy '"
                + n
                + "' in '"
                + policies
                + "'; use a comma-separated list of "
                + ids());
      }
    }
    return out;
  }

  /**
   * Checks a whole {@code --augment} list: {@link #FLIP} and the DiffAugment policies, in any
   * order.
   *
   * @throws UsageException naming an unknown policy and every known one
   */
  public static void check(String policies) {
    if (policies.isBlank()) return;
    for (String name : policies.split(",", -1)) {
      String n = name.strip();
      if (n.equalsIgnoreCase(FLIP)) continue;
      try {
        valueOf(n.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "unknown --augment policy '"
                + n
                + "' in '"
                + policies
                + "'; use a comma-separated list of "
                + FLIP
                + ", "
                + ids());
      }
    }
  }

  private static String ids() {
    return String.join(", ", List.of(values()).stream().map(AugmentPolicy::id).toList());
  }
}
