package org.convmirror.spec;

/** A fully connected block: linear → [spectral norm] → [batch norm] → activation → [dropout]. */
public record DenseBlock(
    int units,
    boolean bias,
    boolean batchNorm,
    boolean spectralNorm,
    Activation activation,
    double dropout) {

  public DenseBlock {
    SpecException.check(units >= 1, "units", "must be ≥ 1, was " + units);
    SpecException.check(activation != null, "activation", "must be given");
    SpecException.check(
        dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), was " + dropout);
  }

  /** A dense block with bias unless batch norm follows, and no dropout. */
  public static DenseBlock of(int units, boolean batchNorm, Activation activation) {
    return new DenseBlock(units, !batchNorm, batchNorm, false, activation, 0);
  }
}
