package org.convmirror.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.StringJoiner;

/**
 * One layer of a plan: what it is, what it maps to what, and what it costs per image. Spatial
 * fields are {@code [height, width]}; {@code null} where they do not apply.
 *
 * @param kind {@code conv}, {@code conv_transpose}, {@code max_pool}, {@code upsample}, {@code
 *     dense}, {@code reshape}
 * @param output the layer's output shape per image: {@code [C, H, W]} or {@code [units]}
 * @param parameters trainable parameters (weights, bias, batch-norm scale and shift)
 * @param macs multiply-accumulates per image
 * @param batchNorm whether batch norm follows ({@code null}: no)
 * @param spectralNorm whether the weight is spectrally normalised ({@code null}: no)
 * @param activation the non-linearity ({@code null}: none)
 * @param dropout the dropout rate ({@code null}: none)
 * @param parametersPerClass parameters that come once per class (a label embedding, conditional
 *     batch norm's γ and β), included in {@code parameters} once the class count is known
 * @param conditionalBatchNorm whether the batch norm's γ and β depend on the class ({@code null}:
 *     no)
 * @param note what a conditional layer reads or does, e.g. {@code z ⧺ embed(y)}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerPlan(
    String kind,
    @JsonProperty("in_channels") Integer inChannels,
    @JsonProperty("out_channels") Integer outChannels,
    int[] kernel,
    int[] stride,
    int[] padding,
    @JsonProperty("output_padding") int[] outputPadding,
    int[] dilation,
    int[] output,
    long parameters,
    long macs,
    @JsonProperty("batch_norm") Boolean batchNorm,
    @JsonProperty("spectral_norm") Boolean spectralNorm,
    String activation,
    Double dropout,
    @JsonProperty("parameters_per_class") Long parametersPerClass,
    @JsonProperty("conditional_batch_norm") Boolean conditionalBatchNorm,
    String note) {

  /** An unconditional layer. */
  public LayerPlan(
      String kind,
      Integer inChannels,
      Integer outChannels,
      int[] kernel,
      int[] stride,
      int[] padding,
      int[] outputPadding,
      int[] dilation,
      int[] output,
      long parameters,
      long macs,
      Boolean batchNorm,
      Boolean spectralNorm,
      String activation,
      Double dropout) {
    this(
        kind,
        inChannels,
        outChannels,
        kernel,
        stride,
        padding,
        outputPadding,
        dilation,
        output,
        parameters,
        macs,
        batchNorm,
        spectralNorm,
        activation,
        dropout,
        null,
        null,
        null);
  }

  /** A layer that only moves values around (reshape, upsample): no weights, no extras. */
  static LayerPlan weightless(String kind, Integer inChannels, Integer outChannels, int[] output) {
    return new LayerPlan(
        kind,
        inChannels,
        outChannels,
        null,
        null,
        null,
        null,
        null,
        output,
        0,
        0,
        null,
        null,
        null,
        null);
  }

  /** Batch norm, spectral norm, activation, dropout and the note as one short text, or "". */
  public String extras() {
    StringJoiner j = new StringJoiner(", ");
    if (Boolean.TRUE.equals(spectralNorm)) j.add("spectral_norm");
    if (Boolean.TRUE.equals(conditionalBatchNorm)) j.add("conditional_batch_norm");
    else if (Boolean.TRUE.equals(batchNorm)) j.add("batch_norm");
    if (activation != null) j.add(activation);
    if (dropout != null) j.add("dropout(" + dropout + ")");
    if (note != null) j.add(note);
    return j.toString();
  }
}
