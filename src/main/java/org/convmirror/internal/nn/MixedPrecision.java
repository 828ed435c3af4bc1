package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.convmirror.options.Precision;

/**
 * Mixed-precision convolutions ({@link Precision#BF16}): float32 arrays in and out, the arithmetic
 * on bfloat16 copies of the operands (float32 accumulation, the result rounded to bfloat16 and
 * widened again), through a one-op TorchScript module ({@code mixed_precision.pt}, written by
 * {@code tools/make_mixed_precision_module.py}). The casts sit inside the module because DJL 0.36
 * cannot make or read bfloat16 arrays; they are ordinary differentiable ops there, so autograd
 * hands float32 gradients to the float32 weights and the rest of the step never sees bfloat16.
 *
 * <p>On a CPU with bfloat16 matrix units (Intel AMX) oneDNN runs these convolutions, forward and
 * backward, about twice as fast as in float32 at batch 64; with AMD's AVX512-BF16 dot products,
 * 1.2-1.4x on the larger layers (docs/notes/speed.md). A layer with fewer than {@link
 * #MIN_CHANNELS} input or output channels (the image-facing ones) gains nothing and stays float32.
 */
public final class MixedPrecision {
  private MixedPrecision() {}

  /**
   * The fewest input and output channels a layer needs to run in bfloat16: oneDNN's AMX kernels
   * work on blocks of 16 channels; measured, a 1- or 3-channel layer was as fast or slower.
   */
  static final int MIN_CHANNELS = 16;

  /** The module's first geometry entry for a transposed convolution (0: an ordinary one). */
  private static final long[] TRANSPOSED = {1};

  private static final class Holder {
    static final PtSymbolBlock MODULE = load();

    private static PtSymbolBlock load() {
      try {
        return TorchScript.load("mixed_precision.pt");
      } catch (IOException | RuntimeException e) {
        return null; // float32 takes over
      }
    }
  }

  /**
   * What {@link Precision#AUTO} means on this machine: {@link Precision#BF16_DECLARED} where
   * bfloat16 is fast on this CPU ({@link #fastBf16}) and the module loads, else {@link
   * Precision#FP32}. Not {@link Precision#BF16}: bfloat16 in the generator costs the default GAN
   * quality per epoch, bfloat16 in the discriminator does not (docs/notes/quality.md).
   */
  public static Precision auto() {
    return fastBf16().isPresent() && Holder.MODULE != null
        ? Precision.BF16_DECLARED
        : Precision.FP32;
  }

  /** {@code precision}, {@link Precision#AUTO} resolved by {@link #auto()}. */
  public static Precision resolve(Precision precision) {
    return precision == Precision.AUTO ? auto() : precision;
  }

  /**
   * One line for the console: the precision a run trains in; for auto, why; for float32 on a CPU
   * where bfloat16 is faster ({@link #fastBf16}), that a faster choice with float32's quality
   * exists (a flag nobody finds helps nobody).
   */
  public static String describe(Precision asked, Precision chosen) {
    return describe(asked, chosen, fastBf16());
  }

  /**
   * As {@link #describe(Precision, Precision)}, with why bfloat16 is fast here (empty: it is not).
   */
  static String describe(Precision asked, Precision chosen, Optional<String> fast) {
    String what =
        switch (chosen) {
          case BF16 -> "precision: bf16 (convolutions in bfloat16, everything else float32)";
          case BF16_DECLARED ->
              "precision: bf16-declared (the discriminator's or encoder's convolutions in"
                  + " bfloat16, everything else float32)";
          default -> "precision: fp32";
        };
    if (asked != Precision.AUTO) {
      return chosen == Precision.FP32 && fast.isPresent()
          ? what
              + " — this CPU has "
              + fast.get()
              + ": --precision bf16-declared trains faster at float32's quality"
          : what;
    }
    return what
        + (chosen == Precision.FP32
            ? " — auto: bfloat16 is not faster on this CPU (it needs AMX, or AVX512-BF16 on AMD)"
            : " — auto: this CPU has " + fast.get() + "; --precision fp32 for float32 throughout");
  }

  /**
   * Why bfloat16 convolutions are faster than float32 ones on this CPU, as /proc/cpuinfo describes
   * it; empty where they are not, or there is no such file. Read once per process: every run a
   * process makes (and every test) resolves {@link Precision#AUTO} and prints the console line.
   */
  static Optional<String> fastBf16() {
    return Cpu.FAST_BF16;
  }

  private static final class Cpu {
    static final Optional<String> FAST_BF16 = readFastBf16();
  }

  private static Optional<String> readFastBf16() {
    try {
      Path info = Path.of("/proc/cpuinfo");
      if (!Files.isReadable(info)) return Optional.empty();
      String vendor = "";
      Set<String> flags = Set.of();
      for (String line : Files.readAllLines(info)) {
        if (vendor.isEmpty() && line.startsWith("vendor_id")) vendor = afterColon(line);
        if (flags.isEmpty() && line.startsWith("flags")) {
          flags = Set.copyOf(Arrays.asList(afterColon(line).split("\\s+")));
        }
      }
      return fastBf16(vendor, flags);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Where oneDNN's bfloat16 convolutions beat float32 (measured, docs/notes/speed.md): with Intel's
   * bfloat16 matrix units (AMX, flag {@code amx_bf16}; 1.1-1.6x per step), and on AMD CPUs with
   * AVX512-BF16 dot products (Zen 4 and later, flag {@code avx512_bf16}; 1.2-1.25x at batch 64,
   * level at 32). Not on an Intel CPU with AVX512-BF16 alone: oneDNN held to those instructions on
   * an AMX CPU was slower than float32.
   */
  static Optional<String> fastBf16(String vendor, Set<String> flags) {
    if (flags.contains("amx_bf16")) return Optional.of("bfloat16 matrix units (AMX)");
    if (vendor.equals("AuthenticAMD") && flags.contains("avx512_bf16")) {
      return Optional.of("bfloat16 dot-product instructions (AMD, AVX512-BF16)");
    }
    return Optional.empty();
  }

  private static String afterColon(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? "" : line.substring(colon + 1).trim();
  }

  /**
   * Whether a layer with {@code in} input and {@code out} output channels on {@code x} runs in
   * bfloat16 under {@code precision}.
   */
  static boolean applies(Precision precision, NDArray x, long in, long out) {
    return precision == Precision.BF16
        && in >= MIN_CHANNELS
        && out >= MIN_CHANNELS
        && x instanceof PtNDArray
        && Holder.MODULE != null;
  }

  /** {@code conv_transpose2d(x, w)} without bias in bfloat16, float32 in and out, recorded. */
  static NDArray convTranspose2d(
      NDArray x, NDArray w, int[] stride, int[] padding, int[] outPad, int[] dilation) {
    NDArray g = TorchScript.geometry(TRANSPOSED, stride, padding, outPad, dilation);
    return TorchScript.call(Holder.MODULE, x, w, g).singletonOrThrow();
  }

  /** {@code conv2d(x, w)} without bias in bfloat16, float32 in and out, recorded. */
  static NDArray conv2d(NDArray x, NDArray w, long[] stride, long[] padding, long[] dilation) {
    NDArray g =
        TorchScript.constant(
            0, stride[0], stride[1], padding[0], padding[1], 0, 0, dilation[0], dilation[1]);
    return TorchScript.call(Holder.MODULE, x, w, g).singletonOrThrow();
  }
}
