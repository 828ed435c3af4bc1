package org.convmirror.shape;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The per-layer plan of one network: input and output shapes, every layer with its shapes,
 * parameters and multiply-accumulates, and their totals.
 *
 * @param label the class label the network also takes, or null for an unconditional network
 */
public record Plan(
    @JsonIgnore String name,
    int[] input,
    int[] output,
    long parameters,
    long macs,
    List<LayerPlan> layers,
    @JsonInclude(JsonInclude.Include.NON_NULL) Label label) {

  /**
   * The label input of a conditional network.
   *
   * @param classes how many classes, 0 while they wait for the data ({@code classes: auto})
   * @param parametersPerClass parameters that come once per class, in {@code parameters} once the
   *     class count is known
   */
  public record Label(
      @JsonIgnore int classes, @JsonProperty("parameters_per_class") long parametersPerClass) {

    /** The class count, or {@code auto} while the data has not said. */
    @JsonProperty("classes")
    public Object classCount() {
      return classes == 0 ? "auto" : classes;
    }
  }

  public Plan {
    layers = List.copyOf(layers);
  }

  /** An unconditional network. */
  public Plan(
      String name, int[] input, int[] output, long parameters, long macs, List<LayerPlan> layers) {
    this(name, input, output, parameters, macs, layers, null);
  }
}
