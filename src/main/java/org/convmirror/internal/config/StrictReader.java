package org.convmirror.internal.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.convmirror.spec.SpecException;

/**
 * Reads model-file text into a tree, refusing what a lenient parser would quietly reinterpret: a
 * key given twice (the last would win), a trailing comma in JSON, a second YAML document (it would
 * be ignored), YAML aliases (Jackson reads {@code *name} as the string "name") and anchors. Every
 * complaint names the path of the value.
 *
 * <p>A {@code .json} file is read as strict JSON, anything else as YAML (which accepts JSON text,
 * trailing commas included, as YAML's flow style does). Jackson reports anchors on mappings and
 * lists but not on plain values; such an anchor without an alias changes nothing.
 */
final class StrictReader {
  /**
   * How deep a model file may nest. The deepest real one nests 4 levels ({@code
   * discriminator.conv[i].kernel[j]}); far deeper text is a bracket typo or a hostile file, refused
   * with its own line before the parser's generic limit (1,000) is reached.
   */
  static final int MAX_DEPTH = 32;

  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build();
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(LIMITS)
          .build();
  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(LIMITS)
          .build();
  private static final ObjectMapper TREES = new ObjectMapper();

  private StrictReader() {}

  /**
   * The single document of {@code text}; null if there is none.
   *
   * @param source the file name (its extension picks JSON or YAML) or a built-in model's name
   */
  static JsonNode read(String text, String source) {
    // A byte-order mark (as some Windows editors write) is not content; YAML skips it, JSON would
    // refuse the file for it.
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    boolean json = source.toLowerCase(Locale.ROOT).endsWith(".json");
    try {
      if (!json) checkYamlTokens(text, source);
      try (JsonParser p = (json ? JSON : YAML).createParser(text)) {
        if (p.nextToken() == null) return null;
        JsonNode root = TREES.readTree(p);
        if (p.nextToken() != null) {
          int line = p.currentLocation().getLineNr();
          throw new SpecException(
              "",
              source
                  + (json
                      ? ": more text after the JSON value (line "
                          + line
                          + "); a model file holds"
                          + " one object: remove what follows it"
                      : ": a second YAML document (line "
                          + line
                          + ") would be ignored; a model"
                          + " file holds one model: remove the '---' and what follows it"));
        }
        return root;
      }
    } catch (JsonProcessingException e) {
      throw syntaxError(e, text, source, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String
    }
  }

  /** Refuses aliases and (the anchors Jackson reports) before the tree hides them. */
  private static void checkYamlTokens(String text, String source) throws IOException {
    try (YAMLParser p = (YAMLParser) YAML.createParser(text)) {
      int depth = 0;
      for (JsonToken t; (t = p.nextToken()) != null; ) {
        if (p.isCurrentAlias()) {
          throw unsupported(p, true, "is a YAML alias (*" + p.getText(), "write the value out");
        }
        if (t.isStructStart() && p.getObjectId() != null) {
          throw unsupported(p, false, "has a YAML anchor (&" + p.getObjectId(), "remove it");
        }
        if (t.isStructStart()) depth++;
        if (t.isStructEnd()) depth--;
        if (depth == 0) return; // the first document ends; read() reports a second one
      }
    }
  }

  private static SpecException unsupported(JsonParser p, boolean current, String what, String fix) {
    return new SpecException(
        path(p.getParsingContext(), current),
        what
            + ", line "
            + p.currentLocation().getLineNr()
            + "); model files do not support anchors and aliases: "
            + fix);
  }

  private static SpecException syntaxError(
      JsonProcessingException e, String text, String source, boolean json) {
    JsonLocation at = e.getLocation();
    JsonStreamContext ctx = e.getProcessor() instanceof JsonParser p ? p.getParsingContext() : null;
    String where =
        at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    String message = e.getOriginalMessage().lines().findFirst().orElse("");
    if (message.startsWith("Duplicate field '")) {
      String key = message.substring("Duplicate field '".length(), message.length() - 1);
      return new SpecException(
          ctx == null ? key : path(ctx, true),
          "is given twice" + where + "; a key may appear once (the second would silently win)");
    }
    if (json && at != null && trailingComma(text, at)) {
      return new SpecException(
          ctx == null ? "" : path(ctx, false),
          "trailing comma before '"
              + text.charAt((int) at.getCharOffset())
              + "'"
              + where
              + "; JSON allows none: remove it");
    }
    if (message.startsWith("Document nesting depth")) {
      return new SpecException(
          "",
          source
              + ": nested more than "
              + MAX_DEPTH
              + " levels deep"
              + where
              + "; a model file nests at most 4 (discriminator.conv[i].kernel): check the"
              + " brackets and indentation");
    }
    int tabLine = json || at == null ? -1 : tabIndentedLine(text, at.getLineNr());
    if (tabLine > 0) {
      return new SpecException(
          "",
          source
              + ": line "
              + tabLine
              + " is indented with a tab; YAML indents with spaces only: replace the tabs with"
              + " spaces");
    }
    String path = ctx == null ? "" : path(ctx, true);
    return new SpecException(
        "",
        source
            + ": not valid "
            + (json ? "JSON" : "YAML/JSON")
            + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
            + (path.isEmpty() ? "" : " (in " + path + ")")
            + ": "
            + message);
  }

  /**
   * The number (1-based) of the first line whose indentation holds a tab, up to the line after
   * {@code errorLine} (SnakeYAML reports where the token it was scanning began; the tab is often on
   * the next line), or -1. SnakeYAML's own message ("while scanning for the next token") names
   * neither the tab nor the fix.
   */
  private static int tabIndentedLine(String text, int errorLine) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < Math.min(errorLine + 1, lines.length); i++) {
      String line = lines[i];
      int indent = 0;
      while (indent < line.length()
          && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
        indent++;
      }
      if (line.substring(0, indent).indexOf('\t') >= 0) return i + 1;
    }
    return -1;
  }

  /** Whether the character at {@code at} closes a container right after a comma. */
  private static boolean trailingComma(String text, JsonLocation at) {
    long offset = at.getCharOffset();
    if (offset < 0 || offset >= text.length()) return false;
    char c = text.charAt((int) offset);
    if (c != '}' && c != ']') return false;
    int i = (int) offset - 1;
    while (i >= 0 && Character.isWhitespace(text.charAt(i))) i--;
    return i >= 0 && text.charAt(i) == ',';
  }

  /**
   * The dotted path of a parser position, {@code discriminator.conv[2].stride}: with {@code
   * current}, of the value being read; without, of the mapping or list that holds it.
   */
  static String path(JsonStreamContext ctx, boolean current) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = current ? ctx : ctx.getParent(); c != null; c = c.getParent()) {
      if (c.inArray()) parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      else if (c.inObject() && c.getCurrentName() != null) parts.push("." + c.getCurrentName());
    }
    String joined = String.join("", parts);
    return joined.startsWith(".") ? joined.substring(1) : joined;
  }
}
