package org.convmirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java examples, compiled and run as one program in a fresh folder, so that the front
 * door cannot drift from the API: mirror a discriminator, train a tiny GAN, open it, sample.
 */
@Tier.Process
class ReadmeExamplesTest {
  private static final String IMPORTS =
      """
      import org.convmirror.*;
      import org.convmirror.spec.*;
      import org.convmirror.mirror.*;
      import org.convmirror.shape.*;
      import java.nio.file.*;
      import java.util.*;
      """;

  @Test
  void examplesCompileAndRun(@TempDir Path tmp) throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    while (m.find()) blocks.add(m.group(1));
    assertEquals(3, blocks.size(), "the README's Java examples");

    Path src = tmp.resolve("ReadmeExamples.java");
    Files.writeString(
        src,
        IMPORTS
            + "public class ReadmeExamples {\n"
            + "  public static void main(String[] args) throws Exception {\n"
            + String.join("\n", blocks)
            + "  }\n}\n");
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled =
        javac.run(null, null, null, "-d", tmp.toString(), "-cp", classpath, src.toString());
    assertEquals(0, compiled, "javac on the README's examples");

    Path out = tmp.resolve("out.txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Djava.awt.headless=true",
                "-cp",
                tmp + File.pathSeparator + classpath,
                "ReadmeExamples")
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the examples finish");
    String printed = Files.readString(out);
    assertEquals(0, p.exitValue(), printed);
    assertTrue(printed.contains("conv_transpose  64→1"), printed);
    assertTrue(printed.contains("1 epochs, 16 iterations"), printed);
    assertTrue(printed.contains("16 images of 1×28×28"), printed);
    assertTrue(Files.isRegularFile(tmp.resolve("runs/java-demo/java-grid.png")));
    assertTrue(Files.isRegularFile(tmp.resolve("runs/java-demo/checkpoints/LATEST")));
  }
}
