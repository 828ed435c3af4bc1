package org.convmirror.internal.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.convmirror.error.UsageException;
import org.convmirror.spec.ModelSpec;

/**
 * Checks a PyTorch state dict in a safetensors file against what one network of a model needs —
 * every key present with its shape and type, no key left over, every value finite — before anything
 * is built or written. Each problem is one line naming the file, the network and the first
 * offending key.
 */
public final class StateDictCheck {
  private StateDictCheck() {}

  /** A state dict that does not fit; the message is the one line for the user. */
  public static final class Mismatch extends UsageException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }

  /**
   * Refuses, before reading a byte, what is no weights file: a folder, a FIFO or a device (which
   * would block or never end), or a file larger than any state dict of this network can be.
   */
  private static void checkFile(Path file, String what, Map<String, Layer.Param> expected)
      throws IOException {
    if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
    if (!Files.isRegularFile(file)) {
      throw new Mismatch(
          what + ": not a regular file (a folder, FIFO or device); give the .safetensors file");
    }
    // A generous bound: a file for another, larger model still gets the key-by-key message that
    // names its first wrong shape; only what no state dict of this size could be (a disk image, a
    // device's worth of bytes) is refused before reading it.
    long bytes = 0;
    for (Layer.Param p : expected.values()) bytes += Tensor.size(p.shape()) * Long.BYTES;
    long most = (64L << 20) + 16 * bytes;
    long size = Files.size(file);
    if (size > most) {
      throw new Mismatch(
          String.format(
              java.util.Locale.ROOT,
              "%s: %,d bytes, more than the %,d its state dict can take; is it the right file?",
              what,
              size,
              most));
    }
  }

  /**
   * Reads {@code file} and checks it for {@code network} of {@code spec}.
   *
   * @param modelName the model as the user named it, for messages
   * @return the file's tensors and metadata
   * @throws Mismatch naming the first offending key, or the file's structural problem
   */
  public static SafeTensors.Contents read(
      Path file, Network network, ModelSpec spec, String modelName) {
    String what = file + " (" + network.cliName() + " of " + modelName + ")";
    SafeTensors.Contents contents;
    try {
      checkFile(file, what, network.stateDict(spec));
      contents = SafeTensors.read(file);
    } catch (NoSuchFileException e) {
      throw new Mismatch(what + ": no such file");
    } catch (IOException e) {
      throw new Mismatch(what + ": " + e.getMessage());
    }
    Map<String, Tensor> tensors = contents.tensors();
    Map<String, Layer.Param> expected = network.stateDict(spec);
    for (Map.Entry<String, Layer.Param> e : expected.entrySet()) {
      String key = e.getKey();
      Layer.Param p = e.getValue();
      Tensor t = tensors.get(key);
      if (t == null) {
        throw new Mismatch(
            what
                + ": missing key "
                + key
                + " (expected shape "
                + Tensor.describe(p.shape())
                + ")"
                + hint(tensors, expected));
      }
      if (!Arrays.equals(t.shape(), p.shape())) {
        throw new Mismatch(
            what
                + ": key "
                + key
                + " has shape "
                + Tensor.describe(t.shape())
                + ", expected "
                + Tensor.describe(p.shape())
                + hint(tensors, expected));
      }
      if (t.dtype() != p.dtype()) {
        throw new Mismatch(
            what + ": key " + key + " has dtype " + t.dtype() + ", expected " + p.dtype());
      }
      if (t.dtype() == Tensor.DType.F32) {
        int bad = 0;
        for (float v : t.floats()) if (!Float.isFinite(v)) bad++;
        if (bad > 0) {
          throw new Mismatch(what + ": key " + key + " has " + bad + " NaN or infinite values");
        }
      }
    }
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (!expected.containsKey(e.getKey())) {
        throw new Mismatch(
            what
                + ": unexpected key "
                + e.getKey()
                + " (shape "
                + Tensor.describe(e.getValue().shape())
                + ")"
                + hint(tensors, expected));
      }
    }
    return contents;
  }

  /** Points at the likelier mistake when the file's keys are not the network's at all. */
  private static String hint(Map<String, Tensor> tensors, Map<String, Layer.Param> expected) {
    long shared = tensors.keySet().stream().filter(expected::containsKey).count();
    return shared * 2 < expected.size()
        ? "; are these the weights of another network or model?"
        : "; was it exported from another model file?";
  }
}
