package dev.allotment.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long operation on standard error: units done of a total, rate and ETA. The bar
 * appears only once the operation has run for a second (a quick command prints nothing extra), and
 * never when standard error is not a terminal or under {@code --quiet}: a script's or a test's
 * standard error stays clean. Thread-safe: a run's pages are counted on its read-ahead thread.
 */
final class Progress implements AutoCloseable {
  static final Duration DELAY = Duration.ofSeconds(1);

  private final PrintStream out;
  private final LongSupplier nanoTime;
  private final String task;
  private final String unit;
  private final long total;
  private final long started;
  private final int width;
  private long done;
  private ProgressBar bar;
  private boolean closed;

  private Progress(PrintStream out, LongSupplier nanoTime, String task, String unit, long total, int width) {
    this.out = out;
    this.nanoTime = nanoTime;
    this.task = task;
    this.unit = unit;
    this.total = total;
    this.width = width;
    this.started = nanoTime.getAsLong();
  }

  /**
   * Progress of {@code total} units of {@code unit} (e.g. "assignments"), shown on standard error
   * if the command allows it (see {@link RootCommand#progressAllowed()}).
   */
  static Progress start(RootCommand root, String task, String unit, long total) {
    return new Progress(root.progressAllowed() ? root.env.err() : null, root.env.nanoTime(), task, unit, total,
        root.env.variable("COLUMNS").map(Progress::columns).orElse(-1));
  }

  /** Progress drawn on {@code out} whatever the terminal, for tests: {@code width} columns. */
  static Progress on(PrintStream out, LongSupplier nanoTime, String task, String unit, long total, int width) {
    return new Progress(out, nanoTime, task, unit, total, width);
  }

  private static int columns(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Adds {@code units} done; draws the bar once the operation has taken longer than {@link #DELAY}. */
  synchronized void advance(long units) {
    done = Math.min(total, done + units);
    if (out == null || closed) {
      return;
    }
    if (bar == null) {
      long elapsed = nanoTime.getAsLong() - started;
      if (elapsed < DELAY.toNanos()) {
        return;
      }
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1).showSpeed()
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).startsFrom(done, Duration.ofNanos(elapsed))
          .setConsumer(new ConsoleProgressBarConsumer(out, width)).build();
    }
    bar.stepTo(done);
  }

  /** {@return the units done so far} */
  synchronized long done() {
    return done;
  }

  /** {@return whether the bar was drawn} */
  synchronized boolean shown() {
    return bar != null;
  }

  /** Draws the final state, when the bar was shown, and ends the line it was drawn on. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (bar != null) {
      bar.stepTo(done);
      bar.close();
    }
  }
}
