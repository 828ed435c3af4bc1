package org.convmirror.internal.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import org.convmirror.error.UsageException;
import org.convmirror.internal.train.TrainingFailed;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code convmirror} command line. */
@Command(
    name = "convmirror",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Declare the convolutional half of a generative model; get its exact mirror.",
    subcommands = {
      PlanCommand.class,
      TrainCommand.class,
      SampleCommand.class,
      ReconstructCommand.class,
      EvaluateCommand.class,
      CompareCommand.class,
      ReportCommand.class,
      ClassifierCommand.class,
      DataCommand.class,
      BenchCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      SparkCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  /** Exit code for a user error: bad file, bad option, bad data. */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
  private static volatile List<String> arguments = List.of();

  /** The arguments of the current invocation, recorded in a run's provenance. */
  static List<String> arguments() {
    return arguments;
  }

  public static int run(String... args) {
    arguments = List.of(args);
    try {
      CommandLine cli = new CommandLine(new Main());
      cli.setExecutionExceptionHandler(Main::handle);
      cli.setParameterExceptionHandler(Main::badArguments);
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      // A limit of this machine, not a bug: one line, as for every other resource.
      System.err.println(
          "convmirror: out of Java heap ("
              + Runtime.getRuntime().maxMemory() / (1 << 20)
              + " MiB); give Java more with CONVMIRROR_JAVA_OPTS='-Xmx16g -Xmn64m' or use a"
              + " smaller --batch-size");
      return 1;
    }
  }

  /**
   * A flag or argument that does not parse is one line, with picocli's suggestion if it has one,
   * and a pointer to the help instead of the whole usage text.
   */
  static int badArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    StringBuilder line = new StringBuilder("convmirror: ").append(e.getMessage().strip());
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      line.append("; did you mean ").append(String.join(" or ", u.getSuggestions())).append('?');
    }
    line.append(" (see '").append(cli.getCommandSpec().qualifiedName(" ")).append(" --help')");
    cli.getErr().println(line.toString().replaceAll("\\s*\\R\\s*", "; "));
    return USAGE;
  }

  /** A user-facing error is one line and exit code 2; stack traces only with --verbose. */
  static int handle(Exception thrown, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    Exception e = thrown;
    boolean verbose = parsed.originalArgs().contains("--verbose");
    if (e instanceof UncheckedIOException u) e = u.getCause();
    // Only our own checks speak to the user; an IllegalArgumentException from anywhere else
    // (DJL included) is a bug and must not pass for a user error.
    if (e instanceof UsageException || e instanceof IOException) {
      err.println("convmirror: " + message(e));
      if (verbose) e.printStackTrace(err);
      return USAGE;
    }
    if (e instanceof TrainingFailed) {
      err.println("convmirror: " + e.getMessage());
      return 1;
    }
    err.println("convmirror: internal error: " + e);
    if (verbose) e.printStackTrace(err);
    else err.println("(run again with --verbose for the stack trace)");
    return 1;
  }

  /**
   * The exception's message, except where the JDK's is a bare path (an {@code
   * AccessDeniedException} says only "/proc/x"): then the path, what went wrong and what to check.
   */
  static String message(Exception e) {
    if (!(e instanceof FileSystemException f) || f.getReason() != null || f.getFile() == null) {
      return e.getMessage();
    }
    String what;
    if (f instanceof AccessDeniedException) {
      what = "permission denied; check its folder's permissions, or give another path";
    } else if (f instanceof NoSuchFileException) {
      what = "no such file or folder, and none can be made there; check the path you gave";
    } else if (f instanceof NotDirectoryException) {
      what = "a path on the way is a file, not a folder; check the path you gave";
    } else if (f instanceof FileAlreadyExistsException) {
      what = "already exists; move it away or give another path";
    } else {
      what = "the file system refused it (" + f.getClass().getSimpleName() + ")";
    }
    return f.getFile() + (f.getOtherFile() == null ? "" : " → " + f.getOtherFile()) + ": " + what;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"convmirror " + (v == null ? "dev" : v)};
    }
  }
}
