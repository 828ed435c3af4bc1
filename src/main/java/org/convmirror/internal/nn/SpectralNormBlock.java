package org.convmirror.internal.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A layer whose weight is divided by its spectral norm, estimated by one power-iteration step per
 * training forward (Miyato, Kataoka, Koyama &amp; Yoshida 2018, "Spectral Normalization for
 * Generative Adversarial Networks", arXiv:1802.05957), with the semantics of PyTorch's {@code
 * torch.nn.utils.spectral_norm}.
 *
 * <p>Why own layers ({@link SnConv2d}, {@link SnLinear}) instead of a wrapper around DJL's {@code
 * Conv2d}/{@code Linear}: those fetch their weight from the parameter store inside their forward,
 * so a wrapper could only swap in W/&sigma; by subclassing {@code ParameterStore}; owning the
 * weight and calling DJL's functional {@code conv2d}/{@code linear} is plainer and version-proof.
 *
 * <p>The weight, viewed as the matrix W of shape (out, in&middot;kH&middot;kW), is used as
 * W/&sigma; with &sigma; = u&#7488;Wv; the gradient flows through W only (u, v are constants). The
 * vectors u (out) and v (in&middot;kH&middot;kW) are non-trainable parameters of type {@code
 * RUNNING_MEAN}, the pattern DJL's {@code BatchNorm} uses for running statistics, so {@code
 * saveParameters} and {@code Model.save} persist them and optimizers skip them. PyTorch stores v as
 * well, which makes inference (no update, stored u and v) reproduce training exactly.
 */
public abstract class SpectralNormBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  /** Guards the normalisation of a zero vector, as PyTorch's {@code F.normalize} does. */
  private static final float EPS = 1e-12f;

  /** A random unit vector: the power iteration's start. */
  private static final Initializer UNIT_GAUSSIAN =
      (manager, shape, dataType) -> {
        try (NDManager sub = manager.newSubManager()) {
          NDArray r = sub.randomNormal(0f, 1f, shape, dataType, manager.getDevice());
          NDArray unit = r.div(r.square().sum().sqrt());
          unit.attach(manager);
          return unit;
        }
      };

  protected final Parameter weight;
  protected final Parameter bias;
  private final Parameter u;
  private final Parameter v;

  protected SpectralNormBlock(boolean includeBias) {
    super(VERSION);
    weight =
        addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    bias =
        includeBias
            ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
            : null;
    u = addParameter(state("u"));
    v = addParameter(state("v"));
  }

  private static Parameter state(String name) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.RUNNING_MEAN)
        .optInitializer(UNIT_GAUSSIAN)
        .optRequiresGrad(false)
        .build();
  }

  /** Whether {@code p} is one of the power iteration's vectors u, v (not a running statistic). */
  static boolean isPowerIterationVector(Parameter p) {
    return p.getType() == Parameter.Type.RUNNING_MEAN
        && (p.getName().equals("u") || p.getName().equals("v"));
  }

  /** The weight's shape, (out, ...), for the given input shape. */
  protected abstract Shape weightShape(Shape inputShape);

  /** The layer's operation with the already normalised weight; b may be null. */
  protected abstract NDArray apply(NDArray x, NDArray normalisedWeight, NDArray b);

  @Override
  public void prepare(Shape[] inputShapes) {
    Shape w = weightShape(inputShapes[0]);
    weight.setShape(w);
    if (bias != null) {
      bias.setShape(new Shape(w.get(0)));
    }
    u.setShape(new Shape(w.get(0)));
    v.setShape(new Shape(w.size() / w.get(0)));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Device device = x.getDevice();
    NDArray w = store.getValue(weight, device, training);
    NDArray b = bias == null ? null : store.getValue(bias, device, training);
    NDArray uArr = store.getValue(u, device, training);
    NDArray vArr = store.getValue(v, device, training);
    NDManager home = x.getManager();
    // Temporaries (W as a matrix, the iteration, sigma) must not land in the model's manager.
    try (NDManager sub = home.newSubManager()) {
      sub.tempAttachAll(x, w, uArr, vArr);
      if (b != null) {
        b.tempAttach(sub);
      }
      NDArray y = apply(x, normalise(w, uArr, vArr, training), b);
      y.attach(home);
      return new NDList(y);
    }
  }

  /**
   * Returns W/&sigma;; in training first advances u and v by one power-iteration step, without
   * gradient, replacing the stored arrays' contents.
   */
  static NDArray normalise(NDArray w, NDArray u, NDArray v, boolean training) {
    NDArray matrix = w.reshape(w.getShape().get(0), -1); // (out, in*kH*kW)
    NDArray uNow;
    NDArray vNow;
    if (training) {
      NDArray constant = matrix.stopGradient();
      vNow = unit(constant.transpose().matMul(u)); // (in*kH*kW)
      uNow = unit(constant.matMul(vNow)); // (out)
      // intern swaps in a fresh tensor rather than writing in place: a graph built by an
      // earlier forward (e.g. D on real, then on fake, one backward) may still need the old u.
      u.intern(uNow.duplicate());
      v.intern(vNow.duplicate());
    } else {
      uNow = u.duplicate();
      vNow = v.duplicate();
    }
    NDArray sigma = uNow.mul(matrix.matMul(vNow)).sum(); // u^T W v, differentiable in W
    return w.div(sigma);
  }

  private static NDArray unit(NDArray x) {
    return x.div(x.square().sum().sqrt().maximum(EPS));
  }
}
