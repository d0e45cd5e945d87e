package dev.allotment.cli;

import dev.allotment.core.AllotmentException;
import dev.allotment.jdbc.JdbcStoreException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on standard error and an exit code: an operator reads the
 * line, a script reads the code. Stack traces only for internal errors, and only with
 * {@code ALLOTMENT_DEBUG=1}.
 */
final class Failures {
  private Failures() {}

  /** Bad usage (picocli could not parse the arguments): exit 2. */
  static int usage(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println(prefix(command) + ": " + e.getMessage() + " (see '"
        + command.getCommandSpec().qualifiedName() + " --help')");
    return CliException.USAGE;
  }

  /** A command that failed while running: a refusal (1), the database (3), or a bug (4). */
  static int execution(Exception e, CommandLine command, ParseResult parsed) {
    String prefix = prefix(command);
    if (e instanceof CliException refusal) {
      command.getErr().println(prefix + ": " + refusal.getMessage());
      return refusal.exitCode();
    }
    if (e instanceof JdbcStoreException) {
      command.getErr().println(prefix + ": database error: " + firstLine(e.getMessage()));
      return CliException.DATABASE;
    }
    if (e instanceof AllotmentException || e instanceof IllegalArgumentException) {
      command.getErr().println(prefix + ": " + firstLine(e.getMessage()));
      return CliException.INPUT;
    }
    command.getErr().println(prefix + ": internal error: " + e.getClass().getName() + ": " + firstLine(e.getMessage()));
    if (debug(command)) {
      e.printStackTrace(command.getErr());
    }
    return CliException.INTERNAL;
  }

  private static String prefix(CommandLine command) {
    return command.getCommandSpec().qualifiedName();
  }

  private static boolean debug(CommandLine command) {
    Object root = command.getCommandSpec().root().userObject();
    return root instanceof RootCommand r && r.env.variable("ALLOTMENT_DEBUG").isPresent();
  }

  /** Drivers' messages may run over several lines (SQL, hints): the first says what happened. */
  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
