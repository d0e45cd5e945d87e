package dev.allotment.engine;

import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs bodies on several threads released together by a barrier and rethrows the first failure.
 * (The engine's tests keep their own copy of the spi test kit's runner, so they stand on their own.)
 */
final class ConcurrentRunner {
  /** The body of one thread's i-th iteration. */
  @FunctionalInterface
  interface Body {
    void run(int thread, int iteration) throws Exception;
  }

  private ConcurrentRunner() {}

  /** Runs {@code iterations} of {@code body} on each of {@code threads} threads, started together. */
  static void run(int threads, int iterations, Body body) throws Exception {
    Body[] bodies = new Body[threads];
    Arrays.fill(bodies, body);
    runEach(iterations, bodies);
  }

  /**
   * Runs {@code iterations} of each body on a thread of its own, all started together. The first
   * failure (in the order failures happen) is rethrown, wrapped in an
   * {@link java.util.concurrent.ExecutionException}, and the other threads are interrupted. A
   * thread still running after five minutes is a deadlock, reported as a {@link TimeoutException}.
   */
  static void runEach(int iterations, Body... bodies) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(bodies.length);
    try {
      CyclicBarrier start = new CyclicBarrier(bodies.length);
      ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
      for (int t = 0; t < bodies.length; t++) {
        int thread = t;
        done.submit(() -> {
          start.await();
          for (int i = 0; i < iterations; i++) {
            bodies[thread].run(thread, i);
          }
          return null;
        });
      }
      for (int t = 0; t < bodies.length; t++) {
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
}
