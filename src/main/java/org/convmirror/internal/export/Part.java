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

  /** Whether this part is a label table of the network's block rather than a block of its own. */
  public boolean table() {
    return !sequential && layers.get(0) instanceof Layer.Embedding;
  }

  /**
   * For each part, the index of the block (checkpoint entry) that holds it: a label table belongs
   * to the block of the part after it (a conditional network's embedding and its layers are one DJL
   * block).
   */
  public static int[] blocks(List<Part> parts) {
    int[] out = new int[parts.size()];
    int block = 0;
    for (int i = 0; i < parts.size(); i++) {
      out[i] = block;
      if (!parts.get(i).table()) block++;
    }
    return out;
  }

  /** The state_dict key of parameter {@code param} of layer {@code index}. */
  public String key(int index, String param) {
    String prefix = name.isEmpty() ? "" : name + ".";
    return sequential ? prefix + index + "." + param : prefix + param;
  }
}
