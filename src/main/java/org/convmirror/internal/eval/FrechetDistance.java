package org.convmirror.internal.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Squared Fréchet (2-Wasserstein) distance between two Gaussians fitted to feature sets — FID
 * (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
 * Equilibrium") when the features are Inception's, here those of our own {@link FeatureClassifier}
 * as in TF-GAN's MNIST evaluation.
 *
 * <p>{@code d² = |μ1−μ2|² + tr(Σ1 + Σ2 − 2 (Σ1^½ Σ2 Σ1^½)^½)}. The cross term is computed through
 * two symmetric eigendecompositions, never the non-symmetric product {@code Σ1Σ2}, so it stays real
 * and stable for singular covariances; eigenvalues that round below zero are clamped to zero.
 * EJML's symmetric QR algorithm is used because commons-math's QL iteration fails to converge on
 * the rank-deficient covariances of small sample sets.
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
    DMatrixRMaj s1 = new DMatrixRMaj(a.covariance());
    DMatrixRMaj s2 = new DMatrixRMaj(b.covariance());
    DMatrixRMaj root1 = sqrtSymmetric(s1);
    DMatrixRMaj t = new DMatrixRMaj(d, d);
    DMatrixRMaj middle = new DMatrixRMaj(d, d);
    CommonOps_DDRM.mult(root1, s2, t);
    CommonOps_DDRM.mult(t, root1, middle);
    double crossTrace = 0;
    for (double lambda : eigenvalues(middle)) {
      crossTrace += Math.sqrt(Math.max(0, lambda));
    }
    double d2 = meanTerm + CommonOps_DDRM.trace(s1) + CommonOps_DDRM.trace(s2) - 2 * crossTrace;
    // Rounding can leave −1e-12 for identical inputs; a distance is never negative.
    return Math.max(0, d2);
  }

  /** Principal square root of a symmetric positive semi-definite matrix. */
  static DMatrixRMaj sqrtSymmetric(DMatrixRMaj m) {
    int n = m.numRows;
    EigenDecomposition_F64<DMatrixRMaj> eig = decompose(m, true);
    // root = V diag(√λ) Vᵀ: columns of v are the eigenvectors, those of scaled are √λ times them.
    DMatrixRMaj v = new DMatrixRMaj(n, n);
    DMatrixRMaj scaled = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      DMatrixRMaj vector = eig.getEigenVector(i);
      double r = Math.sqrt(Math.max(0, eig.getEigenvalue(i).getReal()));
      for (int p = 0; p < n; p++) {
        v.set(p, i, vector.get(p));
        scaled.set(p, i, r * vector.get(p));
      }
    }
    DMatrixRMaj root = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(scaled, v, root);
    return root;
  }

  /** Eigenvalues of a symmetric matrix. */
  static double[] eigenvalues(DMatrixRMaj m) {
    EigenDecomposition_F64<DMatrixRMaj> eig = decompose(m, false);
    double[] lambda = new double[m.numRows];
    for (int i = 0; i < lambda.length; i++) lambda[i] = eig.getEigenvalue(i).getReal();
    return lambda;
  }

  private static EigenDecomposition_F64<DMatrixRMaj> decompose(DMatrixRMaj m, boolean vectors) {
    DMatrixRMaj sym = new DMatrixRMaj(m.numRows, m.numCols);
    CommonOps_DDRM.transpose(m, sym);
    CommonOps_DDRM.addEquals(sym, m);
    CommonOps_DDRM.scale(0.5, sym);
    EigenDecomposition_F64<DMatrixRMaj> eig =
        DecompositionFactory_DDRM.eig(m.numRows, vectors, true);
    if (!eig.decompose(sym)) {
      throw new ArithmeticException(
          "symmetric eigendecomposition failed for a " + m.numRows + "-square matrix");
    }
    return eig;
  }
}
