package dev.allotment.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Works through a file's calls on a few threads without changing any result: a customer's calls
 * can only take its own grants, so customers are independent, and each customer's calls are worked
 * in file order on one thread. Consuming 10,000 calls is some 20,000 short transactions; spread over
 * the cores, the file takes a fraction of the time. After a failure the other threads stop at their
 * next call, and the first failure is thrown.
 */
final class ByCustomer {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private ByCustomer() {}

  /**
   * {@code work} applied to every call, the results in file order; {@code progress} advanced once
   * per call. A failure stops the rest; the first one met in file order of customers is thrown as it was.
   */
  static <T> List<T> map(List<CdrFile.Call> calls, Progress progress, Function<CdrFile.Call, T> work) {
    Map<String, List<Integer>> byCustomer = new LinkedHashMap<>();
    for (int i = 0; i < calls.size(); i++) {
      byCustomer.computeIfAbsent(calls.get(i).usage().customerId(), c -> new ArrayList<>()).add(i);
    }
    int threads = Math.max(1, Math.min(4, Math.min(byCustomer.size(), Runtime.getRuntime().availableProcessors())));
    Object[] results = new Object[calls.size()];
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "allotment-calls-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<?>> customers = new ArrayList<>();
      for (List<Integer> indices : byCustomer.values()) {
        customers.add(pool.submit(() -> {
          for (int i : indices) {
            if (stop.get()) {
              return;
            }
            try {
              results[i] = work.apply(calls.get(i));
            } catch (RuntimeException e) {
              stop.set(true);
              throw e;
            }
            progress.advance(1);
          }
        }));
      }
      for (Future<?> customer : customers) {
        customer.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while working through the calls", e);
    } finally {
      // Never interrupt: an interrupted thread may close the embedded database's file under the others. The
      // threads stop at their next call instead, and each call is one short transaction.
      pool.shutdown();
      awaitQuietly(pool);
    }
    List<T> list = new ArrayList<>(results.length);
    for (Object result : results) {
      @SuppressWarnings("unchecked")
      T t = (T) result;
      list.add(t);
    }
    return list;
  }

  /** Waits for the threads to finish their current call, so the database is closed after them. */
  private static void awaitQuietly(ExecutorService pool) {
    try {
      if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the threads consuming calls did not stop within a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
