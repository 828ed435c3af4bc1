package org.convmirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.convmirror.internal.model.GanFamily;
import org.convmirror.internal.model.VaeFamily;
import org.convmirror.internal.testing.MainSources;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.junit.jupiter.api.Test;

/**
 * The names a run directory and its checkpoints are made of are spelled in two places only: the
 * model's home ({@code internal.model}: the networks' checkpoint entries) and the run directory's
 * layout ({@code internal.run.RunLayout}: every file name). Every other main source asks them.
 */
@Tier.Pure
class OwnedNamesTest {
  static final Path MODEL_HOME = MainSources.MAIN.resolve("org/convmirror/internal/model");

  /**
   * The spec names the two halves of a model ({@code discriminator} and {@code generator}, {@code
   * encoder} and {@code decoder}): the sections of a model file and the titles of the plans. That a
   * checkpoint names two of its networks with the same words is the checkpoint format's choice,
   * spelled in the model home; this file alone may coincide with it.
   */
  static final Path HALVES = MainSources.MAIN.resolve("org/convmirror/spec/ModelKind.java");

  static final Path LAYOUT = MainSources.MAIN.resolve("org/convmirror/internal/run/RunLayout.java");

  @Test
  void onlyTheModelHomeAndTheLayoutSpellCheckpointAndRunFileNames() throws IOException {
    Set<String> exact = new TreeSet<>(entries());
    List<String> prefixes = new ArrayList<>();
    for (String name : literals(Files.readString(LAYOUT))) {
      if (name.isBlank() || name.startsWith(".") || name.contains(" ")) continue; // no file names
      int cut = firstOf(name, "%(*\\");
      if (cut < 0) exact.add(name);
      else prefixes.add(name.substring(0, cut));
    }
    // The list the check works from is the layout's own: names and formatted-name prefixes.
    assertTrue(exact.containsAll(List.of("run.json", "losses.csv", "LATEST", "state.json")));
    assertTrue(
        prefixes.containsAll(List.of("epoch-", "evaluation-epoch-", "step-")), "" + prefixes);
    List<String> spelled = new ArrayList<>();
    for (MainSources.Source s : MainSources.all()) {
      if (s.path().startsWith(MODEL_HOME) || s.path().equals(LAYOUT)) continue;
      if (s.path().equals(HALVES)) continue;
      for (String literal : literals(s.text())) {
        boolean owned =
            exact.contains(literal) || prefixes.stream().anyMatch(p -> literal.startsWith(p));
        if (owned) spelled.add(MainSources.MAIN.relativize(s.path()) + ": \"" + literal + "\"");
      }
    }
    assertEquals(List.of(), spelled, "names only the model home and RunLayout may spell");
  }

  /** Every checkpoint entry of both families, the observation log-variance's included. */
  private static List<String> entries() {
    List<String> e = new ArrayList<>(new GanFamily(TinyModels.GAN).entries());
    e.addAll(
        new VaeFamily(TinyModels.vae(ImageShape.of(1, 16, 16), Likelihood.GAUSSIAN_LEARNED, 4))
            .entries());
    assertTrue(e.containsAll(List.of("generator_ema", "observation_log_variance", "fixed_noise")));
    return e;
  }

  @Test
  void literalsAreFoundOutsideCommentsAndCharacters() {
    String java =
        "// \"a\"\n/* \"b\" */ char c = '\"'; String s = \"x\\\"y\" + \"z\"; /** \"d\" */";
    assertEquals(List.of("x\"y", "z"), literals(java));
  }

  private static int firstOf(String s, String chars) {
    for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
    return -1;
  }

  /** The string literals of Java source {@code text}, escapes resolved, comments skipped. */
  static List<String> literals(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (text.startsWith("//", i)) {
        i = text.indexOf('\n', i);
        if (i < 0) break;
      } else if (text.startsWith("/*", i)) {
        i = text.indexOf("*/", i + 2) + 2;
        if (i < 2) break;
      } else if (c == '\'') {
        i = text.charAt(i + 1) == '\\' ? text.indexOf('\'', i + 3) + 1 : i + 3;
      } else if (text.startsWith("\"\"\"", i)) {
        int end = text.indexOf("\"\"\"", i + 3);
        out.add(text.substring(text.indexOf('\n', i) + 1, end));
        i = end + 3;
      } else if (c == '"') {
        StringBuilder s = new StringBuilder();
        for (i++; text.charAt(i) != '"'; i++) {
          if (text.charAt(i) == '\\') i++;
          s.append(text.charAt(i));
        }
        out.add(s.toString());
        i++;
      } else {
        i++;
      }
    }
    return out;
  }
}
