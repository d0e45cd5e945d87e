package dev.allotment.bench;

import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineStatus;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunRequest;
import dev.allotment.engine.RunSummary;
import dev.allotment.jdbc.JdbcStores;
import dev.allotment.spi.MutableBillingClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The JDBC CHARGE benchmark: one CHARGE run of {@code n} monthly assignments on PostgreSQL with
 * {@link PackageBilling} over {@link JdbcStores}, against a raw batched INSERT of the same journal
 * rows measured in the same process. See {@code bench/README.md} for how to run it and the figures.
 *
 * <p>A one-shot harness rather than a JMH benchmark: the quantity measured is a single run of
 * 100,000 assignments (seconds long, so timer resolution and per-call overhead do not matter), its
 * set-up (a fresh schema and 100,000 assignments) costs more than the run itself and would have to
 * be redone before every JMH invocation, and the memory target is about the whole run completing in
 * a JVM started with {@code -Xmx256m}, which is a property of one process, not of an iteration. JIT
 * warm-up is done by a smaller round on a schema of its own first ({@code bench.warmup}).
 *
 * <p>Each round, on a fresh schema:
 * <ol>
 *   <li>{@code n} assignments of one package, monthly on the 1st, starting 2026-02-01, written with
 *       plain batched inserts (set-up, not measured);
 *   <li><b>raw insert, first month</b>: the rows the next run will journal, into an empty copy of the
 *       journal table ({@code LIKE ... INCLUDING ALL}: same columns, defaults, primary key and index,
 *       plus the same foreign key), with {@code PreparedStatement.addBatch} over a connection with
 *       {@code reWriteBatchedInserts=true}, one transaction per {@code batchSize} rows;
 *   <li><b>first run</b>: CHARGE for 2026-02-01 with an empty journal: one RECURRING line each;
 *   <li><b>raw insert, second month</b>: the rows of the next run into the same copy table, which now
 *       holds the first month as the journal does;
 *   <li><b>steady run</b>: CHARGE for 2026-03-01, one RECURRING line each, planned from the history
 *       the first run left (the monthly run of a system in service);
 *   <li>checks: the journal holds exactly the rows of the copy table, column for column, and a second
 *       CHARGE for 2026-03-01 charges nothing.
 * </ol>
 * Each run is compared with the raw insert into a table in the same state (empty, then holding one
 * month), made just before it; between phases, {@code VACUUM ANALYZE} and {@code CHECKPOINT} keep
 * one phase's maintenance out of the next one's time. Runs use the streaming
 * {@link PackageBilling#run(RunRequest, java.util.function.Consumer)}, whose sink only counts, so
 * memory stays at two pages (one committed, one read ahead) however many assignments there are.
 *
 * <p>Settings (system properties): {@code allotment.pg.url} (or {@code ALLOTMENT_PG_URL}), a JDBC URL
 * with credentials, required; {@code bench.assignments} (100000); {@code bench.batchSize} (500);
 * {@code bench.pageSize} (1000); {@code bench.autoDecrement} (false: true debits every line's credit
 * too); {@code bench.warmup} (10000 assignments, 0 for none). The DataSource is a small connection
 * pool (H2's {@link JdbcConnectionPool}, already on the class path through {@code allotment-jdbc},
 * over pgjdbc's {@link PGConnectionPoolDataSource}), as a host would configure one; the URL needs
 * no options for the engine.
 *
 * <p>Not thread-safe; a program, run once.
 */
public final class JdbcChargeBench {
  private static final LocalDate START = LocalDate.of(2026, 2, 1);
  private static final LocalDate FIRST_RUN = START;
  private static final LocalDate STEADY_RUN = START.plusMonths(1);
  private static final String PACKAGE = "monthly";
  private static final int CUSTOMERS = 20_000;

  /** The journal's columns the raw insert writes (all but the commit timestamp). */
  private static final String LINE_COLUMNS = "assignment_id, kind, key_period_start, key_sequence, customer_id, did,"
      + " package_id, period_start, period_end, due_date, reach_date, quantity, currency, unit_price, unit_cost,"
      + " proration_days, proration_of_days, retail, cost, grant_seconds, grant_valid_until, auto_decrement";

  private final String url;
  private final int batchSize;
  private final int pageSize;
  private final boolean autoDecrement;
  private boolean checkpointRefused;

  private JdbcChargeBench(String url, int batchSize, int pageSize, boolean autoDecrement) {
    this.url = url;
    this.batchSize = batchSize;
    this.pageSize = pageSize;
    this.autoDecrement = autoDecrement;
  }

  public static void main(String[] args) throws Exception {
    String url = setting("allotment.pg.url");
    if (url == null) {
      System.err.println("JdbcChargeBench: no PostgreSQL; set -Dallotment.pg.url=jdbc:postgresql://... (or"
          + " ALLOTMENT_PG_URL), or run bench/run-jdbc-bench, which starts one");
      System.exit(2);
    }
    int assignments = Integer.getInteger("bench.assignments", 100_000);
    int warmup = Integer.getInteger("bench.warmup", 10_000);
    JdbcChargeBench bench = new JdbcChargeBench(url, Integer.getInteger("bench.batchSize", 500),
        Integer.getInteger("bench.pageSize", 1000), Boolean.getBoolean("bench.autoDecrement"));
    System.out.printf(Locale.ROOT, "JdbcChargeBench: JDK %s, max heap %d MiB, %d CPUs, batch %d, page %d,"
        + " autoDecrement %s%n", System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(), bench.batchSize, bench.pageSize, bench.autoDecrement);
    if (warmup > 0) {
      bench.round(warmup, false);
    }
    Result result = bench.round(assignments, true);
    System.out.printf(Locale.ROOT, "RESULT assignments=%d first=%.0f raw_first=%.0f ratio_first=%.2f steady=%.0f"
        + " raw_steady=%.0f ratio_steady=%.2f peak_heap_mib=%d max_heap_mib=%d%n", assignments, result.first,
        result.rawFirst, result.first / result.rawFirst, result.steady, result.rawSteady,
        result.steady / result.rawSteady, peakHeapUsed() >> 20, Runtime.getRuntime().maxMemory() >> 20);
  }

  private record Result(double first, double rawFirst, double steady, double rawSteady) {}

  private Result round(int assignments, boolean report) throws SQLException {
    String schema = "allotment_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setUrl(url);
    execute(admin, "CREATE SCHEMA " + schema);
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setUrl(url);
    pg.setCurrentSchema(schema);
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    pool.setMaxConnections(4);
    try {
      JdbcStores stores = JdbcStores.create(pool);
      PackageBilling billing = PackageBilling.builder().clock(MutableBillingClock.startOf(START, ZoneOffset.UTC))
          .stores(stores).batchSize(batchSize).pageSize(pageSize).build();
      billing.define(ServicePackage.builder(PACKAGE).name("Monthly").currency("USD").retail("30.00").cost("12.00")
          .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).build());
      long loadStart = System.nanoTime();
      loadAssignments(pool, assignments);
      if (report) {
        System.out.printf(Locale.ROOT, "set-up: %d assignments loaded in %.1f s%n", assignments,
            seconds(System.nanoTime() - loadStart));
      }

      createRawTable(schema);
      settle(schema);
      double rawFirst = rawInsert(schema, FIRST_RUN, assignments, "batched INSERT, empty table:", report);
      settle(schema);
      double first = charge(billing, FIRST_RUN, assignments, "first run (empty journal):", report);
      settle(schema);
      double rawSteady = rawInsert(schema, STEADY_RUN, assignments, "batched INSERT, one month held:", report);
      settle(schema);
      double steady = charge(billing, STEADY_RUN, assignments, "steady run (one month held):", report);

      verify(pool, schema, assignments);
      RunSummary again = billing.run(RunRequest.of(STEADY_RUN, RunMode.CHARGE), line -> { });
      if (again.count(LineStatus.CHARGED) != 0 || again.count(LineStatus.ALREADY_CHARGED) != assignments) {
        throw new IllegalStateException("a second CHARGE for " + STEADY_RUN + " was not a no-op: " + again);
      }
      if (report) {
        System.out.printf(Locale.ROOT, "checks: the journal holds exactly the raw rows; a second CHARGE charged 0%n");
        System.out.printf(Locale.ROOT, "ratio engine/raw: first run %.2f, steady run %.2f%n", first / rawFirst,
            steady / rawSteady);
      }
      return new Result(first, rawFirst, steady, rawSteady);
    } finally {
      pool.dispose();
      execute(admin, "DROP SCHEMA " + schema + " CASCADE");
    }
  }

  /** One streaming CHARGE run that must charge exactly one line per assignment; returns its lines/s. */
  private static double charge(PackageBilling billing, LocalDate date, int assignments, String what, boolean report) {
    Map<LineStatus, long[]> seen = new EnumMap<>(LineStatus.class);
    long start = System.nanoTime();
    RunSummary summary = billing.run(RunRequest.of(date, RunMode.CHARGE),
        line -> seen.computeIfAbsent(line.status(), s -> new long[1])[0]++);
    long elapsed = System.nanoTime() - start;
    long charged = summary.count(LineStatus.CHARGED);
    if (charged != assignments || seen.get(LineStatus.CHARGED)[0] != assignments) {
      throw new IllegalStateException(what + ": expected " + assignments + " lines charged, got " + summary);
    }
    double rate = charged / seconds(elapsed);
    if (report) {
      System.out.printf(Locale.ROOT, "engine %-36s %,9d lines in %6.2f s = %,9.0f lines/s%n", what, charged,
          seconds(elapsed), rate);
    }
    return rate;
  }

  /** A copy of the journal table for the raw inserts: same columns, defaults, keys, index and foreign key. */
  private void createRawTable(String schema) throws SQLException {
    try (Connection connection = rawDataSource(schema).getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE bench_raw_line (LIKE allotment_charge_line INCLUDING ALL)");
      statement.execute("ALTER TABLE bench_raw_line ADD CONSTRAINT bench_raw_line_package_fk"
          + " FOREIGN KEY (package_id) REFERENCES allotment_package (id)");
    }
  }

  private PGSimpleDataSource rawDataSource(String schema) {
    PGSimpleDataSource rewriting = new PGSimpleDataSource();
    rewriting.setUrl(url);
    rewriting.setCurrentSchema(schema);
    rewriting.setReWriteBatchedInserts(true);
    return rewriting;
  }

  /**
   * The rows a run for {@code date} journals, inserted with plain JDBC batches into the copy table:
   * what a writer that only inserts rows can do over one connection, one transaction per batch.
   */
  private double rawInsert(String schema, LocalDate date, int assignments, String what, boolean report)
      throws SQLException {
    try (Connection connection = rawDataSource(schema).getConnection()) {
      connection.setAutoCommit(false);
      BigDecimal price = new BigDecimal("30.00");
      BigDecimal cost = new BigDecimal("12.00");
      Date keyStart = Date.valueOf(date);
      Date periodEnd = Date.valueOf(date.plusMonths(1));
      long start = System.nanoTime();
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_raw_line (" + LINE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < assignments; i++) {
          int p = 1;
          insert.setString(p++, assignmentId(i));
          insert.setString(p++, "RECURRING");
          insert.setDate(p++, keyStart);
          insert.setInt(p++, 0);
          insert.setString(p++, customerId(i));
          insert.setNull(p++, java.sql.Types.VARCHAR);
          insert.setString(p++, PACKAGE);
          insert.setDate(p++, keyStart);
          insert.setDate(p++, periodEnd);
          insert.setDate(p++, keyStart);
          insert.setDate(p++, periodEnd);
          insert.setInt(p++, 1);
          insert.setString(p++, "USD");
          insert.setBigDecimal(p++, price);
          insert.setBigDecimal(p++, cost);
          insert.setLong(p++, 1);
          insert.setLong(p++, 1);
          insert.setBigDecimal(p++, price);
          insert.setBigDecimal(p++, cost);
          insert.setLong(p++, 0);
          insert.setNull(p++, java.sql.Types.DATE);
          insert.setBoolean(p, autoDecrement);
          insert.addBatch();
          if ((i + 1) % batchSize == 0 || i + 1 == assignments) {
            insert.executeBatch();
            connection.commit();
          }
        }
      }
      long elapsed = System.nanoTime() - start;
      double rate = assignments / seconds(elapsed);
      if (report) {
        System.out.printf(Locale.ROOT, "raw    %-36s %,9d rows  in %6.2f s = %,9.0f rows/s%n", what, assignments,
            seconds(elapsed), rate);
      }
      return rate;
    }
  }

  /**
   * Between measured phases: vacuum and analyze what the last phase wrote, and checkpoint, so the
   * maintenance one phase causes (autovacuum after 100,000 inserts, dirty buffers of a 32 MB pool)
   * does not land in the next one's time.
   */
  private void settle(String schema) throws SQLException {
    try (Connection connection = rawDataSource(schema).getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("VACUUM ANALYZE allotment_assignment, allotment_charge_line, allotment_watermark,"
          + " bench_raw_line");
      try {
        statement.execute("CHECKPOINT");
      } catch (SQLException e) {
        // Needs superuser (or pg_checkpoint); a shared server given by URL may refuse, which only adds noise.
        if (!checkpointRefused) {
          System.out.println("note: CHECKPOINT refused (" + e.getMessage() + "); phases are not separated by one");
          checkpointRefused = true;
        }
      }
    }
  }

  /** The journal holds two lines per assignment, exactly the rows of the copy table. */
  private static void verify(DataSource dataSource, String schema, int assignments) throws SQLException {
    String journal = "SELECT " + LINE_COLUMNS + " FROM allotment_charge_line";
    String raw = "SELECT " + LINE_COLUMNS + " FROM bench_raw_line";
    long lines = count(dataSource, "SELECT COUNT(*) FROM allotment_charge_line");
    long onlyJournal = count(dataSource, "SELECT COUNT(*) FROM (" + journal + " EXCEPT " + raw + ") d");
    long onlyRaw = count(dataSource, "SELECT COUNT(*) FROM (" + raw + " EXCEPT " + journal + ") d");
    if (lines != 2L * assignments || onlyJournal != 0 || onlyRaw != 0) {
      throw new IllegalStateException("schema " + schema + ": the journal holds " + lines + " lines (expected "
          + 2L * assignments + "), " + onlyJournal + " of them not in the raw table, and " + onlyRaw
          + " raw rows are not in the journal");
    }
  }

  /** Set-up, not measured: the assignments as plain rows, in batches. */
  private void loadAssignments(DataSource dataSource, int assignments) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO allotment_assignment (id, customer_id,"
          + " package_id, quantity, start_date, auto_decrement_credit) VALUES (?, ?, ?, 1, ?, ?)")) {
        for (int i = 0; i < assignments; i++) {
          insert.setString(1, assignmentId(i));
          insert.setString(2, customerId(i));
          insert.setString(3, PACKAGE);
          insert.setDate(4, Date.valueOf(START));
          insert.setBoolean(5, autoDecrement);
          insert.addBatch();
          if ((i + 1) % 5000 == 0 || i + 1 == assignments) {
            insert.executeBatch();
          }
        }
      }
      connection.commit();
      try (Statement statement = connection.createStatement()) {
        statement.execute("ANALYZE");
      }
      connection.commit();
    }
  }

  private static String assignmentId(int i) {
    return String.format(Locale.ROOT, "a%07d", i);
  }

  private static String customerId(int i) {
    return "c" + (i % CUSTOMERS);
  }

  private static long count(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The sum of the heap pools' peak usage: an upper bound of the heap the process ever used. */
  private static long peakHeapUsed() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  private static double seconds(long nanos) {
    return nanos / (double) TimeUnit.SECONDS.toNanos(1);
  }

  private static String setting(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return value == null || value.isBlank() ? null : value.strip();
  }
}
