package org.convmirror.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A run's configuration as {@code path → value} lines ({@code gan.generator.learning_rate →
 * 2.0E-4}), for a table, and the paths at which several runs' configurations differ.
 */
final class ConfigFlat {
  /** The model file's text: shown as a file, and compared as one value. */
  static final String MODEL_TEXT = "model_yaml";

  private ConfigFlat() {}

  /** Every leaf of {@code node}, in document order; null values stay as "null". */
  static Map<String, String> of(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null) walk("", node, out);
    return out;
  }

  private static void walk(String path, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      out.put(path, node.toString());
    } else {
      out.put(path, node.isNull() ? "null" : node.asText());
    }
  }

  /**
   * The paths whose values are not the same in every one of {@code configs}, in first-seen order.
   */
  static List<String> differences(List<Map<String, String>> configs) {
    Set<String> paths = new LinkedHashSet<>();
    configs.forEach(c -> paths.addAll(c.keySet()));
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      String first = configs.get(0).get(p);
      for (Map<String, String> c : configs) {
        if (!Objects.equals(first, c.get(p))) {
          out.add(p);
          break;
        }
      }
    }
    return out;
  }

  /** The last part of a path, for a narrow column: {@code train.seed → seed}. */
  static String shortName(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }
}
