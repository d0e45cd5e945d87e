package dev.allotment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress bar: drawn only after a second, silent when standard error is not a terminal or
 * under --quiet. Time comes from a ticker the test moves, never from waiting.
 */
final class ProgressTest {
  @TempDir
  Path directory;

  @Test
  void nothingIsDrawnDuringTheFirstSecond() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong();
    try (Progress progress = Progress.on(new PrintStream(err, true, StandardCharsets.UTF_8), now::get, "Charging",
        "assignments", 100, 100)) {
      progress.advance(40);
      now.addAndGet(Duration.ofMillis(999).toNanos());
      progress.advance(40);
      assertFalse(progress.shown());
      assertEquals(80, progress.done());
    }
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void afterASecondTheBarShowsDoneOfTotal() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong();
    try (Progress progress = Progress.on(new PrintStream(err, true, StandardCharsets.UTF_8), now::get, "Charging",
        "assignments", 200, 100)) {
      progress.advance(50);
      now.addAndGet(Duration.ofMillis(1500).toNanos());
      progress.advance(50);
      assertTrue(progress.shown());
      progress.advance(100);
    }
    String drawn = err.toString(StandardCharsets.UTF_8);
    assertTrue(drawn.contains("Charging") && drawn.contains("100%") && drawn.contains("200/200"), drawn);
  }

  @Test
  void aLongRunDrawsTheBarOnATerminal() throws IOException {
    String err = slowRun(false);

    assertTrue(err.contains("Simulating") && err.contains("1/1 assignments"), err);
  }

  @Test
  void quietDrawsNothingEvenOnATerminal() throws IOException {
    assertEquals("", slowRun(true));
  }

  /**
   * A run on a terminal whose every tick is two seconds long: "more than a second" at the first
   * page. (Standard error that is not a terminal gets no bar: every other test's commands check
   * that their standard error is empty.)
   */
  private String slowRun(boolean quiet) throws IOException {
    AtomicLong now = new AtomicLong();
    CliHarness cli = new CliHarness(directory, true, () -> now.addAndGet(Duration.ofSeconds(2).toNanos()));
    Files.writeString(directory.resolve("catalog.json"), SampleData.catalogJson());
    cli.ok("catalog", "import", "catalog.json");
    cli.ok("assign", "--customer", "acme", "--package", "did-rental", "--did", "442079460000", "--start", "2026-01-15");
    CliHarness.Result run = quiet ? cli.run("run", "--date", "2026-07-01", "--simulate", "--quiet")
        : cli.run("run", "--date", "2026-07-01", "--simulate");
    assertEquals(0, run.exitCode(), run.toString());
    return run.err();
  }
}
