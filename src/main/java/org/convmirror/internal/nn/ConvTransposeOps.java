package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.convmirror.options.Precision;

/**
 * Transposed convolution from ops that exist and are differentiable on DJL's PyTorch engine:
 * reshape, transpose, pad, flip, slicing, {@code conv2d}, {@code matMul}.
 *
 * <p>Sub-pixel (phase) decomposition (Shi et al. 2016, "Real-Time Single Image and Video
 * Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network", arXiv:1609.05158):
 * along one axis, the full (uncropped) output is {@code yFull[i*s + a] += x[i] * w[a]}. Writing the
 * kernel tap {@code a = q*s + r} (phase {@code r < s}, {@code q < K = ceil(k/s)}) gives {@code
 * yFull[m*s + r] = sum_q x[m - q] * w[q*s + r]}: for each phase an ordinary full convolution of x
 * with the flipped phase kernel. All s_h*s_w phases run as ONE conv2d with s_h*s_w*Cout output
 * channels, interleaved back by depth-to-space (reshape + transpose). Same multiply-adds as a
 * native transposed convolution, apart from the zero taps that pad k up to K*s.
 *
 * <p>Dilation d &gt; 1 is handled by materialising the dilated kernel (d-1 zeros between taps, size
 * d*(k-1)+1) before the phase split; this costs about d_h*d_w times the multiply-adds of a native
 * implementation, acceptable because generators mirror undilated discriminators.
 */
final class ConvTransposeOps {

  private ConvTransposeOps() {}

  /** {@code H_out = (H-1)*s - 2p + d*(k-1) + op + 1}, as in PyTorch. */
  static long outputSize(long in, int k, int s, int p, int op, int d) {
    return (in - 1) * s - 2L * p + (long) d * (k - 1) + op + 1;
  }

  static void validate(int[] kernel, int[] stride, int[] padding, int[] outPad, int[] dilation) {
    String[] axis = {"height", "width"};
    for (int[] a : new int[][] {kernel, stride, padding, outPad, dilation}) {
      if (a == null || a.length != 2) {
        throw new IllegalArgumentException(
            "kernel/stride/padding/outputPadding/dilation need 2 values");
      }
    }
    for (int i = 0; i < 2; i++) {
      check(kernel[i] >= 1, "kernel", axis[i], kernel[i], ">= 1");
      check(stride[i] >= 1, "stride", axis[i], stride[i], ">= 1");
      check(dilation[i] >= 1, "dilation", axis[i], dilation[i], ">= 1");
      check(padding[i] >= 0, "padding", axis[i], padding[i], ">= 0");
      check(outPad[i] >= 0, "outputPadding", axis[i], outPad[i], ">= 0");
      if (outPad[i] >= Math.max(stride[i], dilation[i])) {
        throw new IllegalArgumentException(
            String.format(
                "outputPadding[%s] must be smaller than max(stride, dilation) = max(%d, %d), was %d",
                axis[i], stride[i], dilation[i], outPad[i]));
      }
    }
  }

  private static void check(boolean ok, String name, String axis, int value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(
          name + "[" + axis + "] must be " + rule + ", was " + value);
    }
  }

  /** See {@link ConvTranspose2d#convTranspose2d}. */
  static NDArray convTranspose2d(
      NDArray x,
      NDArray w,
      NDArray b,
      int[] stride,
      int[] padding,
      int[] outPad,
      int[] dilation,
      ConvKernel kernel) {
    return convTranspose2d(
        x, w, b, stride, padding, outPad, dilation, kernel, Precision.FP32, true);
  }

  /**
   * As above, its arithmetic in {@code precision} where {@link MixedPrecision} says it pays; {@code
   * matMulFor1x1 = false} forces the sub-pixel path, so tests can compare the two.
   */
  static NDArray convTranspose2d(
      NDArray x,
      NDArray w,
      NDArray b,
      int[] stride,
      int[] padding,
      int[] outPad,
      int[] dilation,
      ConvKernel kernel,
      Precision precision,
      boolean matMulFor1x1) {
    validate(new int[] {1, 1}, stride, padding, outPad, dilation);
    Shape xs = x.getShape(); // (N, Cin, H, W)
    Shape ws = w.getShape(); // (Cin, Cout, kH, kW)
    if (xs.dimension() != 4 || ws.dimension() != 4 || xs.get(1) != ws.get(0)) {
      throw new IllegalArgumentException(
          "expected x (N, Cin, H, W) and w (Cin, Cout, kH, kW), were " + xs + " and " + ws);
    }
    long cout = ws.get(1);
    if (b != null && !b.getShape().equals(new Shape(cout))) {
      throw new IllegalArgumentException("bias must be (" + cout + "), was " + b.getShape());
    }
    int[] k = {(int) ws.get(2), (int) ws.get(3)};
    long hOut = outputSize(xs.get(2), k[0], stride[0], padding[0], outPad[0], dilation[0]);
    long wOut = outputSize(xs.get(3), k[1], stride[1], padding[1], outPad[1], dilation[1]);
    if (hOut < 1 || wOut < 1) {
      throw new IllegalArgumentException(
          "padding too large: output would be " + hOut + " x " + wOut + " for input " + xs);
    }
    // Results land in their first operand's manager, i.e. the MODEL's for weight ops: run every
    // temporary in a sub-manager that is closed on return, keep only y.
    NDManager home = x.getManager();
    try (NDManager sub = home.newSubManager()) {
      x.tempAttach(sub);
      w.tempAttach(sub);
      if (b != null) {
        b.tempAttach(sub);
      }
      NDArray y; // (N, Cout, hOut, wOut)
      if (matMulFor1x1 && xs.get(2) == 1 && xs.get(3) == 1) {
        y = cropToOutput(fullFromSinglePixel(x, w, dilation), padding, hOut, wOut);
      } else if (kernel == ConvKernel.NATIVE
          && MixedPrecision.applies(precision, x, ws.get(0), ws.get(1))) {
        y = MixedPrecision.convTranspose2d(x, w, stride, padding, outPad, dilation);
      } else if (kernel == ConvKernel.NATIVE && NativeConvTranspose.available(x)) {
        y = NativeConvTranspose.convTranspose2d(x, w, stride, padding, outPad, dilation);
      } else {
        y = cropToOutput(fullBySubPixel(x, w, stride, dilation), padding, hOut, wOut);
      }
      if (b != null) {
        y = y.add(b.reshape(1, cout, 1, 1));
      }
      y.attach(home);
      return y;
    }
  }

  /** (Cin, Cout, kH, kW) -> (Cin, Cout, targetH, targetW): dilate, then zero-pad or crop. */
  private static NDArray dilatedKernel(NDArray w, int[] dilation, long targetH, long targetW) {
    Shape s = w.getShape();
    long kh = s.get(2);
    long kw = s.get(3);
    NDArray d = w;
    if (dilation[0] > 1 || dilation[1] > 1) {
      // (Cin, Cout, kH, 1, kW, 1) -> pad the unit axes to (.., kH, dH, kW, dW) -> merge.
      d =
          w.reshape(s.get(0), s.get(1), kh, 1, kw, 1)
              .pad(new Shape(0, dilation[1] - 1, 0, 0, 0, dilation[0] - 1), 0)
              .reshape(s.get(0), s.get(1), kh * dilation[0], kw * dilation[1]);
    }
    // Crop the trailing d-1 zeros (or excess) by slicing — a Shape cannot hold a pad below -1 —
    // then zero-pad up to the target.
    long h = kh * dilation[0];
    long wd = kw * dilation[1];
    if (targetH < h || targetW < wd) {
      d = d.get(new NDIndex(":, :, :{}, :{}", Math.min(h, targetH), Math.min(wd, targetW)));
    }
    long padH = Math.max(0, targetH - h);
    long padW = Math.max(0, targetW - wd);
    return padH == 0 && padW == 0 ? d : d.pad(new Shape(0, padW, 0, padH), 0);
  }

  /** 1x1 input: (N, Cin) x (Cin, Cout*kH*kW), reshaped to the full output (N, Cout, kH', kW'). */
  private static NDArray fullFromSinglePixel(NDArray x, NDArray w, int[] dilation) {
    Shape ws = w.getShape();
    long hd = (long) dilation[0] * (ws.get(2) - 1) + 1;
    long wd = (long) dilation[1] * (ws.get(3) - 1) + 1;
    NDArray wk = dilatedKernel(w, dilation, hd, wd).reshape(ws.get(0), ws.get(1) * hd * wd);
    long n = x.getShape().get(0);
    return x.reshape(n, ws.get(0)).matMul(wk).reshape(n, ws.get(1), hd, wd);
  }

  /** One conv2d with s_h*s_w*Cout channels, then depth-to-space: (N, Cout, (H+Kh-1)*sH, ..). */
  private static NDArray fullBySubPixel(NDArray x, NDArray w, int[] stride, int[] dilation) {
    Shape ws = w.getShape();
    long cin = ws.get(0);
    long cout = ws.get(1);
    int sh = stride[0];
    int sw = stride[1];
    long kh = ceilDiv((long) dilation[0] * (ws.get(2) - 1) + 1, sh); // taps per phase
    long kw = ceilDiv((long) dilation[1] * (ws.get(3) - 1) + 1, sw);
    NDArray phaseKernels =
        dilatedKernel(w, dilation, kh * sh, kw * sw)
            .reshape(cin, cout, kh, sh, kw, sw) // tap a = q*s + r
            .transpose(1, 3, 5, 0, 2, 4) // (Cout, sH, sW, Cin, Kh, Kw)
            .flip(4, 5) // correlation needs the flipped kernel
            .reshape(cout * sh * sw, cin, kh, kw);
    NDArray phases =
        Conv2d.conv2d(
                x,
                phaseKernels,
                null,
                new Shape(1, 1),
                new Shape(kh - 1, kw - 1), // "full" convolution
                new Shape(1, 1))
            .head(); // (N, Cout*sH*sW, H+Kh-1, W+Kw-1)
    Shape ps = phases.getShape();
    long n = ps.get(0);
    long hm = ps.get(2);
    long wm = ps.get(3);
    return phases
        .reshape(n, cout, sh, sw, hm, wm)
        .transpose(0, 1, 4, 2, 5, 3) // (N, Cout, Hm, sH, Wm, sW)
        .reshape(n, cout, hm * sh, wm * sw);
  }

  /** Crops {@code padding} from the top/left, then crops or zero-extends to (hOut, wOut). */
  private static NDArray cropToOutput(NDArray full, int[] padding, long hOut, long wOut) {
    Shape fs = full.getShape();
    // output_padding may reach past the computed rows: those get zeros (plus bias).
    long extraH = Math.max(0, padding[0] + hOut - fs.get(2));
    long extraW = Math.max(0, padding[1] + wOut - fs.get(3));
    NDArray f = extraH > 0 || extraW > 0 ? full.pad(new Shape(0, extraW, 0, extraH), 0) : full;
    return f.get(
        new NDIndex(
            ":, :, {}:{}, {}:{}", padding[0], padding[0] + hOut, padding[1], padding[1] + wOut));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
