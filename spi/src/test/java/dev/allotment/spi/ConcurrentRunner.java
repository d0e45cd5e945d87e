package dev.allotment.spi;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the same body on several threads released together by a barrier; rethrows the first failure. */
public final class ConcurrentRunner {
  /** The body of one thread's i-th iteration. */
  @FunctionalInterface
  public interface Body {
    void run(int thread, int iteration) throws Exception;
  }

  private ConcurrentRunner() {}

  /**
   * Runs {@code iterations} of {@code body} on each of {@code threads} threads, started together.
   * The first failure (in the order failures happen) is rethrown, wrapped in an
   * {@link java.util.concurrent.ExecutionException}, and the other threads are interrupted.
   */
  public static void run(int threads, int iterations, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.submit(() -> {
          start.await();
          for (int i = 0; i < iterations; i++) {
            body.run(thread, i);
          }
          return null;
        });
      }
      for (int t = 0; t < threads; t++) {
        Future<Void> finished = done.poll(5, TimeUnit.MINUTES);
        if (finished == null) {
          throw new TimeoutException("threads still running after 5 minutes");
        }
        finished.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Releases the threads of a {@link #run} together at the start of every round, so that they meet
   * on the same key. A parking barrier wakes threads tens of microseconds apart, longer than an
   * in-memory operation takes, so they would rarely meet; spinning (yielding, since there may be
   * fewer cores than threads) keeps them within a few hundred nanoseconds.
   *
   * <p>Every one of the {@code parties} threads must call {@link #await} with rounds 0, 1, 2, ... in
   * turn. When one thread fails, {@link #run} interrupts the others, which then stop waiting.
   */
  public static final class StartLine {
    private final AtomicInteger arrived = new AtomicInteger();
    private final int parties;

    public StartLine(int parties) {
      this.parties = parties;
    }

    /** Waits until every party has reached {@code round}. */
    public void await(int round) {
      arrived.incrementAndGet();
      long everyone = (long) parties * (round + 1);
      for (int spins = 0; arrived.get() < everyone; spins++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException("interrupted waiting for round " + round);
        }
        if (spins < 1_000) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }
  }
}
