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
                + String.join(", ", List.of(values()).stream().map(AugmentPolicy::id).toList()));
      }
    }
    return out;
  }
}
