package dev.allotment.cli;

import dev.allotment.spi.BillingClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Everything a command takes from the world outside the arguments: where it writes, which clock it
 * reads (for the billing zone an option names), whether standard error is a terminal (the progress
 * bar's condition), a monotonic ticker (how long an operation has run, never a billing date), the
 * environment variables and the working directory. The program passes the real ones; tests pass
 * their own, so a command never reads {@code LocalDate.now()} or the process's state directly.
 *
 * @param out standard output: reports, tables, JSON
 * @param err standard error: errors, progress
 * @param clocks the billing clock for a zone
 * @param errIsTerminal whether standard error is a terminal
 * @param nanoTime a monotonic ticker in nanoseconds
 * @param variables the environment variables
 * @param workingDirectory what relative paths are resolved against
 */
record Env(PrintStream out, PrintStream err, Function<ZoneId, BillingClock> clocks, boolean errIsTerminal,
    LongSupplier nanoTime, Map<String, String> variables, Path workingDirectory) {
  /** Set by {@code bin/allotment}, which can ask the shell whether standard error is a terminal. */
  static final String TERMINAL_PROPERTY = "allotment.stderr.tty";

  Env {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(clocks, "clocks");
    Objects.requireNonNull(nanoTime, "nanoTime");
    variables = Map.copyOf(variables);
    workingDirectory = workingDirectory.toAbsolutePath();
  }

  /** The process's own: System.out and System.err, the system clock, the real environment. */
  static Env system() {
    return new Env(System.out, System.err, BillingClock::system, stderrIsTerminal(), System::nanoTime, System.getenv(),
        Path.of(""));
  }

  /** An environment variable, when set and not blank. */
  Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
  }

  /**
   * Java cannot ask whether one particular stream is a terminal: the launcher tells (it runs
   * {@code [ -t 2 ]}); else Linux's {@code /proc/self/fd/2} names the device; else a console
   * (standard input and output on a terminal) is the best guess.
   */
  private static boolean stderrIsTerminal() {
    String told = System.getProperty(TERMINAL_PROPERTY);
    if (told != null && !told.isBlank()) {
      return Boolean.parseBoolean(told.strip());
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}
