package org.convmirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convmirror.internal.testing.MainSources;
import org.convmirror.internal.testing.MainSources.Source;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: every file convmirror writes goes through {@code internal.run.AtomicFiles} (replaced
 * atomically, never through a link) or {@code internal.run.StreamFiles} (logs and locks opened
 * without following links). No other main source opens a file for writing.
 */
@Tier.Pure
class OneWriterTest {
  /** Calls that write a file (or open one for writing) by its path. */
  static final List<Pattern> WRITES =
      List.of(
          Pattern.compile("\\bFiles\\.(write|writeString|newOutputStream|newBufferedWriter)\\("),
          Pattern.compile("\\bFiles\\.(copy|move|newByteChannel)\\("),
          Pattern.compile("\\bnew\\s+(FileOutputStream|FileWriter|RandomAccessFile)\\b"),
          Pattern.compile("\\bnew\\s+Print(Writer|Stream)\\(\\s*(new\\s+File\\b|[\\w.]*toFile\\()"),
          Pattern.compile("\\.writeValue\\([^;]*(toFile\\(\\)|new\\s+File\\b)"),
          Pattern.compile("\\bImageIO\\.write\\([^;]*,\\s*(?!out\\s*\\))[\\w.()]+\\s*\\)"),
          Pattern.compile("\\bRedirect\\.(to|appendTo)\\("),
          // FileChannel.open with anything but READ: the writers below own these.
          Pattern.compile("\\bFileChannel\\.open\\((?![^;]*\\bREAD\\)\\s*[;)])"));

  /** The writers themselves, and the one place that hands a file to a child process. */
  static final Map<String, String> ALLOWED =
      Map.of(
          "org.convmirror.internal.run.AtomicFiles", "the one atomic writer",
          "org.convmirror.internal.run.StreamFiles", "logs and locks, opened with O_NOFOLLOW",
          "org.convmirror.internal.run.CheckpointFiles",
              "CREATE_NEW inside a checkpoint's fresh temporary folder, renamed into place whole",
          "org.convmirror.internal.data.CacheBuild",
              "the image cache: a fresh temporary file filled through a memory map, renamed whole",
          "org.convmirror.internal.data.TintedFashionMnist",
              "`data example` fills a folder it has just created; data may not import run",
          "org.convmirror.internal.spark.SweepTask",
              "a child's log redirected after StreamFiles.refuseLink checked the name");

  @Test
  void noMainSourceWritesAFileExceptTheWriters() throws IOException {
    List<String> found = new ArrayList<>();
    for (Source s : MainSources.all()) {
      if (ALLOWED.containsKey(s.pkg() + "." + s.type())) continue;
      found.addAll(violations(s.path().toString(), s.text()));
    }
    assertEquals(List.of(), found, "write through AtomicFiles or StreamFiles instead");
  }

  @Test
  void theScanFindsEachKindOfWrite() {
    String code =
        String.join(
            "\n",
            "Files.write(p, bytes);",
            "Files.writeString(p, s, StandardOpenOption.APPEND);",
            "Files.copy(in, target, REPLACE_EXISTING);",
            "try (var o = new FileOutputStream(f)) {}",
            "JSON.writeValue(dir.resolve(\"m.json\").toFile(), m);",
            "ImageIO.write(img, \"png\", file.toFile());",
            "FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);",
            "b.redirectOutput(Redirect.appendTo(log.toFile()));");
    assertEquals(8, violations("X.java", code).size(), violations("X.java", code).toString());
    String reads =
        String.join(
            "\n",
            "FileChannel.open(p, StandardOpenOption.READ);",
            "AtomicFiles.write(png, out -> ImageIO.write(image, \"png\", out));",
            "Files.readString(p);");
    assertEquals(List.of(), violations("Y.java", reads));
  }

  static List<String> violations(String file, String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (Pattern p : WRITES) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        int line = text.substring(0, m.start()).split("\n", -1).length;
        out.add(file + ":" + line + ": " + lines[line - 1].strip());
      }
    }
    return out;
  }
}
