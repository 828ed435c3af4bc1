package org.convmirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convmirror.internal.testing.MainSources;
import org.convmirror.internal.testing.MainSources.Source;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * The layout the code base promises, checked on its sources: packages import each other without a
 * cycle and none imports the facade ({@code org.convmirror}); every public type is in an API
 * package or under {@code org.convmirror.internal}; and no public signature of the API names an
 * internal type.
 */
@Tier.Pure
class ArchitectureTest {
  /** The packages a Java user is meant to use. */
  static final Set<String> API =
      Set.of(
          "org.convmirror",
          "org.convmirror.spec",
          "org.convmirror.mirror",
          "org.convmirror.shape",
          "org.convmirror.options",
          "org.convmirror.error");

  static final String INTERNAL = "org.convmirror.internal";

  private static final Pattern IMPORT =
      Pattern.compile("(?m)^import\\s+(?:static\\s+)?(org\\.convmirror[\\w.]*);");
  private static final Pattern QUALIFIED =
      Pattern.compile("\\b(org\\.convmirror(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  /**
   * The packages of this code base that {@code s} refers to in code: by import, or by a qualified
   * name outside comments and strings.
   */
  static Set<String> references(Source s) {
    Set<String> out = new TreeSet<>();
    Matcher m = IMPORT.matcher(s.text());
    while (m.find()) out.add(packageOf(m.group(1)));
    String body = code(s.text()).replaceAll("(?m)^(package|import) .*$", "");
    Matcher q = QUALIFIED.matcher(body);
    while (q.find()) out.add(q.group(1));
    out.remove(s.pkg());
    return out;
  }

  /** {@code text} with its comments, string and character literals blanked out. */
  static String code(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int end;
      if (text.startsWith("//", i)) {
        end = text.indexOf('\n', i);
        if (end < 0) end = text.length();
      } else if (text.startsWith("/*", i)) {
        end = text.indexOf("*/", i + 2) + 2;
      } else if (text.startsWith("\"\"\"", i)) {
        end = text.indexOf("\"\"\"", i + 3) + 3;
      } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
        char quote = text.charAt(i);
        end = i + 1;
        while (text.charAt(end) != quote) end += text.charAt(end) == '\\' ? 2 : 1;
        end++;
      } else {
        out.append(text.charAt(i++));
        continue;
      }
      out.append(' ');
      i = end;
    }
    return out.toString();
  }

  @Test
  void namesInCommentsAndStringsAreNoReferences() {
    String java =
        "package a;\nimport org.convmirror.b.X;\n/** {@link org.convmirror.c.Y} */\n"
            + "class Z { String s = \"org.convmirror.d.W\"; org.convmirror.e.V v; char q = '\"'; }";
    assertEquals(
        Set.of("org.convmirror.b", "org.convmirror.e"),
        references(new Source(Path.of("Z.java"), "a", java)));
  }

  /** The package part of a qualified name: everything before the first capitalised part. */
  private static String packageOf(String name) {
    List<String> parts = new ArrayList<>();
    for (String p : name.split("\\.")) {
      if (Character.isUpperCase(p.charAt(0))) break;
      parts.add(p);
    }
    return String.join(".", parts);
  }

  @Test
  void packagesImportEachOtherWithoutACycleAndNothingImportsTheFacade() throws IOException {
    Map<String, Set<String>> edges = new TreeMap<>();
    List<String> facade = new ArrayList<>();
    for (Source s : MainSources.all()) {
      Set<String> refs = references(s);
      edges.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).addAll(refs);
      if (!s.pkg().equals("org.convmirror") && refs.contains("org.convmirror")) {
        facade.add(MainSources.MAIN.relativize(s.path()).toString());
      }
    }
    assertEquals(List.of(), facade, "files outside org.convmirror that use the facade");
    assertEquals(List.of(), cycles(edges), "package cycles");
    assertTrue(edges.size() > 15, "found the packages: " + edges.keySet());
  }

  /** Every strongly connected set of more than one package (Tarjan), as sorted lists. */
  static List<List<String>> cycles(Map<String, Set<String>> edges) {
    Map<String, Integer> index = new LinkedHashMap<>();
    Map<String, Integer> low = new LinkedHashMap<>();
    List<String> stack = new ArrayList<>();
    List<List<String>> out = new ArrayList<>();
    for (String v : edges.keySet()) {
      if (!index.containsKey(v)) connect(v, edges, index, low, stack, out);
    }
    return out;
  }

  private static void connect(
      String v,
      Map<String, Set<String>> edges,
      Map<String, Integer> index,
      Map<String, Integer> low,
      List<String> stack,
      List<List<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.add(v);
    for (String w : edges.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, edges, index, low, stack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (stack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.remove(stack.size() - 1);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) out.add(component.stream().sorted().toList());
    }
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> edges = new TreeMap<>();
    edges.put("a", Set.of("b"));
    edges.put("b", Set.of("c"));
    edges.put("c", Set.of("a"));
    edges.put("d", Set.of("a"));
    assertEquals(List.of(List.of("a", "b", "c")), cycles(edges));
  }

  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed|static)\\s+)*"
              + "(?:class|interface|record|enum|@interface)\\s");

  @Test
  void everyPublicTypeIsInTheApiOrInternal() throws IOException {
    List<String> outside = new ArrayList<>();
    int api = 0;
    for (Source s : MainSources.all()) {
      if (!PUBLIC_TYPE.matcher(s.text()).find()) continue;
      if (API.contains(s.pkg())) api++;
      else if (!s.pkg().startsWith(INTERNAL + ".")) outside.add(s.pkg() + "." + s.type());
    }
    assertEquals(List.of(), outside, "public types outside the API and internal packages");
    assertTrue(api > 20, "counted the API's public types: " + api);
  }

  @Test
  void theApiNamesNoInternalTypeInAPublicSignature() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Source s : MainSources.all()) {
      if (!API.contains(s.pkg()) || s.type().equals("package-info")) continue;
      check(Class.forName(s.pkg() + "." + s.type()), leaks);
    }
    assertEquals(List.of(), leaks, "internal types in the API's public signatures");
  }

  /** Adds to {@code leaks} every public member of {@code c} (and its public nested types) . */
  private static void check(Class<?> c, List<String> leaks) {
    if (!Modifier.isPublic(c.getModifiers())) return;
    String where = c.getName();
    leak(where + " extends", c.getGenericSuperclass(), leaks);
    for (Type t : c.getGenericInterfaces()) leak(where + " implements", t, leaks);
    for (Field f : c.getDeclaredFields()) {
      if (Modifier.isPublic(f.getModifiers()))
        leak(where + "." + f.getName(), f.getGenericType(), leaks);
    }
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (!Modifier.isPublic(k.getModifiers())) continue;
      for (Type t : k.getGenericParameterTypes()) leak(where + "(…)", t, leaks);
    }
    for (Method m : c.getDeclaredMethods()) {
      if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) continue;
      leak(where + "." + m.getName() + "()", m.getGenericReturnType(), leaks);
      for (Type t : m.getGenericParameterTypes()) leak(where + "." + m.getName() + "(…)", t, leaks);
    }
    if (c.isRecord()) {
      for (RecordComponent r : c.getRecordComponents()) {
        leak(where + "." + r.getName(), r.getGenericType(), leaks);
      }
    }
    for (Class<?> nested : c.getDeclaredClasses()) check(nested, leaks);
  }

  private static void leak(String where, Type t, List<String> leaks) {
    if (t != null && t.getTypeName().contains(INTERNAL + ".")) leaks.add(where + ": " + t);
  }
}
