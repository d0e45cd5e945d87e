package dev.allotment.bench;

import dev.allotment.core.Consumption;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.jdbc.JdbcStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * Free-minute consumption on PostgreSQL: {@code PackageBilling.consume} of new calls, one
 * transaction each, by 1, 4 and 16 threads for a fixed time each, over {@link JdbcStores} with a
 * pool of as many connections. The calls are those of the in-memory benchmarks (1,024 customers,
 * 3 eligible grants each, the 200-prefix destination). {@code bench/run-pg-consumption} runs it
 * next to {@code pgbench}'s built-in TPC-B-like script on the same server, the limit of one small
 * transaction per call on this machine, and prints the ratios.
 *
 * <p>Settings: {@code allotment.pg.url} (required), {@code bench.threads} ({@code 1,4,16}),
 * {@code bench.seconds} (10 per thread count, after a 5-second warm-up with the first count).
 * Every call must be covered by its grants (the measured path is the covering one); the program
 * fails otherwise. Prints {@code PGCONSUME threads=N calls_per_second=X} per count; with
 * {@code bench.batch=B} (B > 1) also {@code PGCONSUME_BATCH threads=N batch=B calls_per_second=X},
 * consuming B calls per {@code consumeAll} (one transaction).
 *
 * <p>Not thread-safe; a program, run once.
 */
public final class PgConsumptionBench {
  private static final int CUSTOMERS = BenchData.CUSTOMERS;
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");

  private PgConsumptionBench() {}

  public static void main(String[] args) throws Exception {
    String url = System.getProperty("allotment.pg.url");
    if (url == null || url.isBlank()) {
      System.err.println("PgConsumptionBench: set -Dallotment.pg.url=jdbc:postgresql://...");
      System.exit(2);
    }
    List<Integer> counts = new ArrayList<>();
    for (String count : System.getProperty("bench.threads", "1,4,16").split(",")) {
      counts.add(Integer.parseInt(count.strip()));
    }
    int seconds = Integer.getInteger("bench.seconds", 10);
    int most = counts.stream().mapToInt(Integer::intValue).max().orElse(1);
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setUrl(url);
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    pool.setMaxConnections(most + 2);
    try {
      PackageBilling billing = PackageBilling.builder().clock(MutableBillingClock.at(MAR_1, ZoneOffset.UTC))
          .stores(JdbcStores.create(pool)).build();
      billing.freeMinutes().addGrants(BenchData.grants(MAR_1));
      String[] numbers = BenchData.numbers(BenchData.prefixes(), 1.0);
      measure(billing, numbers, counts.get(0), 5, "warmup", 1);
      for (int threads : counts) {
        double rate = measure(billing, numbers, threads, seconds, "run", 1);
        System.out.printf(Locale.ROOT, "PGCONSUME threads=%d calls_per_second=%.0f%n", threads, rate);
      }
      int batch = Integer.getInteger("bench.batch", 0);
      if (batch > 0) {
        measure(billing, numbers, 1, 5, "warmup-batch", batch);
        for (int threads : counts) {
          double rate = measure(billing, numbers, threads, seconds, "batch", batch);
          System.out.printf(Locale.ROOT, "PGCONSUME_BATCH threads=%d batch=%d calls_per_second=%.0f%n", threads, batch,
              rate);
        }
      }
    } finally {
      pool.dispose();
    }
  }

  /**
   * Calls per second of {@code threads} threads consuming new calls for {@code seconds}: one
   * {@code consume} (one transaction) per call when {@code batch} is 1, else {@code consumeAll} of
   * {@code batch} calls (one transaction per batch).
   */
  private static double measure(PackageBilling billing, String[] numbers, int threads, int seconds, String tag,
      int batch) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Long>> done = new ArrayList<>();
    long nanos = TimeUnit.SECONDS.toNanos(seconds);
    long[] began = new long[1];
    for (int t = 0; t < threads; t++) {
      String prefix = tag + "-" + threads + "-" + t + "-";
      int offset = t * 7919;
      done.add(pool.submit(() -> {
        start.await();
        List<UsageRecord> calls = new ArrayList<>(batch);
        long made = 0;
        while (System.nanoTime() - began[0] < nanos) {
          calls.clear();
          for (int b = 0; b < batch; b++) {
            long n = made++;
            int i = (int) ((n + offset) & (BenchData.NUMBERS - 1));
            calls.add(new UsageRecord(prefix + n, "c" + ((n + offset) % CUSTOMERS), Optional.empty(), numbers[i],
                MAR_1.plusSeconds(n % (30L * 86_400)), 1 + (n % 599)));
          }
          List<Consumption> consumed = batch == 1 ? List.of(billing.consume(calls.get(0)))
              : billing.freeMinutes().consumeAll(calls);
          for (Consumption consumption : consumed) {
            if (consumption.uncoveredSeconds() != 0 || consumption.takes().isEmpty()) {
              throw new IllegalStateException("call " + consumption.usageId() + " was not covered: " + consumption);
            }
          }
        }
        return made;
      }));
    }
    began[0] = System.nanoTime();
    start.countDown();
    long total = 0;
    for (Future<Long> f : done) {
      total += f.get();
    }
    double elapsed = (System.nanoTime() - began[0]) / 1e9;
    pool.shutdown();
    return total / elapsed;
  }
}
