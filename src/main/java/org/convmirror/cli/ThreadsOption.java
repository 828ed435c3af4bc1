package org.convmirror.cli;

import picocli.CommandLine.Option;

/** {@code --threads}, shared by the commands that run the engine. */
final class ThreadsOption {
  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "libtorch threads (0: one per core).")
  int threads;
}
