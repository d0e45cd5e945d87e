package dev.allotment.jdbc;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Money;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.CreditFloor;
import dev.allotment.spi.UnitOfWork;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@link UnitOfWork} of {@link JdbcStores}: one database transaction per batch, through
 * {@link Database#transaction} (which retries deadlocks, serialization failures and H2's
 * duplicate-key races from scratch). In it, in this order:
 * <ol>
 *   <li>the checks: the rows of the expected versions are locked in id order ({@code FOR SHARE} on
 *       PostgreSQL; {@code FOR UPDATE} when the batch clears reprice markers, and on H2), so an
 *       assignment change waits for this commit or ran before its check; with floors, the balance
 *       rows of the floors' and the postings' customers are locked in customer order
 *       ({@code FOR UPDATE}), a missing row being a zero balance; the lines' packages are read, and
 *       a line whose package the catalog lacks or bills in another currency is refused;
 *   <li>when a check fails the transaction is rolled back and the result names what failed;
 *   <li>the writes: lines go in unless their key is held, counting the new ones; watermarks are
 *       raised (an upsert keeping the later date); grants go in unless their id is held, a held
 *       revoked one being revived with its terms and used seconds; credit entries go in unless
 *       their key is held, and the balances move by the signed amounts of the entries inserted,
 *       summed per customer and currency; then the grant revisions are applied
 *       ({@link FreeMinuteSql#REVISE_GRANT}, one JDBC batch in grant id order; after the grants, so a
 *       batch may revise a grant it adds); then the reprice markers are cleared, raising the versions;
 *       last, the events go in: on PostgreSQL those of the batch's new lines, grants and entries
 *       as pages (see {@link EventPages}; an effect the batch held before has no event again), then
 *       the others as rows (see {@link EventSql}; on H2 every event), with a credit-low rule also the
 *       crossings of the balances its new entries moved (the balance before is the one after less
 *       the sum of those entries; the key named is the greatest of them).
 * </ol>
 * Each table's rows go in the one order of {@link BatchRows}, so concurrent commits of overlapping
 * batches (two engines, say) wait for each other instead of deadlocking. On PostgreSQL a batch of
 * up to {@value JdbcChargeJournal#CHUNK} rows per table is two statements and a commit, with events
 * two more (see {@link BatchSql}); on H2 one statement per check and one JDBC batch per table. Bad input is
 * refused by {@link BatchRows} before any statement.
 *
 * <p>Thread-safe: it holds no state but the {@link Database} and its statements' text.
 */
final class JdbcUnitOfWork implements UnitOfWork {
  private final Database db;
  private final Dialect dialect;
  private final BatchSql sql;

  JdbcUnitOfWork(Database db) {
    this.db = db;
    this.dialect = db.dialect;
    this.sql = new BatchSql(dialect);
  }

  /**
   * What the checks read: versions by assignment id, balances by {@link BalanceMoves#key customer and
   * currency}, package currencies.
   */
  private record Held(Map<String, Long> versions, Map<String, BigDecimal> balances, Map<String, Currency> currencies) {
    Held() {
      this(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }
  }

  @Override
  public BatchResult commit(ChargeBatch batch) {
    BatchRows rows = BatchRows.of(batch);
    if (rows.isEmpty()) {
      return BatchResult.committed(0);
    }
    return db.transaction("commit a batch of " + rows, connection -> {
      Held held = dialect == Dialect.POSTGRESQL ? readChecksPg(connection, rows) : readChecksH2(connection, rows);
      checkPackages(rows.lines, held.currencies());
      Set<String> changed = new LinkedHashSet<>(rows.unheld);
      rows.versions.forEach((id, expected) -> {
        if (!expected.equals(held.versions().get(id))) {
          changed.add(id);
        }
      });
      Set<String> uncovered = shortOfCredit(rows.floors, held.balances());
      if (!changed.isEmpty() || !uncovered.isEmpty()) {
        // Nothing is written yet; the rollback releases the rows the checks locked.
        connection.rollback();
        return BatchResult.refused(changed, uncovered);
      }
      BalanceMoves moves = rows.creditLow == null ? null : new BalanceMoves();
      Set<String> heldEffects = new HashSet<>();
      int added = dialect == Dialect.POSTGRESQL ? writePg(connection, rows, moves, heldEffects)
          : writeH2(connection, rows, moves);
      reviseGrants(connection, rows.revisionRows);
      clearRepriced(connection, rows.repriced);
      writeEvents(connection, rows, moves, heldEffects);
      return BatchResult.committed(added);
    });
  }

  /**
   * The events last: on PostgreSQL those of new effects as pages (those of effects in {@code held},
   * which the batch did not insert, are dropped), then the others as rows, unless their ids are
   * held; on H2 every event as a row. With a credit-low rule, the crossings of the balances moved.
   */
  private void writeEvents(Connection connection, BatchRows rows, BalanceMoves moves, Set<String> held)
      throws SQLException {
    List<Object[]> paged = new ArrayList<>(dialect == Dialect.POSTGRESQL ? rows.eventRows.size() : 0);
    List<Object[]> single = new ArrayList<>(dialect == Dialect.POSTGRESQL ? 0 : rows.eventRows.size());
    for (int i = 0; i < rows.eventRows.size(); i++) {
      String effect = rows.eventEffects.get(i);
      if (dialect != Dialect.POSTGRESQL || effect == null) {
        single.add(rows.eventRows.get(i));
      } else if (held.isEmpty() || !held.contains(effect)) {
        paged.add(rows.eventRows.get(i));
      }
    }
    if (moves != null) {
      for (BillingEvent event : moves.events(rows.creditLow)) {
        single.add(EventSql.row(event));
      }
    }
    EventPages.write(connection, paged);
    EventSql.write(connection, dialect, single);
  }

  private static <T> List<T> chunk(List<T> all, int index) {
    int from = Math.min(all.size(), index * JdbcChargeJournal.CHUNK);
    return all.subList(from, Math.min(all.size(), from + JdbcChargeJournal.CHUNK));
  }

  private static int chunks(List<?>... lists) {
    int most = 0;
    for (List<?> list : lists) {
      most = Math.max(most, list.size());
    }
    return (most + JdbcChargeJournal.CHUNK - 1) / JdbcChargeJournal.CHUNK;
  }

  private static List<String> packageIds(List<ChargeLine> lines) {
    return new ArrayList<>(new LinkedHashSet<>(lines.stream().map(ChargeLine::packageId).toList()));
  }

  /** PostgreSQL: the checks in one statement per chunk of ids (see {@link BatchSql#checks}). */
  private Held readChecksPg(Connection connection, BatchRows rows) throws SQLException {
    Held held = new Held();
    List<String> versions = new ArrayList<>(rows.versions.keySet());
    List<String> customers = new ArrayList<>(rows.lockedCustomers);
    List<String> packages = packageIds(rows.lines);
    int chunks = chunks(versions, customers, packages);
    if (chunks == 0) {
      return held;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.checks(!rows.repriced.isEmpty()))) {
      for (int i = 0; i < chunks; i++) {
        statement.setArray(1, Sql.textArray(connection, chunk(versions, i)));
        statement.setArray(2, Sql.textArray(connection, chunk(customers, i)));
        statement.setArray(3, Sql.textArray(connection, chunk(packages, i)));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            switch (rs.getString(1)) {
              case "V" -> held.versions().put(rs.getString(2), Long.parseLong(rs.getString(3)));
              case "B" -> held.balances().put(BalanceMoves.key(rs.getString(2), rs.getString(3)),
                  new BigDecimal(rs.getString(4)));
              default -> held.currencies().put(rs.getString(2), Money.currency(rs.getString(3).trim()));
            }
          }
        }
      }
    }
    return held;
  }

  /** H2: one statement per check and chunk. */
  private Held readChecksH2(Connection connection, BatchRows rows) throws SQLException {
    Held held = new Held();
    List<String> versions = new ArrayList<>(rows.versions.keySet());
    try (PreparedStatement statement = connection.prepareStatement(sql.lockVersions)) {
      for (int i = 0; i < chunks(versions); i++) {
        statement.setArray(1, Sql.textArray(connection, chunk(versions, i)));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            held.versions().put(rs.getString(1), rs.getLong(2));
          }
        }
      }
    }
    List<String> customers = new ArrayList<>(rows.lockedCustomers);
    try (PreparedStatement statement = connection.prepareStatement(sql.lockBalances)) {
      for (int i = 0; i < chunks(customers); i++) {
        statement.setArray(1, Sql.textArray(connection, chunk(customers, i)));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            held.balances().put(BalanceMoves.key(rs.getString(1), rs.getString(2)), rs.getBigDecimal(3));
          }
        }
      }
    }
    if (!rows.lines.isEmpty()) {
      held.currencies().putAll(JdbcPackageCatalog.currencies(connection, dialect, packageIds(rows.lines)));
    }
    return held;
  }

  /** Refuses lines whose package the catalog lacks or bills in another currency, before anything is written. */
  private static void checkPackages(List<ChargeLine> lines, Map<String, Currency> currencies) {
    for (ChargeLine line : lines) {
      Currency currency = currencies.get(line.packageId());
      if (currency == null) {
        throw new IllegalArgumentException("line " + line.key() + " names package '" + line.packageId()
            + "', which the catalog does not hold");
      }
      if (!currency.equals(line.retail().currency())) {
        throw new IllegalArgumentException("line " + line.key() + " is in " + line.retail().currency().getCurrencyCode()
            + ", but package '" + line.packageId() + "' bills in " + currency.getCurrencyCode());
      }
    }
  }

  /** The customers below a floor of the batch; a customer without a balance row has a zero balance. */
  private static Set<String> shortOfCredit(List<CreditFloor> floors, Map<String, BigDecimal> balances) {
    Set<String> shortOfCredit = new LinkedHashSet<>();
    for (CreditFloor floor : floors) {
      Money minimum = floor.minimum();
      BigDecimal held = balances.get(BalanceMoves.key(floor.customerId(), minimum.currency().getCurrencyCode()));
      Money balance = held == null ? Money.zero(minimum.currency()) : Money.of(held, minimum.currency());
      if (balance.compareTo(minimum) < 0) {
        shortOfCredit.add(floor.customerId());
      }
    }
    return shortOfCredit;
  }

  /**
   * PostgreSQL: every write, one statement per chunk (see {@link BatchSql#writes}); adds to
   * {@code held} the effects of the batch that were held before (see {@link BatchRows#eventEffects})
   * and returns the lines inserted.
   */
  private int writePg(Connection connection, BatchRows rows, BalanceMoves moves, Set<String> held)
      throws SQLException {
    List<List<Object[]>> parts = List.of(rows.lineRows, rows.watermarkRows, rows.grantRows, rows.entryRows);
    int chunks = chunks(rows.lineRows, rows.watermarkRows, rows.grantRows, rows.entryRows);
    // Without events nothing needs the keys of what was inserted: counts of -1 ask for none.
    boolean keys = !rows.eventRows.isEmpty();
    int added = 0;
    try (PreparedStatement statement = connection.prepareStatement(moves == null ? sql.writes
        : sql.writesReturningBalances)) {
      for (int i = 0; i < chunks; i++) {
        int next = 1;
        for (int p = 0; p < parts.size(); p++) {
          next = Sql.bindArrays(connection, statement, next, BatchSql.WRITE_PARTS.get(p), chunk(parts.get(p), i));
        }
        List<Object[]> lines = chunk(rows.lineRows, i);
        List<Object[]> grants = chunk(rows.grantRows, i);
        List<Object[]> entries = chunk(rows.entryRows, i);
        statement.setInt(next, keys ? lines.size() : -1);
        statement.setInt(next + 1, keys ? grants.size() : -1);
        statement.setInt(next + 2, keys ? entries.size() : -1);
        int[] counts = new int[3];
        Set<String> inserted = new HashSet<>();
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            switch (rs.getString(1)) {
              case "L" -> counts[0] = Integer.parseInt(rs.getString(2));
              case "G" -> counts[1] = Integer.parseInt(rs.getString(2));
              case "N" -> counts[2] = Integer.parseInt(rs.getString(2));
              case "l" -> inserted.add(BatchRows.lineEffect(rs.getString(2), rs.getString(3), rs.getString(4),
                  rs.getString(5)));
              case "g" -> inserted.add(BatchRows.grantEffect(rs.getString(2)));
              case "e" -> inserted.add(BatchRows.entryEffect(rs.getString(2)));
              case "B" -> moves.after(rs.getString(2), rs.getString(3), new BigDecimal(rs.getString(4)));
              default -> moves.entry(rs.getString(2), rs.getString(3), new BigDecimal(rs.getString(4)),
                  rs.getString(5));
            }
          }
        }
        added += counts[0];
        if (keys) {
          // An effect the chunk holds but did not insert was held before: its event is not new.
          addHeld(lines, counts[0], BatchRows::lineEffect, inserted, held);
          addHeld(grants, counts[1], row -> BatchRows.grantEffect((String) row[0]), inserted, held);
          addHeld(entries, counts[2], row -> BatchRows.entryEffect((String) row[0]), inserted, held);
        }
      }
    }
    return added;
  }

  /** Adds to {@code held} the effects of {@code rows} not in {@code inserted}, unless all were inserted. */
  private static void addHeld(List<Object[]> rows, int insertedCount, Function<Object[], String> effect,
      Set<String> inserted, Set<String> held) {
    if (insertedCount < rows.size()) {
      for (Object[] row : rows) {
        String key = effect.apply(row);
        if (!inserted.contains(key)) {
          held.add(key);
        }
      }
    }
  }

  /**
   * H2: a JDBC batch per table; the entries first, then the balances moved by the entries inserted,
   * in customer order. Returns the lines inserted.
   */
  private int writeH2(Connection connection, BatchRows rows, BalanceMoves moves) throws SQLException {
    int chunk = JdbcChargeJournal.CHUNK;
    int added = Sql.writeRows(dialect, connection, sql.insertLines, JdbcChargeJournal.COLUMNS, rows.lineRows, chunk);
    Sql.writeRows(dialect, connection, sql.raiseWatermarks, JdbcChargeJournal.WATERMARK_COLUMNS, rows.watermarkRows,
        chunk);
    Sql.writeRows(dialect, connection, sql.addGrants, FreeMinuteSql.GRANT_COLUMNS, rows.grantRows, chunk);
    if (rows.entryRows.isEmpty()) {
      return added;
    }
    TreeMap<String, BigDecimal> deltas = new TreeMap<>();
    try (PreparedStatement statement = connection.prepareStatement(sql.insertEntries)) {
      for (Object[] row : rows.entryRows) {
        Sql.bind(statement, JdbcCreditLedger.ENTRY_COLUMNS, row);
        statement.addBatch();
      }
      int[] counts = statement.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 1) {
          Object[] row = rows.entryRows.get(i);
          deltas.merge(BalanceMoves.key(BatchRows.customer(row), BatchRows.currency(row)), BatchRows.signed(row),
              BigDecimal::add);
          if (moves != null) {
            moves.entry(BatchRows.customer(row), BatchRows.currency(row), BatchRows.signed(row), (String) row[0]);
          }
        }
      }
    }
    List<Object[]> balanceRows = new ArrayList<>(deltas.size());
    deltas.forEach((key, delta) -> {
      int split = key.indexOf('\n');
      balanceRows.add(new Object[] {key.substring(0, split), key.substring(split + 1), delta});
    });
    Sql.writeRows(dialect, connection, sql.addToBalance, JdbcCreditLedger.BALANCE_COLUMNS, balanceRows, chunk);
    if (moves != null && !balanceRows.isEmpty()) {
      // H2 is embedded: reading the balances moved back costs no round trip.
      try (PreparedStatement statement = connection.prepareStatement(sql.lockBalances)) {
        statement.setArray(1, Sql.textArray(connection, balanceRows.stream().map(r -> (String) r[0]).distinct()
            .toList()));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            moves.after(rs.getString(1), rs.getString(2), rs.getBigDecimal(3));
          }
        }
      }
    }
    return added;
  }

  /** Applies the grant revisions (rows of {@link FreeMinuteSql#REVISION_COLUMNS}, in id order), one JDBC batch. */
  private static void reviseGrants(Connection connection, List<Object[]> revisions) throws SQLException {
    if (revisions.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(FreeMinuteSql.REVISE_GRANT)) {
      for (Object[] row : revisions) {
        Sql.bind(statement, FreeMinuteSql.REVISION_COLUMNS, row);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Clears the reprice markers of the repriced assignments, raising their versions (their rows are locked). */
  private void clearRepriced(Connection connection, TreeMap<String, Long> repriced) throws SQLException {
    if (repriced.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.clearRepriced)) {
      if (dialect == Dialect.POSTGRESQL) {
        statement.setArray(1, Sql.textArray(connection, new ArrayList<>(repriced.keySet())));
        statement.setArray(2, Sql.textArray(connection, repriced.values().stream().map(String::valueOf).toList()));
        statement.executeUpdate();
      } else {
        for (Map.Entry<String, Long> marker : repriced.entrySet()) {
          statement.setString(1, marker.getKey());
          statement.setLong(2, marker.getValue());
          statement.addBatch();
        }
        statement.executeBatch();
      }
    }
  }
}
