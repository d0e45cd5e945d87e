package dev.allotment.bench;

import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunRequest;
import dev.allotment.engine.RunSummary;
import dev.allotment.jdbc.JdbcStores;
import dev.allotment.spi.MutableBillingClock;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL schema of JdbcChargeBench with its pool, stores, engine, package and
 * assignments; dropped on close. Not thread-safe.
 */
final class BenchSchema implements AutoCloseable {
  static final LocalDate START = LocalDate.of(2026, 2, 1);
  static final LocalDate FIRST_RUN = START;
  static final LocalDate STEADY_RUN = START.plusMonths(1);
  static final String PACKAGE = "monthly";
  static final int CUSTOMERS = 20_000;
  static final int MINUTES = 100;
  static final BigDecimal RETAIL = new BigDecimal("30.00");
  static final BigDecimal COST = new BigDecimal("12.00");

  /** The journal's columns the raw insert writes (all but the commit timestamp). */
  static final String LINE_COLUMNS = "assignment_id, kind, key_period_start, key_sequence, customer_id, did,"
      + " package_id, period_start, period_end, due_date, reach_date, quantity, currency, unit_price, unit_cost,"
      + " proration_days, proration_of_days, retail, cost, grant_seconds, grant_valid_until, auto_decrement";

  private final String url;
  private final int batchSize;
  private final int pageSize;
  final boolean isBundle;
  /** Whether the engine writes events (the library's default) or not ({@code events(false)}). */
  final boolean events;
  final int assignments;
  final String name;
  final PGSimpleDataSource admin;
  final JdbcConnectionPool pool;
  final PackageBilling billing;

  BenchSchema(String url, int batchSize, int pageSize, boolean isBundle, boolean events, int assignments,
      boolean report) throws SQLException {
    this.url = url;
    this.batchSize = batchSize;
    this.pageSize = pageSize;
    this.isBundle = isBundle;
    this.events = events;
    this.assignments = assignments;
    this.name = "allotment_bench_" + (isBundle ? "bundle_" : "plain_") + (events ? "" : "noevents_")
        + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    this.admin = new PGSimpleDataSource();
    admin.setUrl(url);
    execute(admin, "CREATE SCHEMA " + name);
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setUrl(url);
    pg.setCurrentSchema(name);
    this.pool = JdbcConnectionPool.create(pg);
    pool.setMaxConnections(4);
    boolean built = false;
    try {
      JdbcStores stores = JdbcStores.create(pool);
      this.billing = PackageBilling.builder().clock(MutableBillingClock.startOf(START, ZoneOffset.UTC))
          .stores(stores).batchSize(batchSize).pageSize(pageSize).events(events).build();
      ServicePackageBuilder pkg = ServicePackage.builder(PACKAGE).name("Monthly").currency("USD")
          .retail(RETAIL).cost(COST).frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1));
      if (isBundle) {
        pkg.types(PackageType.FREE_MINUTES);
      }
      billing.define(pkg.build());
      long loadStart = System.nanoTime();
      loadAssignments();
      if (report) {
        System.out.printf(Locale.ROOT, "set-up: %s schema (events %s), %,d assignments loaded in %.1f s%n",
            isBundle ? "bundle" : "plain", events ? "on" : "off", assignments, ChargeBenchReport.seconds(System.nanoTime() - loadStart));
      }
      built = true;
    } finally {
      if (!built) {
        close();
      }
    }
  }

  /** Lines per assignment and month. */
  int linesPerAssignment() {
    return isBundle ? 2 : 1;
  }

  /** Set-up, not measured: the assignments as plain rows, in batches. */
  private void loadAssignments() throws SQLException {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      // customer_hash as the store writes it (String.hashCode of the customer id, schema V10).
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO allotment_assignment (id,"
          + " customer_id, package_id, quantity, start_date, auto_decrement_credit, minutes, customer_hash)"
          + " VALUES (?, ?, ?, 1, ?, ?, ?, ?)")) {
        for (int i = 0; i < assignments; i++) {
          insert.setString(1, assignmentId(i));
          insert.setString(2, customerId(i));
          insert.setInt(7, customerId(i).hashCode());
          insert.setString(3, PACKAGE);
          insert.setDate(4, Date.valueOf(START));
          insert.setBoolean(5, isBundle);
          if (isBundle) {
            insert.setInt(6, MINUTES);
          } else {
            insert.setNull(6, java.sql.Types.INTEGER);
          }
          insert.addBatch();
          if ((i + 1) % 5000 == 0 || i + 1 == assignments) {
            insert.executeBatch();
          }
        }
      }
      connection.commit();
    }
  }

  /** One streaming CHARGE run that must charge every assignment's lines for the month. */
  PhaseMeasure charge(LocalDate date) {
    Map<LineStatus, long[]> seen = new EnumMap<>(LineStatus.class);
    long expected = (long) assignments * linesPerAssignment();
    long start = System.nanoTime();
    RunSummary summary = billing.run(RunRequest.of(date, RunMode.CHARGE),
        line -> seen.computeIfAbsent(line.status(), s -> new long[1])[0]++);
    long elapsed = System.nanoTime() - start;
    long charged = summary.count(LineStatus.CHARGED);
    if (charged != expected || seen.get(LineStatus.CHARGED)[0] != expected
        || summary.grants() != (isBundle ? assignments : 0)) {
      throw new IllegalStateException(name + ": CHARGE " + date + " expected " + expected + " lines charged and "
          + (isBundle ? assignments : 0) + " grants, got " + summary);
    }
    return new PhaseMeasure(assignments, charged, elapsed, -1, -1);
  }

  /** A second CHARGE for the steady date charges nothing. */
  void againChargesNothing() {
    RunSummary again = billing.run(RunRequest.of(STEADY_RUN, RunMode.CHARGE), line -> { });
    if (again.count(LineStatus.CHARGED) != 0
        || again.count(LineStatus.ALREADY_CHARGED) != (long) assignments * linesPerAssignment()) {
      throw new IllegalStateException(name + ": a second CHARGE for " + STEADY_RUN + " was not a no-op: " + again);
    }
  }

  /** A copy of the journal table for the raw inserts: same columns, defaults, keys, index and foreign key. */
  void createRawTable() throws SQLException {
    try (Connection connection = rawDataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE bench_raw_line (LIKE allotment_charge_line INCLUDING ALL)");
      statement.execute("ALTER TABLE bench_raw_line ADD CONSTRAINT bench_raw_line_package_fk"
          + " FOREIGN KEY (package_id) REFERENCES allotment_package (id)");
    }
  }

  PGSimpleDataSource rawDataSource() {
    PGSimpleDataSource rewriting = new PGSimpleDataSource();
    rewriting.setUrl(url);
    rewriting.setCurrentSchema(name);
    rewriting.setReWriteBatchedInserts(true);
    return rewriting;
  }

  /**
   * The rows the plain run for {@code date} journals, inserted with plain JDBC batches into the
   * copy table: what a writer that only inserts rows can do over one connection, one transaction
   * per batch.
   */
  PhaseMeasure rawInsert(Connection connection, LocalDate date) throws SQLException {
    connection.setAutoCommit(false);
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
        insert.setBigDecimal(p++, RETAIL);
        insert.setBigDecimal(p++, COST);
        insert.setLong(p++, 1);
        insert.setLong(p++, 1);
        insert.setBigDecimal(p++, RETAIL);
        insert.setBigDecimal(p++, COST);
        insert.setLong(p++, 0);
        insert.setNull(p++, java.sql.Types.DATE);
        insert.setBoolean(p, false);
        insert.addBatch();
        if ((i + 1) % batchSize == 0 || i + 1 == assignments) {
          insert.executeBatch();
          connection.commit();
        }
      }
    }
    return new PhaseMeasure(assignments, assignments, System.nanoTime() - start, -1, -1);
  }

  /** The checks of the schema's state after two months and a no-op third run. */
  void verify() throws SQLException {
    verifyEvents();
    long n = assignments;
    long lines = count("SELECT COUNT(*) FROM allotment_charge_line");
    long grants = count("SELECT COUNT(*) FROM allotment_free_minute_grant");
    long entries = count("SELECT COUNT(*) FROM allotment_credit_entry");
    long balances = count("SELECT COUNT(*) FROM allotment_credit_balance");
    if (!isBundle) {
      String journal = "SELECT " + LINE_COLUMNS + " FROM allotment_charge_line";
      String raw = "SELECT " + LINE_COLUMNS + " FROM bench_raw_line";
      long onlyJournal = count("SELECT COUNT(*) FROM (" + journal + " EXCEPT " + raw + ") d");
      long onlyRaw = count("SELECT COUNT(*) FROM (" + raw + " EXCEPT " + journal + ") d");
      if (lines != 2 * n || onlyJournal != 0 || onlyRaw != 0 || grants != 0 || entries != 0 || balances != 0) {
        throw new IllegalStateException("schema " + name + ": the journal holds " + lines + " lines (expected "
            + 2 * n + "), " + onlyJournal + " of them not in the raw table, and " + onlyRaw
            + " raw rows are not in the journal; " + grants + " grants, " + entries + " credit entries, "
            + balances + " balances (expected none)");
      }
      return;
    }
    long recurring = count("SELECT COUNT(*) FROM allotment_charge_line WHERE kind = 'RECURRING' AND auto_decrement"
        + " AND retail = " + RETAIL);
    long freeMinutes = count("SELECT COUNT(*) FROM allotment_charge_line WHERE kind = 'FREE_MINUTES'"
        + " AND grant_seconds = " + 60 * MINUTES);
    long grantAssignments = count("SELECT COUNT(DISTINCT assignment_id) FROM allotment_free_minute_grant"
        + " WHERE allocated_seconds = " + 60 * MINUTES + " AND used_seconds = 0 AND revoked_at IS NULL");
    long debits = count("SELECT COUNT(*) FROM allotment_credit_entry WHERE debit AND amount = " + RETAIL);
    // Every balance is minus the sum of its customer's entries, and minus 60.00 per assignment of the customer.
    long offEntries = count("SELECT COUNT(*) FROM allotment_credit_balance b FULL JOIN (SELECT customer_id,"
        + " currency, SUM(CASE WHEN debit THEN -amount ELSE amount END) AS total FROM allotment_credit_entry"
        + " GROUP BY customer_id, currency) e USING (customer_id, currency) WHERE b.balance IS DISTINCT FROM e.total");
    long offAssignments = count("SELECT COUNT(*) FROM allotment_credit_balance b FULL JOIN (SELECT customer_id,"
        + " -2 * " + RETAIL + " * COUNT(*) AS total FROM allotment_assignment GROUP BY customer_id) a"
        + " USING (customer_id) WHERE b.balance IS DISTINCT FROM a.total");
    if (lines != 4 * n || recurring != 2 * n || freeMinutes != 2 * n || grants != 2 * n || grantAssignments != n
        || entries != 2 * n || debits != 2 * n || offEntries != 0 || offAssignments != 0
        || balances != Math.min(n, CUSTOMERS)) {
      throw new IllegalStateException("schema " + name + ": after two months of " + n + " assignments: " + lines
          + " lines (" + recurring + " RECURRING, " + freeMinutes + " FREE_MINUTES), " + grants + " grants (of "
          + grantAssignments + " assignments), " + entries + " credit entries (" + debits + " debits of " + RETAIL
          + "), " + balances + " balances, " + offEntries + " of them not the sum of their entries and "
          + offAssignments + " not -60.00 per assignment");
    }
  }

  /**
   * With events: a LINE_CHARGED per line (two months), and in the bundle a GRANT_ISSUED per grant and
   * a CREDIT_POSTED per debit (the assignments were loaded as rows, so no ASSIGNMENT_CHANGED); without
   * events, none.
   */
  private void verifyEvents() throws SQLException {
    long n = assignments;
    long lines = countEvents("LINE_CHARGED");
    long grants = countEvents("GRANT_ISSUED");
    long postings = countEvents("CREDIT_POSTED");
    long all = count("SELECT COUNT(*) FROM allotment_event")
        + count("SELECT COALESCE(SUM(last_cursor - first_cursor + 1), 0) FROM allotment_event_page");
    long expectedLines = events ? 2L * linesPerAssignment() * n : 0;
    long expectedGrants = events && isBundle ? 2 * n : 0;
    if (lines != expectedLines || grants != expectedGrants || postings != expectedGrants
        || all != expectedLines + 2 * expectedGrants) {
      throw new IllegalStateException("schema " + name + " (events " + (events ? "on" : "off") + "): " + all
          + " events, " + lines + " LINE_CHARGED (expected " + expectedLines + "), " + grants + " GRANT_ISSUED and "
          + postings + " CREDIT_POSTED (expected " + expectedGrants + " each)");
    }
  }

  private long count(String sql) throws SQLException {
    return count(pool, sql);
  }

  /** The events of a type, as rows and in event pages (one event per line of a page, its type first). */
  private long countEvents(String type) throws SQLException {
    return count("SELECT COUNT(*) FROM allotment_event WHERE event_type = '" + type + "'")
        + count("SELECT COUNT(*) FROM allotment_event_page, regexp_split_to_table(events, E'\\n') AS e"
            + " WHERE e LIKE '" + type + "' || E'\\t%'");
  }

  /** The schema's tables, for {@code VACUUM}. */
  List<String> tables() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection connection = admin.getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY tablename")) {
      statement.setString(1, name);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          tables.add(name + "." + rs.getString(1));
        }
      }
    }
    return tables;
  }

  @Override
  public void close() throws SQLException {
    if (pool != null) {
      pool.dispose();
    }
    execute(admin, "DROP SCHEMA " + name + " CASCADE");
  }

  static String assignmentId(int i) {
    return String.format(Locale.ROOT, "a%07d", i);
  }

  static String customerId(int i) {
    return "c" + (i % CUSTOMERS);
  }

  private static long count(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
