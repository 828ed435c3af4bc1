package org.convmirror.internal.export;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convmirror.error.UsageException;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ModelSpec;

/**
 * The classes of a conditional model being imported: {@code classes: auto} (as in {@code cdcgan28})
 * waits for training data an import does not have, so the count and names come from what export
 * wrote — the {@code classes} and {@code class_names} metadata, else the label table's rows.
 */
final class ImportedClasses {
  private ImportedClasses() {}

  /**
   * {@code spec} with its classes resolved from {@code derivedFile}; a spec that gives the count
   * keeps it (the state-dict check then holds the file to it) and takes the file's names if it has
   * none.
   */
  static ModelSpec resolve(ModelSpec spec, Path derivedFile, String modelName) {
    Conditioning c = spec.conditioning();
    SafeTensors.Contents contents;
    try {
      contents = SafeTensors.read(derivedFile);
    } catch (IOException e) {
      // StateDictCheck names the file's problem in its own words.
      return spec;
    }
    Map<String, String> meta = contents.metadata();
    List<String> names = names(meta.get("class_names"));
    int count;
    if (!c.isAuto()) {
      count = c.classes();
    } else if (meta.containsKey("classes")) {
      count = parse(meta.get("classes"), derivedFile);
    } else {
      Tensor table = contents.tensors().get(Network.EMBEDDING + ".weight");
      if (table == null || table.shape().length != 2) {
        throw new UsageException(
            derivedFile
                + " has no class count (metadata 'classes') and no label table "
                + Network.EMBEDDING
                + ".weight, and "
                + modelName
                + " says classes: auto; give conditional: {classes: N} in the model file");
      }
      count = Math.toIntExact(table.shape()[0]);
    }
    List<String> keep =
        !c.names().isEmpty() ? c.names() : names.size() == count ? names : List.of();
    if (count == c.classes() && keep.equals(c.names())) return spec;
    return spec.withConditioning(c.resolved(count, keep));
  }

  private static int parse(String text, Path file) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(
          file + ": metadata 'classes' must be a whole number, was '" + text + "'");
    }
  }

  private static List<String> names(String json) {
    if (json == null) return List.of();
    try {
      List<String> names = new ObjectMapper().readValue(json, new TypeReference<List<String>>() {});
      // Numbered classes are exported as "0", "1", …: keep them numbered.
      for (int i = 0; i < names.size(); i++) {
        if (!names.get(i).equals(Integer.toString(i))) return names;
      }
      return List.of();
    } catch (IOException e) {
      return List.of(); // names are a convenience; the tensors are checked key by key
    }
  }
}
