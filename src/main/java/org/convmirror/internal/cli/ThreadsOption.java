package org.convmirror.internal.cli;

import org.convmirror.internal.nn.EngineSetup;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --threads}, shared by the commands that run the engine; checked as it is parsed. */
final class ThreadsOption {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandSpec command;

  /** 0: one per core; {@link EngineSetup#AUTO}: by the load. */
  int threads;

  @Option(
      names = "--threads",
      defaultValue = "0",
      paramLabel = "N|auto",
      description =
          "libtorch threads. Default: 0, one per core (the same numbers on every run); auto: one"
              + " per core the machine's other work leaves idle (by the load average), at least 1.")
  void threads(String value) {
    String text = value.trim();
    String problem;
    int parsed = 0;
    if (text.equalsIgnoreCase("auto")) {
      parsed = EngineSetup.AUTO;
      problem = null;
    } else {
      try {
        parsed = Integer.parseInt(text);
        problem = EngineSetup.countProblem("--threads", parsed); // auto is said as the word
      } catch (NumberFormatException e) {
        problem = "--threads must be auto or a whole number of threads, was '" + value + "'";
      }
    }
    if (problem != null) throw new CommandLine.ParameterException(command.commandLine(), problem);
    this.threads = parsed;
  }
}
