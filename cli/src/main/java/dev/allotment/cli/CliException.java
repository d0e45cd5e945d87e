package dev.allotment.cli;

/**
 * A refusal the user can act on, printed as one line (never a stack trace) with its exit code.
 * Thrown before anything is written, so a refused command leaves the database as it was.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Bad input: an unknown customer or package, a malformed file, a rule the input breaks. */
  static final int INPUT = 1;
  /** Bad usage: an unknown option, a malformed option value (picocli's own code for it). */
  static final int USAGE = 2;
  /** The database cannot be reached, opened or migrated. */
  static final int DATABASE = 3;
  /** A failure that is not the user's: a bug, reported with its type. */
  static final int INTERNAL = 4;

  private final int exitCode;

  private CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException input(String message) {
    return new CliException(INPUT, message, null);
  }

  static CliException database(String message, Throwable cause) {
    return new CliException(DATABASE, message, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
