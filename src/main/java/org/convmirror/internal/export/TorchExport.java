package org.convmirror.internal.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.run.AtomicFiles;

/**
 * The PyTorch formats: {@code safetensors} (the weights under their {@code state_dict} names with
 * the provenance in {@code __metadata__}, and {@code model.py}) and {@code torch} (the same plus
 * {@code sample.py}, which writes a grid PNG, for a generator or decoder).
 */
public final class TorchExport {
  private TorchExport() {}

  /**
   * Writes the weights and {@code model.py} into {@code dir}, and {@code sample.py} too when {@code
   * withSampler} and the network draws images.
   *
   * @return the files written
   */
  public static List<Path> write(ExportedNetwork net, Path dir, boolean withSampler)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path weights = dir.resolve(TorchModule.weightsFile(net.network()));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt"); // what safetensors.torch expects of a PyTorch state dict
    meta.putAll(net.metadata());
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    for (String key : net.network().stateDict(net.spec()).keySet()) {
      ordered.put(key, net.weights().get(key));
    }
    SafeTensors.write(weights, ordered, meta);
    written.add(weights);
    Path model = dir.resolve("model.py");
    AtomicFiles.writeString(model, TorchModule.source(net));
    written.add(model);
    if (withSampler && net.network().isDerived()) {
      Path sample = dir.resolve("sample.py");
      try (InputStream in = TorchExport.class.getResourceAsStream("sample.py")) {
        AtomicFiles.copy(in, sample);
      }
      written.add(sample);
    }
    return written;
  }
}
