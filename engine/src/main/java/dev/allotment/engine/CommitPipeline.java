package dev.allotment.engine;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batch commits of one run, up to {@code limit} at a time on daemon threads of their own, so
 * the database works on one batch while the next is built and sent. With a limit of 1 each commit
 * runs on the caller's thread as it is submitted, as if there were no pipeline.
 *
 * <ul>
 *   <li>Batches sharing an assignment never run at once: {@link #awaitSharing} waits for every
 *       earlier batch that holds one of the assignments, so a batch sees what those did to them.
 *   <li>A failure is rethrown on the submitting thread once every batch in flight has ended (their
 *       own failures suppressed by it); nothing is submitted after it. {@link #close} waits for the
 *       batches in flight in the same way, never interrupting one, so a run returns only after all
 *       its commits ended.
 * </ul>
 *
 * <p>Not thread-safe: one submitting thread, the run's.
 */
final class CommitPipeline implements AutoCloseable {
  private static final AtomicInteger THREAD_COUNT = new AtomicInteger();
  private static final ThreadFactory THREADS = task -> {
    Thread thread = new Thread(task, "allotment-run-commit-" + THREAD_COUNT.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  };

  private record InFlight(Set<String> assignments, CompletableFuture<Void> done) {}

  private final int limit;
  private final Deque<InFlight> inFlight = new ArrayDeque<>();
  private ExecutorService executor;

  /** @param limit how many batches may be committing at once, at least 1 */
  CommitPipeline(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    this.limit = limit;
  }

  /** Waits for every batch in flight that holds one of {@code assignments}, and for those before it. */
  void awaitSharing(Set<String> assignments) {
    while (inFlight.stream().anyMatch(batch -> !Collections.disjoint(batch.assignments(), assignments))) {
      awaitOldest();
    }
  }

  /**
   * Commits a batch of {@code assignments} (after {@link #awaitSharing} them): at once on this
   * thread with a limit of 1, else on a thread of the pipeline once fewer than the limit are in flight.
   */
  void submit(Set<String> assignments, Runnable commit) {
    if (limit == 1) {
      commit.run();
      return;
    }
    while (inFlight.size() >= limit) {
      awaitOldest();
    }
    if (executor == null) {
      executor = Executors.newFixedThreadPool(limit, THREADS);
    }
    inFlight.addLast(new InFlight(assignments, CompletableFuture.runAsync(commit, executor)));
  }

  /** Waits for every batch in flight; rethrows the first failure once all have ended. */
  void drain() {
    while (!inFlight.isEmpty()) {
      awaitOldest();
    }
  }

  /** {@link #drain}, then ends the pipeline's threads. */
  @Override
  public void close() {
    try {
      drain();
    } finally {
      if (executor != null) {
        executor.shutdown();
      }
    }
  }

  private void awaitOldest() {
    try {
      Futures.join(inFlight.removeFirst().done());
    } catch (RuntimeException | Error failure) {
      while (!inFlight.isEmpty()) {
        try {
          Futures.join(inFlight.removeFirst().done());
        } catch (RuntimeException | Error later) {
          if (later != failure) { // a store may throw one exception object for every call
            failure.addSuppressed(later);
          }
        }
      }
      throw failure;
    }
  }
}
