package org.convmirror.spec;

import org.convmirror.error.UsageException;

/**
 * An invalid model specification, reported with the path of the offending value, as in {@code
 * discriminator.conv[2].stride: must be ≥ 1, was 0}.
 */
public final class SpecException extends UsageException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  public SpecException(String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** The dotted path of the bad value, e.g. {@code discriminator.conv[2].stride}. */
  public String path() {
    return path;
  }

  /** The message without its path. */
  public String problem() {
    return problem;
  }

  /** The same problem seen from one level up: {@code stride} under {@code conv[2]}. */
  public SpecException under(String parent) {
    if (parent.isEmpty()) return this;
    String joined =
        path.isEmpty() ? parent : path.startsWith("[") ? parent + path : parent + "." + path;
    return new SpecException(joined, problem);
  }

  static void check(boolean ok, String path, String problem) {
    if (!ok) throw new SpecException(path, problem);
  }
}
