package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.convmirror.spec.Activation;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.DenseBlock;

/**
 * A derived half (generator, decoder) in inference mode as ONE engine call per batch: the layers as
 * a program for a generic TorchScript interpreter shipped in the jar ({@code inference.pt}, written
 * by {@code tools/make_inference_module.py}), with each batch norm folded into the layer before it.
 *
 * <p>Why: through DJL a forward pass is a dozen or more engine calls (each a JNI round trip and a
 * tensor handle), which at batch 1 cost more than the arithmetic. The weights are read when this is
 * made ({@link #of}); a caller that changes them afterwards (training) makes a new one. {@code
 * -Dconvmirror.native_sampling=false} turns it off (then {@link #of} returns null and the caller's
 * op-by-op forward pass runs), for same-run comparisons; so does an engine that cannot load the
 * module, or a layer the interpreter does not know (spectral-norm dense layers).
 */
public final class NativeInference implements AutoCloseable {
  /** The system property that turns the native path off when {@code false}. */
  public static final String PROPERTY = "convmirror.native_sampling";

  /** What the interpreter does to the network's output (opcode 9's operand, or nothing). */
  public enum Output {
    /** The network's own output (a generator's tanh range). */
    RAW(-1),
    /** Tanh's [-1, 1] mapped to pixels: (x + 1) / 2 clamped to [0, 1]. */
    TANH_TO_UNIT(0),
    /** Logits to Bernoulli means. */
    SIGMOID(1),
    /** Gaussian means clamped to [0, 1]. */
    CLIP_UNIT(2);

    private final int code;

    Output(int code) {
      this.code = code;
    }
  }

  private static final class Holder {
    static final PtSymbolBlock MODULE = load();

    private static PtSymbolBlock load() {
      try {
        return TorchScript.load("inference.pt");
      } catch (java.io.IOException | RuntimeException e) {
        return null; // the op-by-op forward pass takes over
      }
    }
  }

  private final NDManager manager;
  private final IValue program;
  private final IValue weights;
  private final PtNDArray noLabels;

  private NativeInference(NDManager manager, IValue program, IValue weights, PtNDArray noLabels) {
    this.manager = manager;
    this.program = program;
    this.weights = weights;
    this.noLabels = noLabels;
  }

  /** Whether the native path is allowed (the property) and its module loads. */
  public static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty(PROPERTY)) && Holder.MODULE != null;
  }

  /**
   * {@code derived}, built by {@link ModelNetworks#derived} from {@code net}, as one native call
   * with its current weights and running statistics; null when {@link #enabled()} is false or the
   * network has a layer the interpreter does not run. Its arrays live in a sub-manager of {@code
   * parent}, freed by {@link #close()}.
   */
  public static NativeInference of(Block derived, DeconvNet net, Output output, NDManager parent) {
    if (!enabled()) return null;
    Program p = new Program();
    try {
      p.network(derived, net);
    } catch (UnsupportedOperationException e) {
      return null;
    }
    if (output != Output.RAW) p.op(9, output.code);
    PtNDManager m = (PtNDManager) parent.newSubManager();
    try (IValue prog = IValue.listFrom(p.codes());
        IValue w = IValue.listFrom(p.weights.toArray(new PtNDArray[0]));
        IValue folded = IValueUtils.runMethod(Holder.MODULE, "fold", prog, w)) {
      IValue[] pair = folded.toIValueTuple();
      try {
        double[] codes = pair[0].toDoubleArray();
        PtNDArray[] tensors = pair[1].toTensorArray(m);
        PtNDArray none = (PtNDArray) m.create(new long[0], new Shape(0));
        return new NativeInference(m, IValue.listFrom(codes), IValue.listFrom(tensors), none);
      } finally {
        for (IValue v : pair) v.close();
      }
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * The network's output for {@code inputs} (latent vectors as the network takes them, then labels
   * when conditional), in the first input's manager.
   */
  public NDArray run(NDList inputs) {
    PtNDArray z = (PtNDArray) inputs.get(0);
    PtNDArray y = inputs.size() > 1 ? (PtNDArray) inputs.get(1) : noLabels;
    if (y.getDataType() != DataType.INT64) {
      throw new IllegalArgumentException("labels must be int64, were " + y.getDataType());
    }
    try (IValue zi = IValue.from(z);
        IValue yi = IValue.from(y);
        IValue out = IValueUtils.runMethod(Holder.MODULE, "run", zi, yi, program, weights)) {
      return out.toTensor((PtNDManager) z.getManager());
    }
  }

  /** As {@link #run}, read into the JVM. */
  public float[] pixels(NDList inputs) {
    NDArray out = run(inputs);
    try {
      return out.toFloatArray();
    } finally {
      out.close();
    }
  }

  @Override
  public void close() {
    program.close();
    weights.close();
    manager.close();
  }

  /** The interpreter's program and the weights it names, built in the order of {@link Networks}. */
  private static final class Program {
    final List<Double> codes = new ArrayList<>();
    final List<PtNDArray> weights = new ArrayList<>();

    void op(double... values) {
      for (double v : values) codes.add(v);
    }

    double[] codes() {
      return codes.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The index of {@code p}'s array in the weight list (added now), -1 for no parameter. */
    int weight(Parameter p) {
      if (p == null) return -1;
      weights.add((PtNDArray) p.getArray());
      return weights.size() - 1;
    }

    void network(Block block, DeconvNet net) {
      Iterator<Block> layers = block.getChildren().values().iterator();
      if (block instanceof ConditionalGenerator g) {
        Parameter table = g.getDirectParameters().get(ConditionalGenerator.EMBEDDING);
        op(8, weight(table), net.dense().isEmpty() ? 1 : 0);
      } else if (!(block instanceof SequentialBlock)) {
        throw new UnsupportedOperationException(block.getClass().getName());
      }
      for (DenseBlock d : net.dense()) {
        if (d.spectralNorm()) throw new UnsupportedOperationException("spectral-norm dense layer");
        Linear linear = next(layers, Linear.class);
        op(1, weight(param(linear, "weight")), weight(param(linear, "bias")));
        tail(layers, d.batchNorm(), d.activation(), d.dropout());
      }
      if (net.reshape() != null) {
        next(layers, LambdaBlock.class);
        op(6, net.reshape().channels(), net.reshape().height(), net.reshape().width());
      }
      for (DeconvBlock b : net.deconv()) {
        if (b.upsample() != null) {
          next(layers, NearestUpsample.class);
          op(7, b.upsample().height(), b.upsample().width());
        }
        ConvTranspose2d c = next(layers, ConvTranspose2d.class);
        op(2, weight(param(c, "weight")), weight(param(c, "bias")));
        op(b.stride().height(), b.stride().width(), b.padding().height(), b.padding().width());
        op(b.outputPadding().height(), b.outputPadding().width());
        op(b.dilation().height(), b.dilation().width());
        tail(layers, b.batchNorm(), b.activation(), b.dropout());
      }
      if (layers.hasNext()) {
        throw new IllegalStateException("the network has layers its spec does not name");
      }
    }

    /** [batch norm] → activation → [dropout, a no-op in inference]. */
    private void tail(Iterator<Block> layers, boolean batchNorm, Activation a, double dropout) {
      if (batchNorm) {
        Block bn = next(layers, Block.class);
        if (bn instanceof ConditionalBatchNorm cbn) {
          batchNorm(cbn.getChildren().values().get(0));
          op(4, weight(param(cbn, "gamma")), weight(param(cbn, "beta")));
        } else if (bn instanceof BatchNorm) {
          batchNorm(bn);
        } else {
          throw new IllegalStateException("expected a batch norm, found " + bn.getClass());
        }
      }
      if (a.kind() != Activation.Kind.NONE) {
        next(layers, LambdaBlock.class);
        op(5, activation(a.kind()), a.slope());
      }
      if (dropout > 0) next(layers, Dropout.class);
    }

    /** A batch norm with its γ and β, as DJL applies them even when they are frozen at 1 and 0. */
    private void batchNorm(Block bn) {
      op(3, weight(typed(bn, Parameter.Type.RUNNING_MEAN)));
      op(weight(typed(bn, Parameter.Type.RUNNING_VAR)), weight(typed(bn, Parameter.Type.GAMMA)));
      op(weight(typed(bn, Parameter.Type.BETA)), Networks.BATCH_NORM_EPSILON);
    }

    private static int activation(Activation.Kind kind) {
      return switch (kind) {
        case RELU -> 0;
        case LEAKY_RELU -> 1;
        case ELU -> 2;
        case GELU -> 3;
        case TANH -> 4;
        case SIGMOID -> 5;
        case NONE -> throw new IllegalArgumentException("no activation");
      };
    }

    private static <T> T next(Iterator<Block> layers, Class<T> type) {
      Block b = layers.hasNext() ? layers.next() : null;
      if (!type.isInstance(b)) {
        throw new IllegalStateException(
            "the network's layers do not follow its spec: expected "
                + type.getSimpleName()
                + ", found "
                + (b == null ? "nothing" : b.getClass().getSimpleName()));
      }
      return type.cast(b);
    }

    private static Parameter param(Block b, String name) {
      return b.getDirectParameters().contains(name) ? b.getDirectParameters().get(name) : null;
    }

    private static Parameter typed(Block b, Parameter.Type type) {
      for (Parameter p : b.getDirectParameters().values()) {
        if (p.getType() == type) return p;
      }
      throw new IllegalStateException("a batch norm without its " + type);
    }
  }
}
