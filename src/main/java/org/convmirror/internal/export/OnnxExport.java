package org.convmirror.internal.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.Pair;

/**
 * Writes an {@link ExportedNetwork} as an ONNX model (opset 17, IR 8) with a dynamic batch
 * dimension: transposed convolutions with explicit {@code pads} and {@code output_padding} (never
 * {@code auto_pad} or {@code output_shape}), Gemm, Reshape, inference-form BatchNormalization,
 * nearest Resize for undone pooling, activations, and the output mapping into [0, 1]. A spectrally
 * normalised weight is written as the W/σ that inference uses.
 */
public final class OnnxExport {
  private OnnxExport() {}

  /** The input and output names, as documented for users. */
  public static final String LATENT = "z";

  public static final String IMAGE = "image";

  /** A conditional network's second input: (N) int64 class labels. */
  public static final String LABEL = "label";

  /** Writes {@code net} to {@code file}. */
  public static void write(ExportedNetwork net, Path file) throws IOException {
    AtomicFiles.write(file, model(net).toByteArray());
  }

  /** The ONNX model of {@code net}. */
  public static ModelProto model(ExportedNetwork net) {
    OnnxGraph g = new OnnxGraph(net.network().cliName());
    ImageShape image = net.image();
    List<Part> parts = net.parts();
    Part layers = net.layers();
    if (net.network().isDerived()) {
      String x = g.input(LATENT, TensorProto.DataType.FLOAT, OnnxGraph.BATCH, (long) net.latent());
      long width = net.latent();
      if (net.conditional()) {
        // z ⧺ embedding[label], as the conditional generator joins them.
        String label = OnnxConditional.label(g);
        String embedded = OnnxConditional.rows(g, net, parts.get(0), label);
        x = g.node("Concat", new String[] {x, embedded}, OnnxConditional.axis(1));
        width += net.spec().conditioning().embedding();
      }
      if (net.latentAsMap()) {
        x = g.node("Reshape", new String[] {x, g.int64s("latent_map", -1, width, 1, 1)});
      }
      x = new Emitter(g, net, layers).emit(x);
      pixels(g, net, x);
    } else {
      String x =
          g.input(
              IMAGE,
              TensorProto.DataType.FLOAT,
              OnnxGraph.BATCH,
              (long) image.channels(),
              (long) image.height(),
              (long) image.width());
      String label = net.conditional() ? OnnxConditional.label(g) : null;
      // Training sees pixels in [-1, 1]; the exported network takes [0, 1] like everything else.
      x = g.node("Sub", new String[] {g.node("Mul", new String[] {x, g.scalar(2)}), g.scalar(1)});
      if (net.network() == Network.DISCRIMINATOR) {
        long k = net.spec().declared().outputSize();
        x =
            label == null
                ? new Emitter(g, net, layers).emit(x)
                : OnnxConditional.projection(g, net, x, label);
        g.output(x, "logit", OnnxGraph.BATCH, k);
      } else {
        x = new Emitter(g, net, parts.get(0)).emit(x);
        if (label != null) x = OnnxConditional.withOneHot(g, net, x, label);
        for (Part head : parts.subList(1, parts.size())) {
          String out = new Emitter(g, net, head).emit(x, head.name());
          g.output(out, head.name(), OnnxGraph.BATCH, (long) net.latent());
        }
      }
    }
    String doc =
        net.network().cliName() + ": " + net.inputSignature() + " -> " + net.outputSignature();
    return g.model(doc, net.metadata().getOrDefault("convmirror_version", "dev"), net.metadata());
  }

  /** The derived half's output mapped into [0, 1], as {@code convmirror sample} maps it. */
  private static void pixels(OnnxGraph g, ExportedNetwork net, String x) {
    ImageShape image = net.image();
    Object[] dims = {
      OnnxGraph.BATCH, (long) image.channels(), (long) image.height(), (long) image.width()
    };
    if (net.network() == Network.DECODER && net.spec().likelihood() == Likelihood.BERNOULLI) {
      g.output(g.node("Sigmoid", IMAGE, new String[] {x}), IMAGE, dims);
      return;
    }
    if (net.network() == Network.GENERATOR) {
      // tanh's [-1, 1] to [0, 1]: (x + 1) / 2, the halving exact in float, then clamped.
      x =
          g.node(
              "Mul", new String[] {g.node("Add", new String[] {x, g.scalar(1)}), g.scalar(0.5f)});
    }
    g.output(g.node("Clip", IMAGE, new String[] {x, g.scalar(0), g.scalar(1)}), IMAGE, dims);
  }

  /** Emits one part's layers as nodes, naming initializers after their state_dict keys. */
  record Emitter(OnnxGraph g, ExportedNetwork net, Part part) {

    String emit(String x) {
      return emit(x, null);
    }

    /** Emits every layer; the last node's output is called {@code output} when given. */
    String emit(String x, String output) {
      x = emit(x, 0, part.layers().size());
      if (output != null) {
        x = g.node("Identity", output, new String[] {x});
      }
      return x;
    }

    /** Emits layers {@code from} to {@code to - 1}. */
    String emit(String x, int from, int to) {
      for (int i = from; i < to; i++) x = layer(i, part.layers().get(i), x);
      return x;
    }

    private String layer(int i, Layer layer, String x) {
      if (layer instanceof Layer.Conv c) {
        return g.node(
            "Conv",
            withBias(i, x, weight(i, c.spectralNorm()), c.bias()),
            OnnxGraph.ints("kernel_shape", c.kernel().height(), c.kernel().width()),
            OnnxGraph.ints("strides", c.stride().height(), c.stride().width()),
            OnnxGraph.ints("pads", pads(c.padding())),
            OnnxGraph.ints("dilations", c.dilation().height(), c.dilation().width()));
      }
      if (layer instanceof Layer.ConvTranspose c) {
        return g.node(
            "ConvTranspose",
            withBias(i, x, weight(i, false), c.bias()),
            OnnxGraph.ints("kernel_shape", c.kernel().height(), c.kernel().width()),
            OnnxGraph.ints("strides", c.stride().height(), c.stride().width()),
            OnnxGraph.ints("pads", pads(c.padding())),
            OnnxGraph.ints("output_padding", c.outputPadding().height(), c.outputPadding().width()),
            OnnxGraph.ints("dilations", c.dilation().height(), c.dilation().width()));
      }
      if (layer instanceof Layer.Dense d) {
        // Y = X·Wᵀ + b with W (out, in), PyTorch's and DJL's layout.
        return g.node(
            "Gemm",
            withBias(i, x, weight(i, d.spectralNorm()), d.bias()),
            OnnxGraph.integer("transB", 1));
      }
      if (layer instanceof Layer.BatchNorm) {
        return g.node(
            "BatchNormalization",
            new String[] {
              x,
              tensor(i, "weight"),
              tensor(i, "bias"),
              tensor(i, "running_mean"),
              tensor(i, "running_var")
            },
            OnnxGraph.real("epsilon", Layer.BatchNorm.EPSILON));
      }
      if (layer instanceof Layer.ConditionalBatchNorm c) return conditionalBatchNorm(i, c, x);
      if (layer instanceof Layer.Act a) return activation(a.activation(), x);
      if (layer instanceof Layer.MaxPool p) {
        return g.node(
            "MaxPool",
            new String[] {x},
            OnnxGraph.ints("kernel_shape", p.kernel().height(), p.kernel().width()),
            OnnxGraph.ints("strides", p.stride().height(), p.stride().width()));
      }
      if (layer instanceof Layer.Upsample u) return NearestResize.emit(g, x, u, part.key(i, ""));
      if (layer instanceof Layer.Flatten) {
        return g.node("Flatten", new String[] {x}, OnnxGraph.integer("axis", 1));
      }
      if (layer instanceof Layer.Unflatten u) {
        ImageShape s = u.shape();
        return g.node(
            "Reshape",
            new String[] {
              x, g.int64s(part.key(i, "shape"), -1, s.channels(), s.height(), s.width())
            });
      }
      if (layer instanceof Layer.Dropout) return x; // the identity in inference
      throw new IllegalStateException("no ONNX form for " + layer);
    }

    /**
     * Normalised by the shared running statistics (scale 1, shift 0), then γ[label] and β[label]
     * broadcast over the spatial axes.
     */
    private String conditionalBatchNorm(int i, Layer.ConditionalBatchNorm c, String x) {
      long[] features = {c.features()};
      float[] ones = new float[c.features()];
      java.util.Arrays.fill(ones, 1f);
      String normalised =
          g.node(
              "BatchNormalization",
              new String[] {
                x,
                g.constant(part.key(i, "norm.weight"), features, ones),
                g.constant(part.key(i, "norm.bias"), features, new float[c.features()]),
                tensor(i, "norm.running_mean"),
                tensor(i, "norm.running_var")
              },
              OnnxGraph.real("epsilon", Layer.BatchNorm.EPSILON));
      String label = LABEL;
      String shape =
          c.spatial()
              ? g.int64s(part.key(i, "per_image"), -1, c.features(), 1, 1)
              : g.int64s(part.key(i, "per_image"), -1, c.features());
      String scale = perImage(tensor(i, "weight"), label, shape);
      String shift = perImage(tensor(i, "bias"), label, shape);
      return g.node("Add", new String[] {g.node("Mul", new String[] {normalised, scale}), shift});
    }

    private String perImage(String table, String label, String shape) {
      String rows = g.node("Gather", new String[] {table, label}, OnnxConditional.axis(0));
      return g.node("Reshape", new String[] {rows, shape});
    }

    private String activation(Activation a, String x) {
      return switch (a.kind()) {
        case NONE -> x;
        case RELU -> g.node("Relu", new String[] {x});
        case LEAKY_RELU ->
            g.node("LeakyRelu", new String[] {x}, OnnxGraph.real("alpha", (float) a.slope()));
        case ELU -> g.node("Elu", new String[] {x}, OnnxGraph.real("alpha", 1f));
        case GELU -> {
          // Gelu is an operator from opset 20 only: x·½·(1 + erf(x/√2)), PyTorch's exact form.
          String erf =
              g.node("Erf", new String[] {g.node("Mul", new String[] {x, g.scalar(SQRT1_2)})});
          String half = g.node("Mul", new String[] {x, g.scalar(0.5f)});
          yield g.node("Mul", new String[] {half, g.node("Add", new String[] {erf, g.scalar(1)})});
        }
        case TANH -> g.node("Tanh", new String[] {x});
        case SIGMOID -> g.node("Sigmoid", new String[] {x});
      };
    }

    private static final float SQRT1_2 = (float) (1 / Math.sqrt(2));

    private String[] withBias(int i, String x, String w, boolean bias) {
      return bias ? new String[] {x, w, tensor(i, "bias")} : new String[] {x, w};
    }

    private String weight(int i, boolean spectralNorm) {
      if (!spectralNorm) return tensor(i, "weight");
      Tensor w = net.weights().get(part.key(i, "weight_orig"));
      float[] normalised =
          SpectralNorm.divide(
              w,
              net.weights().get(part.key(i, "weight_u")),
              net.weights().get(part.key(i, "weight_v")));
      return g.constant(part.key(i, "weight"), w.shape(), normalised);
    }

    private String tensor(int i, String param) {
      String key = part.key(i, param);
      Tensor t = net.weights().get(key);
      return g.constant(key, t.shape(), t.floats());
    }

    private static long[] pads(Pair p) {
      return new long[] {p.height(), p.width(), p.height(), p.width()};
    }
  }
}
