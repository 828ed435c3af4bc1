package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.convmirror.options.Precision;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.DeconvNet;

/**
 * The derived half of a conditional model — a generator or a decoder — taking {@code (z, y)}: z (N,
 * latent) latent vectors and y (N) int64 labels. A learned embedding of y is joined to z (the
 * conditional GAN of Mirza &amp; Osindero 2014 with a learned table in place of the one-hot code),
 * the result enters the mirrored layers — as a (latent + embedding)×1×1 map when they start with a
 * transposed convolution — and, with conditional batch norm, every batch norm of those layers takes
 * y as well.
 *
 * <p>The layers are this block's children in the order {@link Networks} builds them, so that they
 * line up one for one with the unconditional network; the embedding (classes, width) is its one
 * direct parameter, drawn from N(0, 1) as {@code torch.nn.Embedding} draws it (see {@link Init}),
 * the scale of the latent it is joined to.
 */
public final class ConditionalGenerator extends AbstractBlock implements LabelTable {
  private static final byte VERSION = 1;

  /** The name of the embedding parameter, which {@link Init} draws from N(0, 1). */
  public static final String EMBEDDING = "embedding";

  private final int classes;
  private final int latent;
  private final int width;
  private final boolean asMap;
  private final Parameter embedding;
  private final List<Block> layers = new ArrayList<>();

  private ConditionalGenerator(
      DeconvNet net, int latent, Conditioning c, ConvKernel kernel, Precision precision) {
    super(VERSION);
    if (c.isAuto()) {
      throw new IllegalArgumentException("the class count must be resolved before building");
    }
    if (net.latent() != latent + c.embedding()) {
      throw new IllegalArgumentException(
          "the network takes "
              + net.latent()
              + " values, not latent "
              + latent
              + " + embedding "
              + c.embedding());
    }
    this.classes = c.classes();
    this.latent = latent;
    this.width = c.embedding();
    this.asMap = net.dense().isEmpty();
    embedding =
        addParameter(Parameter.builder().setName(EMBEDDING).setType(Parameter.Type.OTHER).build());
    for (Block b : Networks.of(net, kernel, precision).getChildren().values()) {
      Block layer = c.batchNorm() && b instanceof BatchNorm ? new ConditionalBatchNorm(classes) : b;
      layers.add(addChildBlock(layer.getClass().getSimpleName(), layer));
    }
    Init.setDcganInitializers(this);
    embedding.setInitializer(Init.embedding());
  }

  /**
   * The derived half {@code net} (its input latent + embedding wide) conditioned by {@code c},
   * uninitialized.
   */
  public static ConditionalGenerator of(DeconvNet net, int latent, Conditioning c) {
    return of(net, latent, c, ConvKernel.DEFAULT);
  }

  /** As above, its transposed convolutions computed by {@code kernel}. */
  public static ConditionalGenerator of(
      DeconvNet net, int latent, Conditioning c, ConvKernel kernel) {
    return of(net, latent, c, kernel, Precision.FP32);
  }

  /** As above, trained in {@code precision} (see {@link MixedPrecision}). */
  public static ConditionalGenerator of(
      DeconvNet net, int latent, Conditioning c, ConvKernel kernel, Precision precision) {
    return new ConditionalGenerator(net, latent, c, kernel, precision);
  }

  public int classes() {
    return classes;
  }

  @Override
  public Parameter table() {
    return embedding;
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    embedding.setShape(new Shape(classes, width));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = joined(inputShapes);
    for (Block b : layers) {
      Shape[] in = b instanceof ConditionalBatchNorm ? withLabels(shapes, inputShapes) : shapes;
      b.initialize(manager, dataType, in);
      shapes = new Shape[] {b.getOutputShapes(in)[0]};
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = joined(inputShapes);
    for (Block b : layers) {
      Shape[] in = b instanceof ConditionalBatchNorm ? withLabels(shapes, inputShapes) : shapes;
      shapes = new Shape[] {b.getOutputShapes(in)[0]};
    }
    return shapes;
  }

  /** (N, latent) and (N) → the first layer's input, (N, latent + width[, 1, 1]). */
  private Shape[] joined(Shape[] inputShapes) {
    long n = inputShapes[0].get(0);
    return new Shape[] {asMap ? new Shape(n, latent + width, 1, 1) : new Shape(n, latent + width)};
  }

  private static Shape[] withLabels(Shape[] x, Shape[] inputShapes) {
    return new Shape[] {x[0], inputShapes[1]};
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException(
          "a conditional generator takes (z, labels), was given " + inputs.size() + " arrays");
    }
    NDArray out =
        run(
            store,
            inputs.get(0),
            inputs.get(1),
            training,
            (b, x) -> b.forward(store, new NDList(x), training).singletonOrThrow());
    return new NDList(out);
  }

  /**
   * The forward pass with every unconditional layer run by {@code layer} (standing statistics pass
   * one that leaves dropout out); conditional batch norms are given the labels.
   */
  public NDArray run(
      ParameterStore store,
      NDArray z,
      NDArray labels,
      boolean training,
      BiFunction<Block, NDArray, NDArray> layer) {
    if (z.getShape().dimension() != 2 || z.getShape().get(1) != latent) {
      throw new IllegalArgumentException(
          "latent vectors must be (N, " + latent + "), were " + z.getShape());
    }
    NDArray x = join(store, z, labels, training);
    for (Block b : layers) {
      x =
          b instanceof ConditionalBatchNorm
              ? b.forward(store, new NDList(x, labels), training).singletonOrThrow()
              : layer.apply(b, x);
    }
    return x;
  }

  /** z ⧺ embed(y), shaped for the first layer. */
  private NDArray join(ParameterStore store, NDArray z, NDArray labels, boolean training) {
    NDArray table = store.getValue(embedding, z.getDevice(), training);
    NDManager home = z.getManager();
    try (NDManager sub = home.newSubManager()) {
      table.tempAttach(sub);
      NDArray joined = NDArrays.concat(new NDList(z, Labels.rows(table, labels)), 1);
      if (asMap) joined = joined.reshape(joined.getShape().get(0), latent + width, 1, 1);
      joined.attach(home);
      return joined;
    }
  }
}
