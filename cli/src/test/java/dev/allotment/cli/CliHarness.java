package dev.allotment.cli;

import dev.allotment.spi.BillingClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Runs the CLI in this JVM as a user would run {@code bin/allotment} in {@code directory}: the same
 * entry point, output captured, the clock fixed at {@link #NOW} in the zone the options name, and
 * standard error not a terminal (unless told otherwise).
 */
final class CliHarness {
  /** The tests' "now": nine days after the sample's suggested run date. */
  static final Instant NOW = Instant.parse("2026-07-10T12:00:00Z");

  /** What one command did. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private final Path directory;
  private final boolean terminal;
  private final LongSupplier ticker;

  CliHarness(Path directory) {
    this(directory, false, new AtomicLong()::get);
  }

  /** A harness whose standard error is a terminal (or not) and whose monotonic time comes from {@code ticker}. */
  CliHarness(Path directory, boolean terminal, LongSupplier ticker) {
    this.directory = directory;
    this.terminal = terminal;
    this.ticker = ticker;
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      Env env = new Env(o, e, zone -> BillingClock.of(Clock.fixed(NOW, zone)), terminal, ticker, Map.of("COLUMNS", "100"),
          directory);
      int code = RootCommand.execute(env, args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /** Runs a command that must succeed, and returns its standard output. */
  String ok(String... args) {
    Result result = run(args);
    if (result.exitCode() != 0 || !result.err().isEmpty()) {
      throw new AssertionError("allotment " + String.join(" ", args) + " failed: " + result);
    }
    return result.out();
  }

  Path directory() {
    return directory;
  }

  /** The default data directory of this harness's working directory. */
  Path data() {
    return directory.resolve(RootCommand.DEFAULT_DATA);
  }
}
