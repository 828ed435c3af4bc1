package org.convmirror.internal.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.run.IoConsumer;
import org.convmirror.internal.run.RunLayout;

/**
 * How networks and extra arrays become checkpoint files: each block as {@code <name>.params} (DJL's
 * parameter format, batch-norm running statistics included) and named arrays (optimizer moments,
 * fixed noise) as one {@code arrays.safetensors}.
 */
public final class StateFiles {
  private static final String ARRAYS = RunLayout.ARRAYS;

  private StateFiles() {}

  /** The checkpoint file name of block {@code name}. */
  public static String blockFile(String name) {
    return RunLayout.networkFile(name);
  }

  /** Writers for every block and, if there are any, the arrays, by checkpoint file name. */
  public static Map<String, IoConsumer<OutputStream>> writers(
      Map<String, ? extends Block> blocks, Map<String, NDArray> arrays) {
    Map<String, IoConsumer<OutputStream>> out = new LinkedHashMap<>();
    blocks.forEach(
        (name, block) ->
            out.put(blockFile(name), o -> block.saveParameters(new DataOutputStream(o))));
    if (!arrays.isEmpty()) out.put(ARRAYS, o -> writeArrays(arrays, o));
    return out;
  }

  /** Loads each block's parameters from its file in {@code files} (checkpoint file names). */
  public static void loadBlocks(
      Map<String, Path> files, Map<String, ? extends Block> blocks, NDManager manager)
      throws IOException {
    for (Map.Entry<String, ? extends Block> e : blocks.entrySet()) {
      Path file = files.get(blockFile(e.getKey()));
      if (file == null) throw new IOException("the checkpoint has no network '" + e.getKey() + "'");
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        e.getValue().loadParameters(manager, new DataInputStream(in));
      } catch (MalformedModelException ex) {
        throw new IOException(
            "network '"
                + e.getKey()
                + "' in "
                + file
                + " does not fit the model: "
                + ex.getMessage(),
            ex);
      }
    }
  }

  /** The named arrays of a checkpoint, owned by {@code manager}; empty if it has none. */
  public static Map<String, NDArray> loadArrays(Map<String, Path> files, NDManager manager)
      throws IOException {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    Path file = files.get(ARRAYS);
    if (file == null) return arrays;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      for (NDArray a : NDList.decode(manager, in)) arrays.put(a.getName(), a);
    }
    return arrays;
  }

  /** Copies the saved array {@code name} into {@code into}, which must have its shape. */
  public static void copy(Map<String, NDArray> arrays, String name, NDArray into)
      throws IOException {
    NDArray a = arrays.get(name);
    if (a == null || !a.getShape().equals(into.getShape())) {
      throw new IOException(
          "checkpoint lacks "
              + name
              + (a == null ? "" : " of shape " + into.getShape() + " (it has " + a.getShape() + ")")
              + "; was it saved by another model?");
    }
    InPlace.copy(a, into);
  }

  private static void writeArrays(Map<String, NDArray> arrays, OutputStream out)
      throws IOException {
    // Duplicate names corrupt safetensors silently (DJL.md), so each array is written under its
    // map key, on a duplicate so that the caller's array keeps its own name.
    try (NDList list = new NDList(arrays.size())) {
      for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
        NDArray copy = e.getValue().duplicate();
        copy.setName(e.getKey());
        list.add(copy);
      }
      list.encode(out, NDList.Encoding.SAFETENSORS);
    }
  }
}
