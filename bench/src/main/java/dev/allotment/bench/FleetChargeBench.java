package dev.allotment.bench;

import dev.allotment.core.LineStatus;
import dev.allotment.engine.FleetRun;
import dev.allotment.engine.FleetSummary;
import dev.allotment.engine.PackageBilling;
import dev.allotment.jdbc.JdbcStores;
import dev.allotment.spi.MutableBillingClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The fleet CHARGE harness ({@code bench/run-fleet-bench}): the plain scenario of
 * {@link JdbcChargeBench} ({@code bench.assignments} monthly assignments, one line each) charged as
 * one fleet run by 1, 2 and 4 engines ({@code bench.engines}), each a thread of this JVM with its
 * own stores and pool of 4 connections, as separate hosts would have, on one PostgreSQL; and, for
 * reference, the same CHARGE as one plain run. Each measurement is on a fresh schema, after an
 * unreported warm-up round. Prints assignments/s and the ratio to one engine, and checks that the
 * engines together charged every line once and the run is done.
 *
 * <p>System properties: {@code allotment.pg.url} (required), {@code bench.assignments} (100000),
 * {@code bench.engines} (1,2,4), {@code bench.partitions} ({@value FleetRun#DEFAULT_PARTITIONS}),
 * {@code bench.batchSize} (500), {@code bench.pageSize} (1000), {@code bench.warmup} (20000).
 */
public final class FleetChargeBench {
  private FleetChargeBench() {}

  public static void main(String[] args) throws Exception {
    String url = System.getProperty("allotment.pg.url");
    if (url == null) {
      throw new IllegalArgumentException("allotment.pg.url (a PostgreSQL JDBC URL with credentials) is required");
    }
    int assignments = Integer.getInteger("bench.assignments", 100_000);
    int partitions = Integer.getInteger("bench.partitions", FleetRun.DEFAULT_PARTITIONS);
    int batchSize = Integer.getInteger("bench.batchSize", 500);
    int pageSize = Integer.getInteger("bench.pageSize", 1000);
    int warmup = Integer.getInteger("bench.warmup", 20_000);
    List<Integer> engines = new ArrayList<>();
    for (String n : System.getProperty("bench.engines", "1,2,4").split(",")) {
      engines.add(Integer.parseInt(n.trim()));
    }
    System.out.printf(Locale.ROOT, "fleet CHARGE: java %s, %d processors, %,d assignments, %d partitions, batch %d,"
        + " page %d%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), assignments,
        partitions, batchSize, pageSize);
    if (warmup > 0) {
      fleet(url, warmup, 2, partitions, batchSize, pageSize);
    }
    try (BenchSchema schema = new BenchSchema(url, batchSize, pageSize, false, true, assignments, false)) {
      settle(schema);
      PhaseMeasure plain = schema.charge(BenchSchema.FIRST_RUN);
      System.out.printf(Locale.ROOT, "%-24s %6.2f s = %,9.0f assignments/s%n", "one plain run (no fleet)",
          ChargeBenchReport.seconds(plain.nanos()), plain.assignmentsPerSecond());
    }
    double one = 0;
    for (int n : engines) {
      double perSecond = fleet(url, assignments, n, partitions, batchSize, pageSize);
      if (one == 0) {
        one = perSecond;
      }
      System.out.printf(Locale.ROOT, "%-24s %,9.0f assignments/s, %.2f x the first%n", "fleet of " + n
          + (n == 1 ? " engine" : " engines"), perSecond, perSecond / one);
    }
  }

  /** One fleet CHARGE of a fresh schema by {@code engines} threads; its assignments/s. */
  private static double fleet(String url, int assignments, int engines, int partitions, int batchSize, int pageSize)
      throws Exception {
    try (BenchSchema schema = new BenchSchema(url, batchSize, pageSize, false, true, assignments, false)) {
      settle(schema);
      List<JdbcConnectionPool> pools = new ArrayList<>();
      List<PackageBilling> billings = new ArrayList<>();
      for (int i = 0; i < engines; i++) {
        PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
        pg.setUrl(url);
        pg.setCurrentSchema(schema.name);
        JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
        pool.setMaxConnections(4);
        pools.add(pool);
        billings.add(PackageBilling.builder().clock(MutableBillingClock.startOf(BenchSchema.START, ZoneOffset.UTC))
            .stores(JdbcStores.builder(pool).migrateOnStart(false).build()).batchSize(batchSize).pageSize(pageSize)
            .build());
      }
      ExecutorService threads = Executors.newFixedThreadPool(engines);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<FleetSummary>> results = new ArrayList<>();
        for (int i = 0; i < engines; i++) {
          PackageBilling billing = billings.get(i);
          FleetRun run = FleetRun.of(BenchSchema.FIRST_RUN, "engine-" + i).withPartitions(partitions);
          results.add(threads.submit(() -> {
            start.await();
            return billing.runFleet(run);
          }));
        }
        long began = System.nanoTime();
        start.countDown();
        long charged = 0;
        for (Future<FleetSummary> result : results) {
          charged += result.get().charged().count(LineStatus.CHARGED);
        }
        long elapsed = System.nanoTime() - began;
        // An engine that found nothing left to claim while another finished the last partition said
        // "not done"; once every engine is back, the run must be.
        PackageBilling first = billings.get(0);
        boolean done = first.stores().runLeases().orElseThrow()
            .status("charge-" + BenchSchema.FIRST_RUN, first.clock().now()).complete();
        if (!done || charged != assignments) {
          throw new IllegalStateException("a fleet of " + engines + " charged " + charged + " lines of " + assignments
              + ", done " + done);
        }
        return assignments / ChargeBenchReport.seconds(elapsed);
      } finally {
        threads.shutdown();
        pools.forEach(JdbcConnectionPool::dispose);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * As {@link JdbcChargeBench} does before each phase: statistics for the freshly loaded tables (without
   * them the page query scans and sorts the whole table until autovacuum comes by, mid-measurement)
   * and a checkpoint, so no round pays for the previous one's writes.
   */
  private static void settle(BenchSchema schema) throws SQLException {
    try (Connection connection = schema.admin.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("VACUUM ANALYZE " + String.join(", ", schema.tables()));
      try {
        statement.execute("CHECKPOINT");
      } catch (SQLException e) {
        // Needs superuser (or pg_checkpoint): without it, rounds are only less separated.
      }
    }
  }
}
