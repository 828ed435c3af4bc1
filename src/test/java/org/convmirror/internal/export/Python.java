package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Python 3 with python3-torch, python3-numpy and python3-onnx, which tools/test installs.
 * Missing, the tests that need them fail with what to install; they never skip.
 */
public final class Python {
  static final Path PYTHON = Path.of("/usr/bin/python3");

  static final String PACKAGES =
      "Debian's python3 with python3-torch, python3-numpy and python3-onnx is required"
          + " (apt-get install python3-torch python3-numpy python3-onnx; tools/test does this)";

  private Python() {}

  /**
   * Runs each folder's generated {@code model.py} on its {@code input.npy} in one Python process
   * ({@code run_exports.py}), leaving {@code out-K.npy} per output in the folder.
   */
  public static String runModels(Path work, List<Path> folders)
      throws IOException, InterruptedException {
    Path script = work.resolve("run_exports.py");
    try (InputStream in = Python.class.getResourceAsStream("run_exports.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> args = new ArrayList<>();
    args.add(script.toString());
    for (Path f : folders) args.add(f.toAbsolutePath().toString());
    return run(work, args);
  }

  /** Runs {@code /usr/bin/python3 args…} in {@code dir}; fails the test unless it exits 0. */
  public static String run(Path dir, List<String> args) throws IOException, InterruptedException {
    assertTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: " + PACKAGES);
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python3 timed out: " + out);
    if (out.contains("ModuleNotFoundError")) throw new AssertionError(PACKAGES + ":\n" + out);
    assertEquals(0, p.exitValue(), "python3 " + args + " failed:\n" + out);
    return out;
  }
}
