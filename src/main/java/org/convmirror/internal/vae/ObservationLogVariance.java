package org.convmirror.internal.vae;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * The one learned parameter of a {@code gaussian_learned} decoder: log σ² shared by every pixel,
 * starting at 0 (unit variance). Its forward pass ignores the input and returns the (1) array.
 */
public final class ObservationLogVariance extends AbstractBlock {
  private final Parameter logVariance;

  /** The block, its parameter named {@code name} in the checkpoint file. */
  public ObservationLogVariance(String name) {
    logVariance =
        addParameter(
            Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(Initializer.ZEROS)
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(store.getValue(logVariance, inputs.head().getDevice(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(1)};
  }
}
