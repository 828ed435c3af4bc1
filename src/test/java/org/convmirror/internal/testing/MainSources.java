package org.convmirror.internal.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The main source files, for tests that check the code base's layout. */
public final class MainSources {
  /** The main source tree, from the project's root (where tests run). */
  public static final Path MAIN = Path.of("src/main/java");

  private MainSources() {}

  /** A main source file: its path, package and text. */
  public record Source(Path path, String pkg, String text) {
    /** The type the file declares (its name without {@code .java}). */
    public String type() {
      return path.getFileName().toString().replace(".java", "");
    }
  }

  /** Every main source file, in path order. */
  public static List<Source> all() throws IOException {
    List<Source> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(MAIN)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(p);
        Matcher m = Pattern.compile("(?m)^package\\s+([\\w.]+);").matcher(text);
        if (!m.find()) throw new IllegalStateException(p + " has no package");
        out.add(new Source(p, m.group(1), text));
      }
    }
    return out;
  }
}
