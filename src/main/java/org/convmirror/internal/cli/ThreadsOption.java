package org.convmirror.internal.cli;

import org.convmirror.internal.nn.EngineSetup;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --threads}, shared by the commands that run the engine; checked as it is parsed. */
final class ThreadsOption {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandSpec command;

  int threads;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "libtorch threads (0: one per core).")
  void threads(int threads) {
    String problem = EngineSetup.threadsProblem("--threads", threads);
    if (problem != null) throw new CommandLine.ParameterException(command.commandLine(), problem);
    this.threads = threads;
  }
}
