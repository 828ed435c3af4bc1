package org.convmirror.internal.export;

import java.util.List;

/**
 * A named piece of an exported network as PyTorch holds it: an {@code nn.Sequential} whose children
 * are {@code layers} (state_dict keys {@code <name>.<index>.<param>}, or {@code <index>.<param>}
 * when the name is empty), or a single layer (keys {@code <name>.<param>}).
 *
 * @param shapes each layer's output per sample, for the shape comments of {@code model.py}
 */
public record Part(String name, List<Layer> layers, List<String> shapes, boolean sequential) {

  public Part {
    layers = List.copyOf(layers);
    shapes = List.copyOf(shapes);
    if (layers.size() != shapes.size())
      throw new IllegalArgumentException("one output shape per layer");
    if (!sequential && layers.size() != 1)
      throw new IllegalArgumentException("a single-layer part has one layer");
  }

  /** The state_dict key of parameter {@code param} of layer {@code index}. */
  public String key(int index, String param) {
    String prefix = name.isEmpty() ? "" : name + ".";
    return sequential ? prefix + index + "." + param : prefix + param;
  }
}
