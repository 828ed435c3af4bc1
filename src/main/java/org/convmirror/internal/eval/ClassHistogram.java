package org.convmirror.internal.eval;

import java.util.Arrays;

/**
 * How often the feature classifier predicts each class for a set of images, and the entropy of that
 * distribution: a mode-collapsed generator has low entropy, a balanced one {@code ln(C)}.
 *
 * @param counts the number of images predicted as each class
 */
public record ClassHistogram(long[] counts) {

  public ClassHistogram {
    counts = counts.clone();
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] < 0) {
        throw new IllegalArgumentException("counts[" + c + "] must be ≥ 0, was " + counts[c]);
      }
    }
  }

  /** Histogram of {@code labels}, each in {@code [0, classes)}. */
  public static ClassHistogram of(int[] labels, int classes) {
    long[] counts = new long[classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "labels[" + i + "] must be in [0, " + classes + "), was " + labels[i]);
      }
      counts[labels[i]]++;
    }
    return new ClassHistogram(counts);
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** Total number of labels counted. */
  public long total() {
    return Arrays.stream(counts).sum();
  }

  /** Fraction of labels in each class (all zero for an empty histogram). */
  public double[] fractions() {
    long total = total();
    return Arrays.stream(counts).mapToDouble(c -> total == 0 ? 0 : (double) c / total).toArray();
  }

  /** Shannon entropy of the class distribution in nats; {@code ln(C)} when perfectly balanced. */
  public double entropy() {
    double h = 0;
    for (double p : fractions()) {
      if (p > 0) {
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassHistogram other && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "ClassHistogram" + Arrays.toString(counts);
  }
}
