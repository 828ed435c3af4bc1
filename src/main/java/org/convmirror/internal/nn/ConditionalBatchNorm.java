package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Conditional batch norm (de Vries et al. 2017, "Modulating early visual processing by language";
 * Dumoulin, Shlens &amp; Kudlur 2017): the batch is normalised with statistics shared by all
 * classes, then scaled and shifted by the γ and β of each image's class, {@code γ[y]·x̂ + β[y]}.
 * Takes {@code (x, y)}: x (N, C, H, W) or (N, C), y (N) int64 labels.
 *
 * <p>The normalisation is DJL's {@link BatchNorm} without its own scale and shift (a child, so that
 * standing statistics and checkpoints treat it as any batch norm); γ (classes, C) and β (classes,
 * C) are this block's parameters, of DJL's {@code GAMMA}/{@code BETA} types so that DCGAN's
 * initialisation draws every class's γ from N(1, 0.02) and sets β to 0, as for a plain batch norm.
 */
public final class ConditionalBatchNorm extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int classes;
  private final BatchNorm norm;
  private final Parameter gamma;
  private final Parameter beta;

  /** A conditional batch norm over {@code classes} classes; the channels come from the input. */
  public ConditionalBatchNorm(int classes) {
    super(VERSION);
    if (classes < 1) throw new IllegalArgumentException("classes must be ≥ 1, was " + classes);
    this.classes = classes;
    // PyTorch's defaults, as Networks sets them: DJL's momentum 0.9 is PyTorch's 0.1.
    norm =
        addChildBlock(
            "norm",
            BatchNorm.builder()
                .optMomentum(0.9f)
                .optEpsilon(Networks.BATCH_NORM_EPSILON)
                .optScale(false)
                .optCenter(false)
                .build());
    gamma =
        addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
  }

  public int classes() {
    return classes;
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    long channels = inputShapes[0].get(1);
    gamma.setShape(new Shape(classes, channels));
    beta.setShape(new Shape(classes, channels));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    norm.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException(
          "conditional batch norm takes (x, labels), was given " + inputs.size() + " arrays");
    }
    NDArray x = inputs.get(0);
    NDArray y = inputs.get(1);
    NDArray normalised = norm.forward(store, new NDList(x), training).singletonOrThrow();
    NDArray g = store.getValue(gamma, x.getDevice(), training);
    NDArray b = store.getValue(beta, x.getDevice(), training);
    NDManager home = x.getManager();
    try (NDManager sub = home.newSubManager()) {
      sub.tempAttachAll(normalised, g, b);
      Shape perImage = perImage(x.getShape());
      NDArray scale = Labels.rows(g, y).reshape(perImage);
      NDArray shift = Labels.rows(b, y).reshape(perImage);
      NDArray out = normalised.mul(scale).add(shift);
      out.attach(home);
      return new NDList(out);
    }
  }

  /** (N, C, 1, 1) for images, (N, C) for vectors: γ[y] broadcast over the spatial axes. */
  private static Shape perImage(Shape x) {
    long[] dims = new long[x.dimension()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = x.get(0);
    dims[1] = x.get(1);
    return new Shape(dims);
  }
}
