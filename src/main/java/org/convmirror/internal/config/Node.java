package org.convmirror.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.convmirror.spec.SpecException;

/**
 * A JSON/YAML value together with its path in the file, so that every complaint names where the bad
 * value sits: {@code discriminator.conv[2].stride: must be ≥ 1, was 0}.
 */
final class Node {
  final JsonNode value;
  final String path;

  Node(JsonNode value, String path) {
    this.value = value;
    this.path = path;
  }

  SpecException error(String problem) {
    return new SpecException(path, problem);
  }

  boolean has(String key) {
    return value.has(key) && !value.get(key).isNull();
  }

  Node get(String key) {
    return new Node(value.get(key), path.isEmpty() ? key : path + "." + key);
  }

  /** Rejects keys outside {@code allowed}, listing what is accepted. */
  void onlyKeys(String... allowed) {
    requireObject();
    Set<String> ok = Set.of(allowed);
    for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!ok.contains(key)) {
        throw get(key)
            .error("unknown key; expected one of " + String.join(", ", new TreeSet<>(ok)));
      }
    }
  }

  void requireObject() {
    if (!value.isObject()) throw error("must be a mapping of keys to values, was " + describe());
  }

  List<Node> list() {
    if (!value.isArray()) throw error("must be a list, was " + describe());
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) out.add(new Node(value.get(i), path + "[" + i + "]"));
    return out;
  }

  int integer() {
    if (!value.isIntegralNumber()) throw error("must be an integer, was " + describe());
    if (!value.canConvertToInt()) {
      throw error(
          "must be an integer from "
              + Integer.MIN_VALUE
              + " to "
              + Integer.MAX_VALUE
              + ", was "
              + describe());
    }
    return value.intValue();
  }

  int integer(int min) {
    int v = integer();
    if (v < min) throw error("must be ≥ " + min + ", was " + v);
    return v;
  }

  double number() {
    if (!value.isNumber()) throw error("must be a number, was " + describe());
    return value.doubleValue();
  }

  boolean bool() {
    if (!value.isBoolean()) throw error("must be true or false, was " + describe());
    return value.booleanValue();
  }

  String text() {
    if (!value.isTextual()) throw error("must be text, was " + describe());
    return value.textValue();
  }

  String describe() {
    if (value == null || value.isNull()) return "empty";
    if (value.isTextual()) return "\"" + value.textValue() + "\"";
    if (value.isObject()) return "a mapping";
    if (value.isArray()) return "a list " + value;
    return value.toString();
  }
}
