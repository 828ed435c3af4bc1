package org.convmirror.shape;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The per-layer plan of one network: input and output shapes, every layer with its shapes,
 * parameters and multiply-accumulates, and their totals.
 */
public record Plan(
    @JsonIgnore String name,
    int[] input,
    int[] output,
    long parameters,
    long macs,
    List<LayerPlan> layers) {

  public Plan {
    layers = List.copyOf(layers);
  }
}
