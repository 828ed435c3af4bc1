package org.convmirror.internal.cli;

import org.convmirror.internal.nn.EngineSetup;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --threads}, shared by the commands that run the engine; checked as it is parsed. */
final class ThreadsOption {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandSpec command;

  /** 0 for auto. */
  int threads;

  @Option(
      names = "--threads",
      defaultValue = "auto",
      paramLabel = "N|auto",
      description =
          "libtorch threads. Default: auto, one per core the machine's other work leaves idle"
              + " (by the load average), at least 1.")
  void threads(String value) {
    String text = value.trim();
    String problem;
    int parsed = 0;
    if (text.equalsIgnoreCase("auto")) {
      problem = null;
    } else {
      try {
        parsed = Integer.parseInt(text);
        problem = EngineSetup.threadsProblem("--threads", parsed);
      } catch (NumberFormatException e) {
        problem = "--threads must be auto or a whole number of threads, was '" + value + "'";
      }
    }
    if (problem != null) throw new CommandLine.ParameterException(command.commandLine(), problem);
    this.threads = parsed;
  }
}
