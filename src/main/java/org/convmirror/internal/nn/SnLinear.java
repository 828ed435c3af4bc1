package org.convmirror.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * A fully connected layer with a spectrally normalised weight (Miyato et al. 2018,
 * arXiv:1802.05957); weight (units, inFeatures) as DJL's {@code Linear}, see {@link
 * SpectralNormBlock}.
 */
public final class SnLinear extends SpectralNormBlock {

  private final long units;

  private SnLinear(long units, boolean includeBias) {
    super(includeBias);
    this.units = units;
  }

  /** Returns a builder; {@code setUnits} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected Shape weightShape(Shape in) {
    return new Shape(units, in.get(in.dimension() - 1));
  }

  @Override
  protected NDArray apply(NDArray x, NDArray w, NDArray b) {
    return Linear.linear(x, w, b).head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0]; // (..., in) -> (..., units)
    return new Shape[] {in.slice(0, in.dimension() - 1).add(units)};
  }

  /** Builds an {@link SnLinear}; {@code set*} are required, {@code opt*} optional. */
  public static final class Builder {
    private long units = -1;
    private boolean includeBias = true;

    private Builder() {}

    /** Sets the number of output features. */
    public Builder setUnits(long units) {
      this.units = units;
      return this;
    }

    /** Sets whether the layer has a bias; default true. */
    public Builder optBias(boolean includeBias) {
      this.includeBias = includeBias;
      return this;
    }

    /** Validates and builds the block. */
    public SnLinear build() {
      if (units < 1) {
        throw new IllegalArgumentException("units must be set and >= 1, was " + units);
      }
      return new SnLinear(units, includeBias);
    }
  }
}
