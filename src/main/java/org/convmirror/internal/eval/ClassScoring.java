package org.convmirror.internal.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-class numbers of a {@link ClassReport}, from classifier outputs already computed: pure
 * arithmetic on features and predicted labels, so it is checked without an engine.
 */
final class ClassScoring {
  private ClassScoring() {}

  /** One set of images in the classifier's view: features, predicted and true (or asked) labels. */
  record Scored(double[][] features, int[] predicted, int[] labels) {
    Scored {
      if (features.length != labels.length || predicted.length != labels.length) {
        throw new IllegalArgumentException("one feature vector, prediction and label per image");
      }
    }

    /** The features of the images labelled {@code c}. */
    double[][] of(int c) {
      List<double[]> out = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) if (labels[i] == c) out.add(features[i]);
      return out.toArray(double[][]::new);
    }

    int count(int c) {
      int n = 0;
      for (int y : labels) n += y == c ? 1 : 0;
      return n;
    }

    /** The fraction of images labelled {@code c} that are predicted as {@code c}; NaN if none. */
    double agreement(int c) {
      int n = 0;
      int hit = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] != c) continue;
        n++;
        hit += predicted[i] == c ? 1 : 0;
      }
      return n == 0 ? Double.NaN : (double) hit / n;
    }
  }

  /**
   * The per-class report.
   *
   * @param generated the generated images, labelled with the class each was asked for
   * @param reference the test images with their true labels
   * @param floor training images with their true labels, per class at most as many as generated
   * @param sameLabels whether the classifier's classes are the model's, so that agreement means
   *     something
   */
  static ClassReport of(
      List<String> names, Scored generated, Scored reference, Scored floor, boolean sameLabels) {
    int k = names.size();
    double[] agreement = new double[k];
    double[] real = new double[k];
    double[] frechet = new double[k];
    double[] floorFrechet = new double[k];
    int[] generatedCounts = new int[k];
    int[] referenceCounts = new int[k];
    for (int c = 0; c < k; c++) {
      generatedCounts[c] = generated.count(c);
      referenceCounts[c] = reference.count(c);
      agreement[c] = sameLabels ? generated.agreement(c) : Double.NaN;
      real[c] = sameLabels ? reference.agreement(c) : Double.NaN;
      double[][] ref = reference.of(c);
      frechet[c] = distance(generated.of(c), ref);
      floorFrechet[c] = distance(floor.of(c), ref);
    }
    return new ClassReport(
        names, agreement, real, frechet, floorFrechet, generatedCounts, referenceCounts);
  }

  /** The Fréchet distance, NaN when either side has fewer than two images. */
  private static double distance(double[][] a, double[][] b) {
    return a.length < 2 || b.length < 2 ? Double.NaN : FrechetDistance.between(a, b);
  }
}
