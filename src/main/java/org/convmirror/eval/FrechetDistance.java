package org.convmirror.eval;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Squared Fréchet (2-Wasserstein) distance between two Gaussians fitted to feature sets — FID
 * (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
 * Equilibrium") when the features are Inception's, here those of our own {@link FeatureClassifier}
 * as in TF-GAN's MNIST evaluation.
 *
 * <p>{@code d² = |μ1−μ2|² + tr(Σ1 + Σ2 − 2 (Σ1^½ Σ2 Σ1^½)^½)}. The cross term is computed through
 * two symmetric eigendecompositions, never the non-symmetric product {@code Σ1Σ2}, so it stays real
 * and stable for singular covariances; eigenvalues that round below zero are clamped to zero.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  /** Squared Fréchet distance between Gaussians fitted to two feature sets ({@code n × d}). */
  public static double between(double[][] a, double[][] b) {
    return between(GaussianStats.of(a), GaussianStats.of(b));
  }

  /** Squared Fréchet distance between two Gaussians. */
  public static double between(GaussianStats a, GaussianStats b) {
    int d = a.dimension();
    if (b.dimension() != d) {
      throw new IllegalArgumentException(
          "feature dimensions differ: " + d + " vs " + b.dimension());
    }
    double meanTerm = 0;
    for (int k = 0; k < d; k++) {
      double diff = a.mean()[k] - b.mean()[k];
      meanTerm += diff * diff;
    }
    RealMatrix s1 = MatrixUtils.createRealMatrix(a.covariance());
    RealMatrix s2 = MatrixUtils.createRealMatrix(b.covariance());
    RealMatrix root1 = sqrtSymmetric(s1);
    RealMatrix middle = symmetrise(root1.multiply(s2).multiply(root1));
    double crossTrace = 0;
    for (double lambda : eigenvalues(middle)) {
      crossTrace += Math.sqrt(Math.max(0, lambda));
    }
    double d2 = meanTerm + s1.getTrace() + s2.getTrace() - 2 * crossTrace;
    // Rounding can leave −1e-12 for identical inputs; a distance is never negative.
    return Math.max(0, d2);
  }

  /** Principal square root of a symmetric positive semi-definite matrix. */
  static RealMatrix sqrtSymmetric(RealMatrix m) {
    double scale = scale(m);
    if (scale == 0) return m.copy(); // the zero matrix is its own root
    EigenDecomposition eig = new EigenDecomposition(symmetrise(m).scalarMultiply(1 / scale));
    RealMatrix v = eig.getV();
    double[] lambda = eig.getRealEigenvalues();
    double[] root = new double[lambda.length];
    for (int i = 0; i < lambda.length; i++) {
      root[i] = Math.sqrt(Math.max(0, lambda[i] * scale));
    }
    return v.multiply(MatrixUtils.createRealDiagonalMatrix(root)).multiply(v.transpose());
  }

  /**
   * Eigenvalues of a symmetric matrix, decomposed at unit scale: commons-math's QL iteration fails
   * to converge on matrices whose entries are all tiny (the covariance of near-identical samples,
   * e.g. a collapsed generator), although their eigenvalues are well defined.
   */
  static double[] eigenvalues(RealMatrix m) {
    double scale = scale(m);
    if (scale == 0) return new double[m.getRowDimension()];
    double[] lambda =
        new EigenDecomposition(symmetrise(m).scalarMultiply(1 / scale)).getRealEigenvalues();
    for (int i = 0; i < lambda.length; i++) lambda[i] *= scale;
    return lambda;
  }

  /** The largest absolute entry. */
  private static double scale(RealMatrix m) {
    double max = 0;
    for (double[] row : m.getData()) for (double v : row) max = Math.max(max, Math.abs(v));
    return max;
  }

  private static RealMatrix symmetrise(RealMatrix m) {
    return m.add(m.transpose()).scalarMultiply(0.5);
  }
}
