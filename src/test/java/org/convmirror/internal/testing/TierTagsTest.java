package org.convmirror.internal.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class carries exactly one tier, so no new test escapes the tiers (an untagged class
 * would run in neither surefire execution). Read from the sources, not by reflection: the pure tier
 * runs without DJL, and reflecting on an engine test's methods would need DJL's classes.
 */
@Tier.Pure
class TierTagsTest {
  /** A method that JUnit or jqwik runs. */
  private static final Pattern TEST_METHOD =
      Pattern.compile(
          "^[ \\t]+@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example)\\b",
          Pattern.MULTILINE);

  /** google-java-format puts a top-level class's annotations at column 0, a member's indented. */
  private static final Pattern CLASS_TIER =
      Pattern.compile("^@Tier\\.(Pure|Engine|Process)[ \\t]*$", Pattern.MULTILINE);

  private static final Pattern METHOD_PURE =
      Pattern.compile("^[ \\t]+@Tier\\.Pure\\b", Pattern.MULTILINE);

  @Test
  void everyTestClassCarriesExactlyOneTier() throws IOException {
    Path root = Path.of(System.getProperty("basedir", "."), "src", "test", "java");
    List<String> problems = new ArrayList<>();
    int classes = 0;
    boolean sawThisFile = false;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String source = Files.readString(f);
        if (!TEST_METHOD.matcher(source).find()) continue;
        classes++;
        sawThisFile |= f.endsWith("TierTagsTest.java");
        problem(root.relativize(f).toString(), source).ifPresent(problems::add);
      }
    }
    assertTrue(sawThisFile && classes > 1, "found " + classes + " test classes under " + root);
    assertEquals(List.of(), problems, String.join("\n", problems));
  }

  @Test
  void untaggedTwiceTaggedAndPureMethodsAreNamed() {
    String untagged = "class ATest {\n  @Test\n  void a() {}\n}\n";
    assertEquals(
        Optional.of(
            "ATest.java: no tier; put one of @Tier.Pure, @Tier.Engine, @Tier.Process on the class"),
        problem("ATest.java", untagged));
    assertEquals(
        Optional.of("ATest.java: 2 tiers (Pure, Engine); a class carries one"),
        problem("ATest.java", "@Tier.Pure\n@Tier.Engine\n" + untagged));
    assertEquals(
        Optional.of(
            "ATest.java: @Tier.Pure on a method; a method may only add a heavier tier"
                + " (Engine, Process)"),
        problem(
            "ATest.java", "@Tier.Engine\nclass ATest {\n  @Tier.Pure\n  @Test\n  void a() {}\n}"));
    assertEquals(Optional.empty(), problem("ATest.java", "@Tier.Process\n" + untagged));
  }

  /** What is wrong with the tiers of one test source, if anything. */
  static Optional<String> problem(String name, String source) {
    List<String> tiers = new ArrayList<>();
    Matcher m = CLASS_TIER.matcher(source);
    while (m.find()) tiers.add(m.group(1));
    if (tiers.isEmpty()) {
      return Optional.of(
          name + ": no tier; put one of @Tier.Pure, @Tier.Engine, @Tier.Process on the class");
    }
    if (tiers.size() > 1) {
      return Optional.of(
          name
              + ": "
              + tiers.size()
              + " tiers ("
              + String.join(", ", tiers)
              + "); a class carries one");
    }
    if (METHOD_PURE.matcher(source).find()) {
      return Optional.of(
          name
              + ": @Tier.Pure on a method; a method may only add a heavier tier (Engine, Process)");
    }
    return Optional.empty();
  }
}
