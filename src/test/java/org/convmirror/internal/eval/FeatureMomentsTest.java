package org.convmirror.internal.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Pure
class FeatureMomentsTest {

  @Test
  void tinyCaseByHand() {
    // x = (1, 2), (3, 2), (5, 8): mean (3, 4); centred (-2, -2), (0, -2), (2, 4);
    // scatter [[4+0+4, 4+0+8], [., 4+4+16]] = [[8, 12], [12, 24]].
    FeatureMoments m = FeatureMoments.of(new double[][] {{1, 2}, {3, 2}, {5, 8}}, 2);
    assertEquals(3, m.count());
    assertArrayEquals(new double[] {3, 4}, m.mean(), 0);
    assertArrayEquals(new double[] {8, 12, 12, 24}, m.scatter(), 0);
    GaussianStats s = m.toStats();
    assertArrayEquals(new double[] {4, 6}, s.covariance()[0], 0);
    assertArrayEquals(new double[] {6, 12}, s.covariance()[1], 0);
  }

  @Test
  void mergingPiecesGivesTheWholeSetsStatistics() {
    Random r = new Random(3);
    int d = 7;
    double[][] x = new double[101][d];
    // A large mean against a small spread: raw sums of x and xxᵀ would cancel badly here.
    for (double[] row : x) for (int k = 0; k < d; k++) row[k] = 1e4 + k + r.nextGaussian() * 1e-2;
    GaussianStats whole = GaussianStats.of(x);
    int[] cuts = {0, 1, 2, 40, 40, 77, 101}; // pieces of 1, 1, 38, 0, 37, 24 rows
    FeatureMoments merged = FeatureMoments.empty(d);
    for (int i = 0; i + 1 < cuts.length; i++) {
      merged = merged.merge(FeatureMoments.of(Arrays.copyOfRange(x, cuts[i], cuts[i + 1]), d));
    }
    GaussianStats pieces = merged.toStats();
    assertEquals(101, pieces.count());
    assertArrayEquals(whole.mean(), pieces.mean(), 1e-9);
    for (int k = 0; k < d; k++) {
      for (int l = 0; l < d; l++) {
        double expected = whole.covariance()[k][l];
        assertEquals(expected, pieces.covariance()[k][l], 1e-9 * 1e-4, k + "," + l);
      }
    }
    double fd = FrechetDistance.between(whole, shifted(whole));
    assertEquals(fd, FrechetDistance.between(pieces, shifted(whole)), 1e-9 * fd);
  }

  @Test
  void mergeIsSymmetric() {
    Random r = new Random(5);
    double[][] a = new double[9][3];
    double[][] b = new double[4][3];
    for (double[] row : a) for (int k = 0; k < 3; k++) row[k] = r.nextGaussian();
    for (double[] row : b) for (int k = 0; k < 3; k++) row[k] = 2 + r.nextGaussian();
    FeatureMoments ab = FeatureMoments.of(a, 3).merge(FeatureMoments.of(b, 3));
    FeatureMoments ba = FeatureMoments.of(b, 3).merge(FeatureMoments.of(a, 3));
    assertArrayEquals(ab.mean(), ba.mean(), 1e-15);
    assertArrayEquals(ab.scatter(), ba.scatter(), 1e-13);
  }

  @Test
  void refusesWhatCannotBeACovariance() {
    FeatureMoments one = FeatureMoments.of(new double[][] {{1, 2}}, 2);
    assertThrows(IllegalArgumentException.class, one::toStats);
    assertThrows(IllegalArgumentException.class, () -> one.merge(FeatureMoments.empty(3)));
  }

  private static GaussianStats shifted(GaussianStats s) {
    double[] mean = s.mean().clone();
    mean[0] += 0.5;
    double[][] cov = new double[s.dimension()][];
    for (int k = 0; k < cov.length; k++) {
      cov[k] = s.covariance()[k].clone();
      cov[k][k] *= 2;
    }
    return new GaussianStats(mean, cov, s.count());
  }
}
