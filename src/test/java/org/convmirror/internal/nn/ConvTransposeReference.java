package org.convmirror.internal.nn;

/**
 * The transposed convolution by its definition (scatter-add), and its gradients, in plain Java:
 * {@code y[n,o, i*s - p + a*d, j*s - p + b*d] += x[n,c,i,j] * w[c,o,a,b]}. Arrays are flat,
 * row-major; x (N,Cin,H,W), w (Cin,Cout,kH,kW), y and g (N,Cout,Ho,Wo).
 */
final class ConvTransposeReference {
  final int n, cin, h, wd, cout, kh, kw, ho, wo;
  final int[] s, p, d;

  ConvTransposeReference(long[] xShape, long[] wShape, int[] s, int[] p, int[] op, int[] d) {
    n = (int) xShape[0];
    cin = (int) xShape[1];
    h = (int) xShape[2];
    wd = (int) xShape[3];
    cout = (int) wShape[1];
    kh = (int) wShape[2];
    kw = (int) wShape[3];
    this.s = s;
    this.p = p;
    this.d = d;
    ho = (h - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op[0] + 1;
    wo = (wd - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op[1] + 1;
  }

  /** Visits every (x index, w index, y index) triple that contributes, i.e. lands inside y. */
  private interface Visitor {
    void visit(int xi, int wi, int yi, int o);
  }

  private void forEach(Visitor v) {
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < cin; c++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < wd; j++) {
            int xi = ((b * cin + c) * h + i) * wd + j;
            for (int o = 0; o < cout; o++) {
              for (int a = 0; a < kh; a++) {
                int oy = i * s[0] - p[0] + a * d[0];
                if (oy < 0 || oy >= ho) {
                  continue;
                }
                for (int e = 0; e < kw; e++) {
                  int ox = j * s[1] - p[1] + e * d[1];
                  if (ox < 0 || ox >= wo) {
                    continue;
                  }
                  int wi = ((c * cout + o) * kh + a) * kw + e;
                  int yi = ((b * cout + o) * ho + oy) * wo + ox;
                  v.visit(xi, wi, yi, o);
                }
              }
            }
          }
        }
      }
    }
  }

  double[] forward(float[] x, float[] w, float[] bias) {
    double[] y = new double[n * cout * ho * wo];
    forEach((xi, wi, yi, o) -> y[yi] += (double) x[xi] * w[wi]);
    if (bias != null) {
      for (int i = 0; i < y.length; i++) {
        y[i] += bias[(i / (ho * wo)) % cout];
      }
    }
    return y;
  }

  /** dL/dx[n,c,i,j] = sum g[n,o,oy,ox] * w[c,o,a,b] for L = sum(y * g). */
  double[] gradX(float[] g, float[] w) {
    double[] gx = new double[n * cin * h * wd];
    forEach((xi, wi, yi, o) -> gx[xi] += (double) g[yi] * w[wi]);
    return gx;
  }

  /** dL/dw[c,o,a,b] = sum x[n,c,i,j] * g[n,o,oy,ox]. */
  double[] gradW(float[] g, float[] x) {
    double[] gw = new double[cin * cout * kh * kw];
    forEach((xi, wi, yi, o) -> gw[wi] += (double) x[xi] * g[yi]);
    return gw;
  }

  /** dL/db[o] = sum of g over (n, oy, ox). */
  double[] gradB(float[] g) {
    double[] gb = new double[cout];
    for (int i = 0; i < g.length; i++) {
      gb[(i / (ho * wo)) % cout] += g[i];
    }
    return gb;
  }
}
