package org.convmirror.internal.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM on the test class path, for what one process cannot show about itself: OS locks
 * between processes, SIGKILL, libtorch writing to the real stderr.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;

  private ChildJvm(Process process) {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code main} of {@code mainClass} with {@code args}; stdout can be read line by line.
   */
  public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
    return new ChildJvm(new ProcessBuilder(command(mainClass, args)).start());
  }

  /**
   * Starts {@code main} of {@code mainClass} with stdout and stderr going to two files (so that a
   * test can read what native code wrote).
   */
  public static ChildJvm startLogged(Path stdout, Path stderr, Class<?> mainClass, String... args)
      throws IOException {
    ProcessBuilder b =
        new ProcessBuilder(command(mainClass, args))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    b.environment().put("TORCH_CPP_LOG_LEVEL", "ERROR"); // as the launcher sets it
    return new ChildJvm(b.start());
  }

  private static List<String> command(Class<?> mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Dai.djl.offline=true",
            "-Djava.awt.headless=true",
            "-Xmx1g",
            "-Xmn64m",
            "-XX:TieredStopAtLevel=1", // short-lived: start fast rather than peak
            "-cp",
            System.getProperty("java.class.path"),
            mainClass.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  public long pid() {
    return process.pid();
  }

  /** Whether the child is still running. */
  public boolean alive() {
    return process.isAlive();
  }

  /** The next line the child printed, waiting at most {@code seconds}; fails on its exit. */
  public String readLine(int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (out.ready()) return out.readLine();
      if (!process.isAlive() && !out.ready()) {
        throw new AssertionError(
            "child exited with " + process.exitValue() + ": " + stderr().strip());
      }
      Thread.sleep(10);
    }
    throw new AssertionError("child printed nothing for " + seconds + " s");
  }

  /** Waits for the child to end by itself and returns its exit code. */
  public int waitFor(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child still running after " + seconds + " s");
    }
    return process.exitValue();
  }

  /** SIGKILL, and wait until the kernel has reaped it (and released its locks). */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private String stderr() throws IOException {
    return process.getErrorStream() == null
        ? ""
        : new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }

  /** A file's text, or "" if it does not exist (yet). */
  public static String text(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
