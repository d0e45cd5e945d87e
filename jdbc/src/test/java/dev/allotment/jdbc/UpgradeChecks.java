package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Money;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Proration;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.EventType;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.StoredEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A database a V3 node left after charging January and February and crashing part-way through
 * March, upgraded to V4: every row is kept (pending lines in the archive), the side effects of the
 * pending lines the journal does not hold are undone exactly (credit entries under their keys and
 * correction keys, with the balances moved back; grants deleted, or revoked when calls took from
 * them), balances equal credits minus debits, and the stores then work on it.
 *
 * <p>The V3 database is built by the V1..V3 scripts alone and filled with plain SQL, as the V3
 * stores (which no longer exist) would have filled it.
 */
abstract class UpgradeChecks {
  static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
  static final Currency USD = Currency.getInstance("USD");
  /** Keys of the pending lines the journal does not hold, whose effects the upgrade undoes. */
  static final Set<String> UNDONE = Set.of("a1/RECURRING/2026-03-01", "a2/RECURRING/2026-03-01",
      "a2/FREE_MINUTES/2026-03-01", "a3/RECURRING/2026-03-01", "a4/FREE_MINUTES/2026-03-01");
  /** The pending line the journal holds (a leftover row of a commit racing its intent). */
  static final String COMMITTED = "a1/RECURRING/2026-02-01";
  /** Entries of the undone lines: a debit and its correction, and a plain debit. */
  static final Set<String> UNDONE_ENTRIES = Set.of("a1/RECURRING/2026-03-01", "a1/RECURRING/2026-03-01~1",
      "a2/RECURRING/2026-03-01");

  /** The tables of schema versions 8 to 10: all but V11's. */
  static final List<String> TABLES_BEFORE_V11 = Migrations.TABLES.stream()
      .filter(t -> !t.equals(EventPages.TABLE)).toList();
  /** The tables of schema versions 5 to 7: all but V8's and V11's. */
  static final List<String> TABLES_BEFORE_V8 = TABLES_BEFORE_V11.stream()
      .filter(t -> !t.equals(JdbcRunLeases.TABLE)).toList();

  abstract TestDatabase db();

  static LineSubject subject(String assignmentId, String customerId, String packageId, boolean auto) {
    return new LineSubject(assignmentId, customerId, Optional.empty(), packageId, 1, auto);
  }

  static BillingPeriod month(LocalDate start) {
    return new BillingPeriod(start, start.plusMonths(1));
  }

  static ChargeLine recurring(String id, String customer, String pkg, boolean auto, LocalDate start, String retail,
      String cost) {
    return ChargeLine.recurring(subject(id, customer, pkg, auto), month(start), Money.of(retail, "USD"),
        Money.of(cost, "USD"), Proration.WHOLE);
  }

  static ChargeLine minutes(String id, String customer, boolean auto, LocalDate start) {
    return ChargeLine.freeMinutes(subject(id, customer, "fm", auto), month(start),
        USD, Proration.WHOLE, 600, Optional.of(start.plusMonths(1)));
  }

  static Grant grant(ChargeLine line) {
    return Grant.builder(line.key().toString()).assignmentId(line.assignmentId()).customerId(line.customerId())
        .allocatedSeconds(line.grantSeconds()).validFrom(line.period().start().atStartOfDay(ZoneOffset.UTC).toInstant())
        .validUntil(line.grantValidUntil().orElseThrow().atStartOfDay(ZoneOffset.UTC).toInstant()).build();
  }

  /** The assignments of the scenario: a1 (auto), a2 (free minutes, auto), a3, and a4 (free minutes from March). */
  static List<Assignment> assignments() {
    return List.of(
        Assignment.builder("a1").customerId("c1").packageId("p1").startDate(JAN_1).autoDecrementCredit(true).build(),
        Assignment.builder("a2").customerId("c2").packageId("fm").startDate(JAN_1).minutes(10)
            .autoDecrementCredit(true).build(),
        Assignment.builder("a3").customerId("c3").packageId("p1").startDate(JAN_1).build(),
        Assignment.builder("a4").customerId("c2").packageId("fm").startDate(MAR_1).minutes(10).build());
  }

  /**
   * A fresh database at schema V3, filled as a V3 node left it: January and February charged (one
   * debit in two parts, under its key and its correction key), calls taken from February's grant,
   * then the March attempt crashed with its lines pending: some with debits, a grant that a call
   * already took from, a grant nobody used, and a leftover pending row of a journaled line.
   */
  static DataSource v3Database(TestDatabase db) throws SQLException {
    DataSource ds = db.freshDataSource();
    Dialect dialect = db.dialect();
    assertEquals(3, new Migrations(new Database(ds, dialect)).migrate(3));
    for (var p : ContractFixtures.contractPackages()) {
      definePackageBeforeV5(ds, p);
    }
    List<ChargeLine> journal = new ArrayList<>();
    for (LocalDate month : List.of(JAN_1, JAN_1.plusMonths(1))) {
      journal.add(recurring("a1", "c1", "p1", true, month, "10.00", "1.00"));
      journal.add(recurring("a2", "c2", "fm", true, month, "5.00", "0.00"));
      journal.add(minutes("a2", "c2", true, month));
      journal.add(recurring("a3", "c3", "p1", false, month, "10.00", "1.00"));
    }
    List<ChargeLine> pending = List.of(recurring("a1", "c1", "p1", true, MAR_1, "10.00", "1.00"),
        recurring("a2", "c2", "fm", true, MAR_1, "5.00", "0.00"), minutes("a2", "c2", true, MAR_1),
        recurring("a3", "c3", "p1", false, MAR_1, "10.00", "1.00"), minutes("a4", "c2", false, MAR_1),
        journal.get(4));
    try (Connection connection = ds.getConnection()) {
      for (Assignment a : assignments()) {
        insert(connection, JdbcAssignmentStore.TABLE, ASSIGNMENT_COLUMNS_BEFORE_V6, assignmentRow(a));
      }
      for (ChargeLine line : journal) {
        insert(connection, JdbcChargeJournal.LINES, JdbcChargeJournal.COLUMNS, JdbcChargeJournal.row(line));
      }
      for (ChargeLine line : pending) {
        insert(connection, PendingLineResolution.PENDING, JdbcChargeJournal.COLUMNS, JdbcChargeJournal.row(line));
      }
      for (String id : List.of("a1", "a2", "a3")) {
        insert(connection, JdbcChargeJournal.WATERMARKS, JdbcChargeJournal.WATERMARK_COLUMNS,
            new Object[] {id, JAN_1.plusMonths(1)});
      }
      for (ChargeLine line : List.of(journal.get(2), journal.get(6), pending.get(2), pending.get(4))) {
        insert(connection, FreeMinuteSql.GRANTS, GRANT_COLUMNS_BEFORE_V5,
            Arrays.copyOf(FreeMinuteSql.row(grant(line)), GRANT_COLUMNS_BEFORE_V5.size()));
      }
      Statement statement = connection.createStatement();
      // February's grant served a call of 120 s, March's one of 60 s before the crash.
      statement.execute("INSERT INTO allotment_free_minute_usage (usage_id, customer_id, dialed_number, call_start,"
          + " duration_seconds, rounded_seconds) VALUES ('u1', 'c2', '4420', TIMESTAMP WITH TIME ZONE"
          + " '2026-02-10 12:00:00+00', 120, 120), ('u2', 'c2', '4420', TIMESTAMP WITH TIME ZONE"
          + " '2026-03-01 12:00:00+00', 60, 60)");
      statement.execute("INSERT INTO allotment_free_minute_take (usage_id, take_order, grant_id, seconds) VALUES"
          + " ('u1', 0, 'a2/FREE_MINUTES/2026-02-01', 120), ('u2', 0, 'a2/FREE_MINUTES/2026-03-01', 60)");
      statement.execute("UPDATE allotment_free_minute_grant SET used_seconds = 120 WHERE id = 'a2/FREE_MINUTES/2026-02-01'");
      statement.execute("UPDATE allotment_free_minute_grant SET used_seconds = 60 WHERE id = 'a2/FREE_MINUTES/2026-03-01'");
      statement.close();
      // Entries: top-ups, January's debits, February's a1 debit of 8.00 corrected by 2.00 (the price
      // changed between two attempts), March's a1 debit of 11.50 corrected by a credit of 1.50, and a
      // host's credit whose key merely starts like a correction key.
      Object[][] entries = {
          {"top-c1", "c1", false, "100.00"}, {"top-c2", "c2", false, "20.00"},
          {"a1/RECURRING/2026-01-01", "c1", true, "10.00"}, {"a2/RECURRING/2026-01-01", "c2", true, "5.00"},
          {"a1/RECURRING/2026-02-01", "c1", true, "8.00"}, {"a1/RECURRING/2026-02-01~1", "c1", true, "2.00"},
          {"a2/RECURRING/2026-02-01", "c2", true, "5.00"},
          {"a1/RECURRING/2026-03-01", "c1", true, "11.50"}, {"a1/RECURRING/2026-03-01~1", "c1", false, "1.50"},
          {"a1/RECURRING/2026-03-01~x", "c1", false, "0.25"}, {"a2/RECURRING/2026-03-01", "c2", true, "5.00"}};
      Map<String, BigDecimal> balances = new TreeMap<>();
      for (Object[] e : entries) {
        BigDecimal amount = new BigDecimal((String) e[3]);
        insert(connection, JdbcCreditLedger.ENTRIES, JdbcCreditLedger.ENTRY_COLUMNS,
            new Object[] {e[0], e[1], e[2], "USD", amount});
        balances.merge((String) e[1], (Boolean) e[2] ? amount.negate() : amount, BigDecimal::add);
      }
      for (Map.Entry<String, BigDecimal> balance : balances.entrySet()) {
        insert(connection, JdbcCreditLedger.BALANCES, JdbcCreditLedger.BALANCE_COLUMNS,
            new Object[] {balance.getKey(), "USD", balance.getValue()});
      }
    }
    return ds;
  }

  /**
   * The assignment columns before V7 added suspensions, the predecessor and the schedule anchor (the
   * four before V10's customer hash, the last).
   */
  static final List<Sql.Column> ASSIGNMENT_COLUMNS_BEFORE_V7 =
      JdbcAssignmentStore.COLUMNS.subList(0, JdbcAssignmentStore.COLUMNS.size() - 5);

  /** The assignment columns before V6 added the four own prices (the last before V7's). */
  static final List<Sql.Column> ASSIGNMENT_COLUMNS_BEFORE_V6 =
      ASSIGNMENT_COLUMNS_BEFORE_V7.subList(0, ASSIGNMENT_COLUMNS_BEFORE_V7.size() - 4);

  /** The grant columns before V5 added {@code low_balance_percent} (the last). */
  static final List<Sql.Column> GRANT_COLUMNS_BEFORE_V5 =
      FreeMinuteSql.GRANT_COLUMNS.subList(0, FreeMinuteSql.GRANT_COLUMNS.size() - 1);

  /** Defines a package in a database older than V5, whose catalog lacks V5's two columns (the last). */
  static void definePackageBeforeV5(DataSource ds, ServicePackage p) throws SQLException {
    List<Sql.Column> columns = JdbcPackageCatalog.COLUMNS.subList(0, JdbcPackageCatalog.COLUMNS.size() - 2);
    try (Connection connection = ds.getConnection()) {
      insert(connection, JdbcPackageCatalog.TABLE, columns, Arrays.copyOf(JdbcPackageCatalog.row(p), columns.size()));
    }
  }

  private static Object[] assignmentRow(Assignment a) {
    return new Object[] {a.id(), a.customerId(), null, a.packageId(), a.quantity(), a.startDate(), null,
        a.autoDecrementCredit(), a.minutes().isPresent() ? a.minutes().getAsInt() : null, null};
  }

  private static void insert(Connection connection, String table, List<Sql.Column> columns, Object[] row)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (" + Sql.names(columns)
        + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)")) {
      Sql.bind(statement, columns, row);
      statement.executeUpdate();
    }
  }

  static List<String> rows(DataSource ds, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = ds.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** Per customer and currency, the balance row and the sum of the entries: equal when the ledger is consistent. */
  static void assertBalancesAreCreditsMinusDebits(DataSource ds) throws SQLException {
    Map<String, BigDecimal> sums = new TreeMap<>();
    for (String row : rows(ds, "SELECT customer_id, currency, debit, amount FROM " + JdbcCreditLedger.ENTRIES)) {
      String[] f = row.split("\\|");
      BigDecimal amount = new BigDecimal(f[3]);
      sums.merge(f[0] + " " + f[1].trim(), Boolean.parseBoolean(f[2]) || f[2].equals("t") ? amount.negate() : amount,
          BigDecimal::add);
    }
    Map<String, BigDecimal> balances = new TreeMap<>();
    for (String row : rows(ds, "SELECT customer_id, currency, balance FROM " + JdbcCreditLedger.BALANCES)) {
      String[] f = row.split("\\|");
      balances.put(f[0] + " " + f[1].trim(), new BigDecimal(f[2]));
    }
    assertEquals(sums.keySet(), balances.keySet());
    sums.forEach((key, sum) -> assertEquals(0, sum.compareTo(balances.get(key)), key + ": balance "
        + balances.get(key) + ", entries " + sum));
  }

  static Set<String> keys(DataSource ds, String table, String column) throws SQLException {
    return new TreeSet<>(rows(ds, "SELECT " + column + " FROM " + table));
  }

  @Test
  void anUpgradeKeepsEveryRowAndUndoesExactlyThePendingLinesTheJournalDoesNotHold() throws SQLException {
    DataSource ds = v3Database(db());
    String lineKeys = "SELECT " + Sql.names(JdbcChargeJournal.COLUMNS) + " FROM " + JdbcChargeJournal.LINES
        + " ORDER BY assignment_id, kind, key_period_start";
    List<String> linesBefore = rows(ds, lineKeys);
    List<String> marksBefore = rows(ds, "SELECT * FROM allotment_watermark ORDER BY assignment_id");
    List<String> pendingBefore = rows(ds, "SELECT " + Sql.names(JdbcChargeJournal.COLUMNS) + ", intended_at FROM "
        + PendingLineResolution.PENDING + " ORDER BY assignment_id, kind, key_period_start");
    List<String> callsBefore = rows(ds, "SELECT * FROM allotment_free_minute_take ORDER BY usage_id");
    Set<String> entriesBefore = keys(ds, JdbcCreditLedger.ENTRIES, "entry_key");
    Set<String> grantsBefore = keys(ds, FreeMinuteSql.GRANTS, "id");

    JdbcStores stores = JdbcStores.create(ds);
    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());

    assertEquals(linesBefore, rows(ds, lineKeys), "journal lines");
    assertEquals(marksBefore, rows(ds, "SELECT * FROM allotment_watermark ORDER BY assignment_id"));
    assertEquals(callsBefore, rows(ds, "SELECT * FROM allotment_free_minute_take ORDER BY usage_id"));
    assertEquals(pendingBefore, rows(ds, "SELECT " + Sql.names(JdbcChargeJournal.COLUMNS) + ", intended_at FROM "
        + PendingLineResolution.ARCHIVE + " ORDER BY assignment_id, kind, key_period_start"), "every pending row kept");
    Map<String, String> resolutions = new TreeMap<>();
    for (String row : rows(ds, "SELECT assignment_id, kind, key_period_start, resolution FROM "
        + PendingLineResolution.ARCHIVE)) {
      String[] f = row.split("\\|");
      resolutions.put(f[0] + "/" + f[1] + "/" + f[2], f[3]);
    }
    Map<String, String> expected = new TreeMap<>();
    UNDONE.forEach(key -> expected.put(key, "UNDONE"));
    expected.put(COMMITTED, "COMMITTED");
    assertEquals(expected, resolutions);
    assertEquals(0, MigrationChecks.count(ds, "SELECT COUNT(*) FROM information_schema.tables WHERE"
        + " table_schema = CURRENT_SCHEMA AND LOWER(table_name) = '" + PendingLineResolution.PENDING + "'"),
        "the pending table is gone");

    Set<String> entriesKept = new TreeSet<>(entriesBefore);
    entriesKept.removeAll(UNDONE_ENTRIES);
    assertEquals(entriesKept, keys(ds, JdbcCreditLedger.ENTRIES, "entry_key"));
    assertTrue(entriesKept.contains("a1/RECURRING/2026-03-01~x"), "not a correction key");
    assertBalancesAreCreditsMinusDebits(ds);
    // c1: 100.00 topped up, 10.00 + 8.00 + 2.00 debited, 0.25 credited; c2: 20.00 topped up, 2 x 5.00 debited.
    assertEquals(Money.of("80.25", "USD"), stores.creditLedger().balance("c1", USD));
    assertEquals(Money.of("10.00", "USD"), stores.creditLedger().balance("c2", USD));

    Set<String> grantsKept = new TreeSet<>(grantsBefore);
    grantsKept.remove("a4/FREE_MINUTES/2026-03-01");
    assertEquals(grantsKept, keys(ds, FreeMinuteSql.GRANTS, "id"), "a grant nobody used is deleted");
    assertEquals(Set.of("a2/FREE_MINUTES/2026-03-01"), keys(ds, FreeMinuteSql.GRANTS + " WHERE revoked_at IS NOT NULL",
        "id"), "a used one is revoked");
    Instant march = Instant.parse("2026-03-10T00:00:00Z");
    assertEquals(List.of(), stores.freeMinutes().balances("c2", march), "a revoked grant serves no call");
    for (Assignment a : assignments()) {
      assertEquals(Optional.of(a), stores.assignments().find(a.id()), "at version 0");
    }
    assertFalse(stores.journal().lines("a1").stream().anyMatch(l -> l.period().start().equals(MAR_1)));
  }

  /**
   * After the upgrade the engine charges March: every line the crashed attempt left pending and the
   * upgrade undid is charged now, with its debit and grant (the revoked one revived with the seconds
   * its call used), nothing journaled before is charged again, and a second run charges nothing.
   */
  @Test
  void afterTheUpgradeARunChargesTheUndoneLinesOnceAndNothingTwice() throws SQLException {
    DataSource ds = v3Database(db());
    JdbcStores stores = JdbcStores.create(ds);
    Set<String> journaledBefore = new TreeSet<>(StoreState.journalKeys(ds));
    assertEquals(8, journaledBefore.size());
    assertTrue(journaledBefore.contains(COMMITTED));
    PackageBilling billing = PackageBilling.builder().clock(MutableBillingClock.startOf(MAR_1, ZoneOffset.UTC))
        .stores(stores).build();

    RunReport report = billing.run(MAR_1, RunMode.CHARGE);
    Set<String> charged = new TreeSet<>();
    report.lines(LineStatus.CHARGED).forEach(l -> charged.add(l.line().key().toString()));
    assertTrue(charged.containsAll(UNDONE), "charged " + charged);
    Set<String> again = new TreeSet<>(charged);
    again.retainAll(journaledBefore);
    assertEquals(Set.of(), again, "charged again");
    assertEquals(0, billing.run(MAR_1, RunMode.CHARGE).summary().count(LineStatus.CHARGED));

    assertBalancesAreCreditsMinusDebits(ds);
    assertEquals(Money.of("70.25", "USD"), stores.creditLedger().balance("c1", USD), "March's 10.00 debited once");
    assertEquals(Money.of("5.00", "USD"), stores.creditLedger().balance("c2", USD));
    Map<String, Long> used = new TreeMap<>();
    stores.freeMinutes().balances("c2", Instant.parse("2026-03-10T00:00:00Z"))
        .forEach(b -> used.put(b.grant().id(), b.usedSeconds()));
    assertEquals(Map.of("a2/FREE_MINUTES/2026-03-01", 60L, "a4/FREE_MINUTES/2026-03-01", 0L), used);
    // Each journaled auto-decrement line moved its customer's credit by its retail exactly: under its
    // key, plus the correction keys a V3 run left on lines it journaled.
    Map<String, BigDecimal> signed = new TreeMap<>();
    for (String row : rows(ds, "SELECT entry_key, debit, amount FROM " + JdbcCreditLedger.ENTRIES)) {
      String[] f = row.split("\\|");
      BigDecimal amount = new BigDecimal(f[2]);
      signed.put(f[0], Boolean.parseBoolean(f[1]) || f[1].equals("t") ? amount.negate() : amount);
    }
    for (StoreState.JournalLine line : StoreState.journal(ds)) {
      if (line.autoDecrement()) {
        String key = line.key().toString();
        BigDecimal net = signed.entrySet().stream().filter(e -> e.getKey().equals(key)
            || PendingLineResolution.isCorrectionKey(e.getKey(), key)).map(Map.Entry::getValue)
            .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, net.compareTo(line.retail().negate()), key + " moved credit by " + net);
      }
    }
  }

  /** Every row of a table, each cut to its first {@code columns} columns (those it had before columns were added at its end). */
  private static List<String> firstColumns(DataSource ds, String table, int columns) throws SQLException {
    List<String> rows = new ArrayList<>();
    for (String row : rows(ds, "SELECT * FROM " + table)) {
      String[] f = row.split("\\|", -1);
      rows.add(String.join("|", Arrays.copyOf(f, columns)));
    }
    rows.sort(null);
    return rows;
  }

  private static int columnCount(DataSource ds, String table) throws SQLException {
    try (Connection connection = ds.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      return rs.getMetaData().getColumnCount();
    }
  }

  /** Each table's column count and rows (every column) before an upgrade, to compare with after it. */
  private record TablesBefore(Map<String, Integer> columns, Map<String, List<String>> rows) {
    static TablesBefore of(DataSource ds, List<String> tables) throws SQLException {
      Map<String, Integer> columns = new TreeMap<>();
      Map<String, List<String>> rows = new TreeMap<>();
      for (String table : tables) {
        columns.put(table, columnCount(ds, table));
        rows.put(table, firstColumns(ds, table, columns.get(table)));
      }
      return new TablesBefore(columns, rows);
    }

    int columns(String table) {
      return columns.get(table);
    }

    int rowCount() {
      return rows.values().stream().mapToInt(List::size).sum();
    }

    /** Every row keeps the values of the columns it had (an upgrade appends columns, at the ends). */
    void assertRowsKept(DataSource ds) throws SQLException {
      for (String table : rows.keySet()) {
        assertEquals(rows.get(table), firstColumns(ds, table, columns.get(table)), table);
      }
    }

    /** Every table has exactly the columns it had. */
    void assertSameColumns(DataSource ds) throws SQLException {
      for (String table : columns.keySet()) {
        assertEquals(columns.get(table), columnCount(ds, table), table);
      }
    }

    /** Every table has the columns it had, the assignments also V10's customer hash, at the end. */
    void assertColumnsWithV10sHash(DataSource ds) throws SQLException {
      for (String table : columns.keySet()) {
        assertEquals(columns.get(table) + (table.equals(JdbcAssignmentStore.TABLE) ? 1 : 0), columnCount(ds, table),
            table);
      }
    }
  }

  /**
   * V4 to V5 keeps every row of every table as it was (V5 only adds columns at the ends of the package
   * and grant tables, with their defaults, and the two empty event tables), and the upgraded database
   * charges with events.
   */
  @Test
  void anUpgradeFromV4KeepsEveryRowAndThenWritesEvents() throws SQLException {
    DataSource ds = v3Database(db());
    assertEquals(1, new Migrations(new Database(ds, db().dialect())).migrate(4), "V4 applied to the V3 database");
    List<String> v4Tables = new ArrayList<>(TABLES_BEFORE_V8);
    v4Tables.removeAll(List.of(EventSql.TABLE, EventSql.CURSOR_TABLE));
    TablesBefore before = TablesBefore.of(ds, v4Tables);
    assertTrue(before.rowCount() > 30, "a database with rows in it: " + before.rowCount());

    JdbcStores stores = JdbcStores.create(ds);

    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    before.assertRowsKept(ds);
    assertEquals(before.columns(JdbcPackageCatalog.TABLE) + 2, columnCount(ds, JdbcPackageCatalog.TABLE));
    assertEquals(List.of("0|0"), new ArrayList<>(new TreeSet<>(rows(ds,
        "SELECT notification_days, low_balance_percent FROM " + JdbcPackageCatalog.TABLE))));
    assertEquals(List.of("0"), new ArrayList<>(new TreeSet<>(rows(ds,
        "SELECT low_balance_percent FROM " + FreeMinuteSql.GRANTS))));
    assertEquals(List.of(), stores.events().read(0, 10), "no event for what was charged before events existed");

    PackageBilling billing = PackageBilling.builder().clock(MutableBillingClock.startOf(MAR_1, ZoneOffset.UTC))
        .stores(stores).build();
    RunReport march = billing.run(MAR_1, RunMode.CHARGE);
    List<String> charged = march.lines(LineStatus.CHARGED).stream().map(l -> "LINE_CHARGED:" + l.line().key())
        .sorted().toList();
    assertFalse(charged.isEmpty());
    assertEquals(charged, stores.events().read(0, 100).stream().map(e -> e.event().id())
        .filter(id -> id.startsWith("LINE_CHARGED:")).sorted().toList());
  }

  /**
   * V5 to V6 keeps every row of every table as it was (V6 only adds the four own-price columns at the
   * end of the assignment table, NULL: the package's prices); every assignment reads back as it was,
   * and one given its own price afterwards is charged at it.
   */
  @Test
  void anUpgradeFromV5KeepsEveryRowAndAssignmentsKeepThePackagesPrices() throws SQLException {
    DataSource ds = v3Database(db());
    assertEquals(2, new Migrations(new Database(ds, db().dialect())).migrate(5), "V4 and V5 applied");
    TablesBefore before = TablesBefore.of(ds, TABLES_BEFORE_V8);

    JdbcStores stores = JdbcStores.create(ds);

    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    before.assertRowsKept(ds);
    // V6's four own prices, then V7's four columns, then V10's customer hash.
    assertEquals(before.columns(JdbcAssignmentStore.TABLE) + 4 + 4 + 1, columnCount(ds, JdbcAssignmentStore.TABLE));
    for (Assignment a : assignments()) {
      Assignment stored = stores.assignments().find(a.id()).orElseThrow();
      assertEquals(OwnPrices.NONE, stored.ownPrices(), a.id());
      assertTrue(stored.sameTermsAs(a), stored + " read back as " + a);
    }

    PackageBilling billing = PackageBilling.builder().clock(MutableBillingClock.startOf(MAR_1, ZoneOffset.UTC))
        .stores(stores).build();
    Assignment own = billing.setOwnPrices("a3", OwnPrices.NONE.withRetail(new BigDecimal("7.5")));
    assertEquals(OwnPrices.NONE.withRetail(new BigDecimal("7.50")), stores.assignments().find("a3").orElseThrow()
        .ownPrices());
    assertEquals(own, stores.assignments().find("a3").orElseThrow());
    RunReport march = billing.run(MAR_1, RunMode.CHARGE);
    // a3: package p1 at 10.00, own 7.50 from March on; January and February stay at 10.00.
    assertEquals(List.of("10.00", "10.00", "7.50"), billing.charged("a3").stream()
        .filter(l -> l.kind() == dev.allotment.core.LineKind.RECURRING).map(l -> l.retail().amount().toPlainString())
        .toList());
    assertFalse(march.lines(LineStatus.CHARGED).isEmpty());
  }

  /**
   * V6 to V7 keeps every row of every table as it was (V7 only adds four columns at the end of the
   * assignment table, NULL, and lets a grant's validity end at its start): every assignment, with or
   * without own prices, reads back as it was, neither suspended nor a successor, its schedule
   * anchored at its start; a run then charges what the crashed V3 attempt left undone and nothing
   * twice; and a grant can be revised to serve no call.
   */
  @Test
  void anUpgradeFromV6KeepsEveryRowAndAssignmentsAreNeitherSuspendedNorSuccessors() throws SQLException {
    DataSource ds = v3Database(db());
    assertEquals(3, new Migrations(new Database(ds, db().dialect())).migrate(6), "V4, V5 and V6 applied");
    Assignment own = Assignment.builder("a5").customerId("c5").packageId("p1").startDate(JAN_1).build()
        .withOwnPrices(OwnPrices.NONE.withRetail(new BigDecimal("7.50")).withSetupCost(new BigDecimal("1.25")));
    try (Connection connection = ds.getConnection()) {
      insert(connection, JdbcAssignmentStore.TABLE, ASSIGNMENT_COLUMNS_BEFORE_V7,
          Arrays.copyOf(JdbcAssignmentStore.row(own), ASSIGNMENT_COLUMNS_BEFORE_V7.size()));
    }
    TablesBefore before = TablesBefore.of(ds, TABLES_BEFORE_V8);
    assertTrue(before.rowCount() > 30, "a database with rows in it: " + before.rowCount());
    Set<String> journaledBefore = new TreeSet<>(StoreState.journalKeys(ds));

    JdbcStores stores = JdbcStores.create(ds);

    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    before.assertRowsKept(ds);
    // V7's four columns, then V10's customer hash.
    assertEquals(before.columns(JdbcAssignmentStore.TABLE) + 4 + 1, columnCount(ds, JdbcAssignmentStore.TABLE));
    assertEquals(List.of("null|null|null|null"), new ArrayList<>(new TreeSet<>(rows(ds,
        "SELECT suspensions, previous_assignment_id, previous_package_id, schedule_anchor FROM "
            + JdbcAssignmentStore.TABLE))));
    List<Assignment> expected = new ArrayList<>(assignments());
    expected.add(own);
    for (Assignment a : expected) {
      Assignment stored = stores.assignments().find(a.id()).orElseThrow();
      assertEquals(List.of(), stored.suspensions(), a.id());
      assertEquals(Optional.empty(), stored.previous(), a.id());
      assertEquals(stored.startDate(), stored.scheduleAnchor(), a.id());
      assertEquals(a.ownPrices(), stored.ownPrices(), a.id());
      assertTrue(stored.sameTermsAs(a), stored + " read back as " + a);
      assertEquals(0, stored.version(), a.id());
    }

    PackageBilling billing = PackageBilling.builder().clock(MutableBillingClock.startOf(MAR_1, ZoneOffset.UTC))
        .stores(stores).build();
    RunReport march = billing.run(MAR_1, RunMode.CHARGE);
    Set<String> charged = new TreeSet<>();
    march.lines(LineStatus.CHARGED).forEach(l -> charged.add(l.line().key().toString()));
    assertTrue(charged.containsAll(UNDONE), "charged " + charged);
    Set<String> again = new TreeSet<>(charged);
    again.retainAll(journaledBefore);
    assertEquals(Set.of(), again, "charged again");
    assertEquals(0, billing.run(MAR_1, RunMode.CHARGE).summary().count(LineStatus.CHARGED));
    assertEquals(List.of("7.50", "7.50", "7.50"), billing.charged("a5").stream()
        .filter(l -> l.kind() == dev.allotment.core.LineKind.RECURRING).map(l -> l.retail().amount().toPlainString())
        .toList(), "a5 at its own price");
    assertBalancesAreCreditsMinusDebits(ds);

    // V7 lets a revision end a grant's validity at its start: February's grant (120 s used) then serves no call.
    String february = "a2/FREE_MINUTES/2026-02-01";
    Instant feb10 = Instant.parse("2026-02-10T12:00:00Z");
    assertEquals(List.of(february), stores.freeMinutes().balances("c2", feb10).stream().map(b -> b.grant().id())
        .toList());
    assertTrue(stores.unitOfWork().commit(ChargeBatch.builder().revisions(List.of(
        new GrantRevision(february, 0, Optional.of(Instant.parse("2026-02-01T00:00:00Z")))))
        .build()).isCommitted());
    assertEquals(List.of(), stores.freeMinutes().balances("c2", feb10));
    assertEquals(List.of("120|120"), rows(ds, "SELECT allocated_seconds, used_seconds FROM " + FreeMinuteSql.GRANTS
        + " WHERE id = '" + february + "'"), "allocated never below the seconds used");
  }

  /**
   * V7 to V8 keeps every row of every table as it was (V8 only adds the empty table of the fleet
   * runs' leases); the upgraded database then runs a fleet run, which charges what the crashed V3
   * attempt left undone and nothing twice.
   */
  @Test
  void anUpgradeFromV7KeepsEveryRowAndRunsFleetRuns() throws SQLException {
    DataSource ds = v3Database(db());
    assertEquals(4, new Migrations(new Database(ds, db().dialect())).migrate(7), "V4 to V7 applied");
    TablesBefore before = TablesBefore.of(ds, TABLES_BEFORE_V8);
    assertTrue(before.rowCount() > 30, "a database with rows in it: " + before.rowCount());
    Set<String> journaledBefore = new TreeSet<>(StoreState.journalKeys(ds));

    JdbcStores stores = JdbcStores.create(ds);

    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    before.assertColumnsWithV10sHash(ds);
    before.assertRowsKept(ds);
    assertEquals(List.of("0"), rows(ds, "SELECT COUNT(*) FROM " + JdbcRunLeases.TABLE));

    PackageBilling billing = PackageBilling.builder().clock(MutableBillingClock.startOf(MAR_1, ZoneOffset.UTC))
        .stores(stores).build();
    dev.allotment.engine.FleetSummary fleet = billing.runFleet(dev.allotment.engine.FleetRun.of(MAR_1, "node-1")
        .withPartitions(3));
    assertTrue(fleet.done(), fleet.toString());
    assertEquals(3, fleet.partitionsRun());
    assertTrue(fleet.charged().charged() >= UNDONE.size(), fleet.toString());
    Set<String> again = new TreeSet<>(journaledBefore);
    again.retainAll(new TreeSet<>(StoreState.journalKeys(ds)));
    assertEquals(journaledBefore, again, "every line journaled before is still there");
    assertTrue(StoreState.journalKeys(ds).containsAll(UNDONE), "the undone lines charged");
    assertEquals(0, billing.run(MAR_1, RunMode.CHARGE).summary().count(LineStatus.CHARGED), "nothing left");
    assertEquals(List.of("3"), rows(ds, "SELECT COUNT(*) FROM " + JdbcRunLeases.TABLE + " WHERE done_at IS NOT NULL"));
    assertBalancesAreCreditsMinusDebits(ds);
  }

  /**
   * V8 to V9 widens the grants' destination column and keeps every row of every table as it was;
   * the upgraded database then keeps a grant with a destination of 2,000 prefixes.
   */
  @Test
  void anUpgradeFromV8KeepsEveryRowAndKeepsDestinationsOf2000Prefixes() throws SQLException {
    DataSource ds = v3Database(db());
    assertEquals(5, new Migrations(new Database(ds, db().dialect())).migrate(8), "V4 to V8 applied");
    TablesBefore before = TablesBefore.of(ds, TABLES_BEFORE_V11);
    assertTrue(before.rowCount() > 30, "a database with rows in it: " + before.rowCount());

    JdbcStores stores = JdbcStores.create(ds);

    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    before.assertColumnsWithV10sHash(ds);
    before.assertRowsKept(ds);
    StringBuilder destination = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      destination.append(i == 0 ? "" : "|").append('^').append(100_000 + i * 7);
    }
    assertTrue(destination.length() > 4_000, "longer than V8 could keep: " + destination.length());
    Grant wide = dev.allotment.spi.ContractFixtures.grant("wide", "c9", 600).destination(destination.toString())
        .build();
    assertTrue(stores.unitOfWork().commit(dev.allotment.spi.ChargeBatch.ofGrants(List.of(wide))).isCommitted());
    assertEquals(List.of(wide), stores.freeMinutes().balances("c9", Instant.parse("2026-03-02T00:00:00Z")).stream()
        .map(b -> b.grant()).toList());
  }

  /**
   * V9 to V10 fills every assignment's customer hash and keeps every row of every table as it was
   * otherwise; a partition then reads exactly its customers' assignments.
   */
  @Test
  void anUpgradeFromV9KeepsEveryRowAndHashesEveryCustomer() throws SQLException {
    DataSource ds = v3Database(db());
    assertEquals(6, new Migrations(new Database(ds, db().dialect())).migrate(9), "V4 to V9 applied");
    TablesBefore before = TablesBefore.of(ds, TABLES_BEFORE_V11);

    JdbcStores stores = JdbcStores.create(ds);

    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    before.assertColumnsWithV10sHash(ds);
    before.assertRowsKept(ds);
    List<String> unhashed = rows(ds, "SELECT id FROM " + JdbcAssignmentStore.TABLE + " WHERE customer_hash IS NULL");
    assertEquals(List.of(), unhashed, "every row hashed");
    for (String row : rows(ds, "SELECT customer_id, customer_hash FROM " + JdbcAssignmentStore.TABLE)) {
      String[] parts = row.split("\\|");
      assertEquals(parts[0].hashCode(), Integer.parseInt(parts[1]), row);
    }
    int total = 0;
    for (int index = 0; index < 2; index++) {
      for (Assignment a : stores.assignments().pageInPartition(index, 2, Optional.empty(), 10_000)) {
        assertEquals(index, Math.floorMod(a.customerId().hashCode(), 2), a.toString());
        total++;
      }
    }
    assertEquals(Integer.parseInt(rows(ds, "SELECT COUNT(*) FROM " + JdbcAssignmentStore.TABLE).get(0)), total);
  }

  /**
   * V10 to V11 adds the event pages and keeps every row of every table, the events among them: the
   * outbox reads the events held before, and a batch's event after them, with a larger cursor.
   */
  @Test
  void anUpgradeFromV10KeepsEveryRowAndEveryEventAndReadsOnPastThem() throws SQLException {
    DataSource ds = v3Database(db());
    assertEquals(7, new Migrations(new Database(ds, db().dialect())).migrate(10), "V4 to V10 applied");
    try (Connection connection = ds.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO allotment_event (cursor_position, event_id, event_type, customer_id,"
          + " committed_at, payload) VALUES (1, 'GRANT_LOW:g0', 'GRANT_LOW', 'c1', TIMESTAMP WITH TIME ZONE"
          + " '2026-03-01 10:00:00+00', NULL), (2, 'LINE_CHARGED:a1/RECURRING/2026-02-01', 'LINE_CHARGED', 'c1',"
          + " TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00', '{\"lineKey\":\"a1/RECURRING/2026-02-01\"}')");
      statement.execute("INSERT INTO allotment_event_cursor (id, last_cursor) VALUES (1, 2)");
    }
    TablesBefore before = TablesBefore.of(ds, TABLES_BEFORE_V11);

    JdbcStores stores = JdbcStores.create(ds);

    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    before.assertSameColumns(ds);
    before.assertRowsKept(ds);
    List<StoredEvent> held = stores.events().read(0, 10);
    assertEquals(List.of(2L), held.stream().map(StoredEvent::cursor).toList(), "the retained event stays deleted");
    assertEquals("LINE_CHARGED:a1/RECURRING/2026-02-01", held.get(0).event().id());
    Grant grant = ContractFixtures.grant("after-v11", "c9", 600).build();
    BillingEvent issued = new BillingEvent(BillingEvent.idOf(EventType.GRANT_ISSUED, grant.id()),
        EventType.GRANT_ISSUED, "c9", Instant.parse("2026-03-02T00:00:00Z"), "{\"grantId\":\"after-v11\"}");
    assertTrue(stores.unitOfWork().commit(ChargeBatch.builder().grants(List.of(grant)).events(List.of(issued))
        .build()).isCommitted());
    assertEquals(List.of(new StoredEvent(3, issued)), stores.events().read(2, 10));
    assertEquals(2, stores.events().read(0, 10).size());
  }
}
