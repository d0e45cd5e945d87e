package dev.allotment.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs the same body on several threads released together by a barrier; rethrows the first failure. */
public final class ConcurrentRunner {
  /** The body of one thread's i-th iteration. */
  @FunctionalInterface
  public interface Body {
    void run(int thread, int iteration) throws Exception;
  }

  private ConcurrentRunner() {}

  public static void run(int threads, int iterations, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < iterations; i++) {
            body.run(thread, i);
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
