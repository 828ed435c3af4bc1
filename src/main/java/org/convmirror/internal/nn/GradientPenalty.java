package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Penalties on the gradient of a critic with respect to its input, by double backward: WGAN-GP
 * (Gulrajani, Ahmed, Arjovsky, Dumoulin &amp; Courville 2017, "Improved Training of Wasserstein
 * GANs", arXiv:1704.00028) and R1 (Mescheder, Geiger &amp; Nowozin 2018, "Which Training Methods
 * for GANs do actually Converge?", arXiv:1801.04406).
 *
 * <p>A penalty is an ordinary differentiable scalar: inside the discriminator step's one {@code
 * GradientCollector}, {@code gc.backward(advLoss.add(penalty))} puts its gradient on the critic's
 * parameters. The input gradient comes from {@code torch.autograd.grad(..., create_graph=True)} in
 * a one-op TorchScript module ({@code input_gradient.pt}, {@code
 * tools/make_input_gradient_module.py}): it reaches only the requested input, so it leaves nothing
 * on the critic's {@code .grad} and ties no reference cycle between a parameter and its gradient,
 * as {@code Tensor.backward(create_graph=True)} would. The penalised input is always a fresh leaf
 * detached from the given arrays, so no gradient reaches the real batch or the generator.
 *
 * <p>Each penalty runs the critic once more in training mode: batch norm uses (and its running
 * statistics see) the penalised batch, and spectral norm advances its power iteration once more, as
 * the same code does in PyTorch.
 */
public final class GradientPenalty {
  private GradientPenalty() {}

  /** The penalty (a scalar) and the critic's output on the penalised input. */
  public record Result(NDArray penalty, NDArray output) {}

  private static final class Holder {
    static final PtSymbolBlock MODULE = load();

    private static PtSymbolBlock load() {
      try {
        return TorchScript.load("input_gradient.pt");
      } catch (IOException e) {
        throw new UncheckedIOException("gradient penalties need input_gradient.pt", e);
      }
    }
  }

  /** A critic as a function: {@code block}'s training-mode forward. */
  public static UnaryOperator<NDArray> critic(Block block, ParameterStore store) {
    return x -> block.forward(store, new NDList(x), true).singletonOrThrow();
  }

  /**
   * ∇ₓ Σ out, shaped like {@code x} and recorded, so that a later backward differentiates it.
   * {@code x} must require gradients and {@code out} must have been computed from it while
   * recording.
   */
  public static NDArray inputGradient(NDArray out, NDArray x) {
    if (!JniUtils.isGradMode()) {
      throw new IllegalStateException(
          "a gradient penalty needs autograd recording: compute it inside a GradientCollector");
    }
    return TorchScript.call(Holder.MODULE, out, x).singletonOrThrow();
  }

  /**
   * WGAN-GP: λ·mean_i (‖∇D(x̂ᵢ)‖₂ − 1)² at x̂ᵢ = εᵢ·xᵢ + (1 − εᵢ)·x̃ᵢ.
   *
   * @param real a batch of real images (N, ...)
   * @param fake a batch of generated images of the same shape; its graph is not followed
   * @param epsilon N draws from U[0, 1], one per image (drawn by the caller, e.g. with {@link
   *     Seeds})
   * @param lambda the penalty's weight, 10 in the paper
   */
  public static Result wganGp(
      UnaryOperator<NDArray> critic, NDArray real, NDArray fake, float[] epsilon, float lambda) {
    Shape shape = real.getShape();
    if (!shape.equals(fake.getShape())) {
      throw new IllegalArgumentException(
          "WGAN-GP: real " + shape + " and fake " + fake.getShape() + " batches differ in shape");
    }
    long n = shape.get(0);
    if (epsilon.length != n) {
      throw new IllegalArgumentException(
          "WGAN-GP: " + epsilon.length + " interpolation weights for a batch of " + n);
    }
    for (float e : epsilon) {
      if (!(e >= 0 && e <= 1)) {
        throw new IllegalArgumentException("WGAN-GP: interpolation weight " + e + " not in [0, 1]");
      }
    }
    NDManager home = real.getManager();
    try (NDManager tmp = home.newSubManager()) {
      tmp.tempAttachAll(real, fake);
      long[] perImage = new long[shape.dimension()];
      Arrays.fill(perImage, 1);
      perImage[0] = n; // (N, 1, 1, 1): one weight per image
      NDArray e = tmp.create(epsilon, new Shape(perImage)).toType(real.getDataType(), false);
      NDArray mixed = e.mul(real).add(e.neg().add(1).mul(fake));
      return keep(home, penalise(critic, mixed, true, lambda));
    }
  }

  /**
   * R1: γ/2·mean_i ‖∇D(xᵢ)‖₂² on real images. The result's output is D(x) itself, so an objective
   * that penalises every step can reuse it for its adversarial loss.
   *
   * @param gamma the penalty's weight; with lazy regularisation pass {@link
   *     LazyRegularisation#weight(float)}
   */
  public static Result r1(UnaryOperator<NDArray> critic, NDArray real, float gamma) {
    NDManager home = real.getManager();
    try (NDManager tmp = home.newSubManager()) {
      real.tempAttach(tmp);
      return keep(home, penalise(critic, real, false, gamma / 2));
    }
  }

  /** weight·mean_i (‖gᵢ‖ − 1)² when {@code unitNorm}, else weight·mean_i ‖gᵢ‖². */
  private static Result penalise(
      UnaryOperator<NDArray> critic, NDArray input, boolean unitNorm, float weight) {
    NDArray leaf = input.stopGradient(); // a new leaf sharing input's memory, never input itself
    leaf.setRequiresGradient(true);
    NDArray out = critic.apply(leaf);
    NDArray g = inputGradient(out, leaf).reshape(leaf.getShape().get(0), -1);
    NDArray perImage =
        unitNorm ? g.norm(2, new int[] {1}, false).sub(1).square() : g.square().sum(new int[] {1});
    return new Result(perImage.mean().mul(Owned.scalar(perImage, weight)), out);
  }

  private static Result keep(NDManager home, Result r) {
    r.penalty().attach(home);
    r.output().attach(home);
    return r;
  }
}
