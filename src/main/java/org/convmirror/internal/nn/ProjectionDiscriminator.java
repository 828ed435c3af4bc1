package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convmirror.options.Precision;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DenseBlock;

/**
 * A projection discriminator (Miyato &amp; Koyama 2018, "cGANs with Projection Discriminator",
 * arXiv:1802.05637): D(x, y) = ψ(φ(x)) + ⟨V[y], φ(x)⟩, where ψ is the declared network's head (its
 * last layer), φ(x) the features that enter the head — sum-pooled over height and width when they
 * are a feature map, as in the paper's ResNet discriminators — and V a learned (classes, features)
 * table. Takes {@code (x, y)}: images (N, C, H, W) and (N) int64 labels; the projection is added to
 * every output of the head (one per image in the DCGAN case).
 *
 * <p>The declared layers are this block's children exactly as {@link Networks} builds them, so the
 * conv stack — and the mirror derived from it — is the declared one; V is the one extra parameter,
 * a {@code WEIGHT} drawn from N(0, 0.02) like every other weight of the discriminator.
 */
public final class ProjectionDiscriminator extends AbstractBlock implements LabelTable {
  private static final byte VERSION = 1;

  /** The name of the projection table V. */
  public static final String EMBEDDING = "embedding";

  private final int classes;
  private final int features;
  private final int head;
  private final Parameter embedding;
  private final List<Block> layers = new ArrayList<>();

  private ProjectionDiscriminator(ConvNet net, int classes, int features, Precision precision) {
    super(VERSION);
    this.classes = classes;
    this.features = features;
    this.head = headIndex(net);
    embedding =
        addParameter(Parameter.builder().setName(EMBEDDING).setType(Parameter.Type.WEIGHT).build());
    for (Block b : Networks.of(net, precision).getChildren().values()) {
      layers.add(addChildBlock(b.getClass().getSimpleName(), b));
    }
    if (head >= layers.size()) throw new IllegalStateException("no head layer at " + head);
    Init.setDcganInitializers(this);
  }

  /**
   * The declared discriminator {@code net} with a projection over {@code classes} classes; {@code
   * features} is φ's width ({@code ModelPlans.projectionFeatures}).
   */
  public static ProjectionDiscriminator of(ConvNet net, int classes, int features) {
    return of(net, classes, features, Precision.FP32);
  }

  /** As above, trained in {@code precision} (see {@link MixedPrecision}). */
  public static ProjectionDiscriminator of(
      ConvNet net, int classes, int features, Precision precision) {
    if (classes < 1) throw new IllegalArgumentException("classes must be ≥ 1, was " + classes);
    return new ProjectionDiscriminator(net, classes, features, precision);
  }

  /**
   * The index of the head's first child among the blocks {@link Networks#of(ConvNet)} builds: conv
   * → [batch norm] → [activation] → [max-pool] → [dropout] per conv block, one flatten, then linear
   * → [batch norm] → [activation] → [dropout] per dense block; the head is the last block.
   */
  static int headIndex(ConvNet net) {
    int index = 0;
    int lastConv = 0;
    for (ConvBlock b : net.conv()) {
      lastConv = index;
      index +=
          1
              + (b.batchNorm() ? 1 : 0)
              + (b.activation().kind() == Activation.Kind.NONE ? 0 : 1)
              + (b.maxPool() != null ? 1 : 0)
              + (b.dropout() > 0 ? 1 : 0);
    }
    if (net.dense().isEmpty()) return lastConv;
    index++; // the flatten
    int lastDense = index;
    for (DenseBlock d : net.dense()) {
      lastDense = index;
      index +=
          1
              + (d.batchNorm() ? 1 : 0)
              + (d.activation().kind() == Activation.Kind.NONE ? 0 : 1)
              + (d.dropout() > 0 ? 1 : 0);
    }
    return lastDense;
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
    embedding.setShape(new Shape(classes, features));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = {inputShapes[0]};
    for (int i = 0; i < layers.size(); i++) {
      Block b = layers.get(i);
      if (i == head) checkFeatures(shapes[0]);
      b.initialize(manager, dataType, shapes);
      shapes = b.getOutputShapes(shapes);
    }
  }

  private void checkFeatures(Shape phi) {
    if (phi.get(1) != features) {
      throw new IllegalStateException(
          "the head receives " + phi + ", whose " + phi.get(1) + " features are not " + features);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = {inputShapes[0]};
    for (Block b : layers) shapes = b.getOutputShapes(shapes);
    return shapes;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException(
          "a projection discriminator takes (images, labels), was given "
              + inputs.size()
              + " arrays");
    }
    NDArray x = inputs.get(0);
    NDArray labels = inputs.get(1);
    for (int i = 0; i < head; i++) x = apply(layers.get(i), store, x, training);
    NDArray phi = x;
    for (int i = head; i < layers.size(); i++) x = apply(layers.get(i), store, x, training);
    NDArray v = store.getValue(embedding, x.getDevice(), training);
    NDManager home = x.getManager();
    try (NDManager sub = home.newSubManager()) {
      sub.tempAttachAll(phi, v);
      NDArray pooled = phi.getShape().dimension() == 4 ? phi.sum(new int[] {2, 3}) : phi; // (N, F)
      NDArray projection = Labels.rows(v, labels).mul(pooled).sum(new int[] {1}); // (N)
      long[] dims = new long[x.getShape().dimension()];
      Arrays.fill(dims, 1);
      dims[0] = x.getShape().get(0);
      NDArray out = x.add(projection.reshape(new Shape(dims)));
      out.attach(home);
      return new NDList(out);
    }
  }

  private static NDArray apply(Block b, ParameterStore store, NDArray x, boolean training) {
    return b.forward(store, new NDList(x), training).singletonOrThrow();
  }
}
