package dev.allotment.jdbc;

import dev.allotment.jdbc.JdbcStores.Dialect;
import java.util.List;

/**
 * The statements of {@link JdbcUnitOfWork}, by dialect.
 *
 * <p><b>PostgreSQL</b>: a batch is two statements and its commit (with events two more, the cursors
 * and the event pages: see {@link EventPages}), because every round trip counts when a CHARGE run
 * commits hundreds of batches:
 * <ul>
 *   <li>{@link #checks}: one {@code UNION ALL} of three parts, run in order: the checked assignments'
 *       versions, their rows locked in id order ({@code FOR SHARE}, or {@code FOR UPDATE} when the
 *       batch clears reprice markers: see {@link #checks(boolean)}); the balances of the floors'
 *       and postings' customers, locked in customer order ({@code FOR UPDATE}); the currencies of
 *       the lines' packages. Rows come back as (part, key, value, value).
 *   <li>{@link #writes}: every write of a chunk of the batch as data-modifying CTEs of one
 *       statement: lines (insert-if-absent, counted), watermarks (upsert keeping the later date),
 *       grants (insert-if-absent, reviving a held revoked one), credit entries (insert-if-absent)
 *       and the balances moved by the entries it inserted (summed per customer and currency, in
 *       customer order). Each part takes one array parameter per column ({@code unnest}), in that
 *       order; a part with no rows in the chunk gets empty arrays and does nothing. Three more
 *       parameters follow: the chunk's counts of lines, grants and entries. The statement returns
 *       rows (part, value, value, value, value): ('L', lines inserted), ('G', fresh grants: inserted,
 *       not revived), ('N', entries inserted); when fewer lines, fresh
 *       grants or entries were inserted than the chunk held, the keys of
 *       those inserted, ('l', assignment id, kind, period start, sequence), ('g', grant id) and
 *       ('e', entry key), so the batch's events follow exactly the effects that are new
 *       ({@link #writesReturningBalances} also the balances it moved). The events follow in
 *       {@link EventPages}' and {@link EventSql}'s statements, the transaction's last.
 * </ul>
 *
 * <p><b>H2</b> (embedded: a statement costs no round trip): one statement per check and one JDBC
 * batch per table, the same writes in the same order.
 *
 * <p>Immutable and thread-safe.
 */
final class BatchSql {
  /** The parts of the PostgreSQL write statement, in parameter order. */
  static final List<List<Sql.Column>> WRITE_PARTS = List.of(JdbcChargeJournal.COLUMNS,
      JdbcChargeJournal.WATERMARK_COLUMNS, FreeMinuteSql.GRANT_COLUMNS, JdbcCreditLedger.ENTRY_COLUMNS);

  private static final String RAISE_WATERMARK = "ON CONFLICT (assignment_id) DO UPDATE SET decided_through ="
      + " EXCLUDED.decided_through WHERE " + JdbcChargeJournal.WATERMARKS + ".decided_through < EXCLUDED.decided_through";

  final Dialect dialect;
  /** Both dialects: grants in unless held, reviving held revoked ones (a part of {@link #writes} on PostgreSQL). */
  final String addGrants;
  /** Both dialects: clears reprice markers, raising the versions, where the version is the expected one. */
  final String clearRepriced;
  /** PostgreSQL (null on H2): every write of a chunk, see the class comment; rows as described there. */
  final String writes;
  /**
   * PostgreSQL (null on H2): {@link #writes}, also returning rows (part, customer, currency, value,
   * key): ('B', balance after) per balance moved, ('E', delta, entry key) per entry inserted; for
   * batches with a credit-low rule, which needs the balances moved.
   */
  final String writesReturningBalances;
  /** H2 (null on PostgreSQL): the locking reads of the checks, then the writes, one JDBC batch each. */
  final String lockVersions;
  final String lockBalances;
  final String insertLines;
  final String raiseWatermarks;
  final String insertEntries;
  final String addToBalance;

  BatchSql(Dialect dialect) {
    this.dialect = dialect;
    this.addGrants = new FreeMinuteSql(dialect).addGrants;
    String lines = JdbcChargeJournal.LINES;
    if (dialect == Dialect.POSTGRESQL) {
      // PostgreSQL runs the parts of one statement text in one fixed order, so every commit writes
      // (and locks) the tables in the same order, each table's rows in the batch's order.
      String ctes = "WITH lines AS (" + Sql.insertUnnest(lines, JdbcChargeJournal.COLUMNS,
              "ON CONFLICT DO NOTHING RETURNING " + String.join(", ", JdbcChargeJournal.KEY_COLUMNS))
          + "), marks AS (" + Sql.insertUnnest(JdbcChargeJournal.WATERMARKS, JdbcChargeJournal.WATERMARK_COLUMNS,
              RAISE_WATERMARK)
          // A revived grant (a held, revoked one) is updated, not inserted: xmax = 0 tells them apart.
          + "), grants AS (" + addGrants + " RETURNING id, (xmax = 0) AS fresh"
          // RETURNING yields no row for a key that was held: a replayed posting moves no balance.
          + "), entries AS (" + Sql.insertUnnest(JdbcCreditLedger.ENTRIES, JdbcCreditLedger.ENTRY_COLUMNS,
              "ON CONFLICT DO NOTHING RETURNING customer_id, currency, CASE WHEN debit THEN -amount ELSE amount END"
                  + " AS delta, entry_key")
          + "), balances AS (INSERT INTO " + JdbcCreditLedger.BALANCES + " (customer_id, currency, balance)"
          + " SELECT customer_id, currency, SUM(delta) FROM entries GROUP BY customer_id, currency"
          + " ORDER BY customer_id, currency " + JdbcCreditLedger.PG_ADD_ON_CONFLICT
          + " RETURNING customer_id, currency, balance)";
      // The keys of what was inserted come back only when less was inserted than the chunk held (so
      // rarely: a race, a replay); a batch's events follow their effects (see EventPages).
      String counts = " SELECT 'L', CAST(COUNT(*) AS TEXT), NULL, NULL, NULL FROM lines"
          + " UNION ALL SELECT 'l', assignment_id, kind, to_char(key_period_start, 'YYYY-MM-DD'),"
          + " CAST(key_sequence AS TEXT) FROM lines WHERE (SELECT COUNT(*) FROM lines) < ?"
          + " UNION ALL SELECT 'G', CAST(COUNT(*) AS TEXT), NULL, NULL, NULL FROM grants WHERE fresh"
          + " UNION ALL SELECT 'N', CAST(COUNT(*) AS TEXT), NULL, NULL, NULL FROM entries"
          + " UNION ALL SELECT 'g', id, NULL, NULL, NULL FROM grants WHERE fresh"
          + " AND (SELECT COUNT(*) FROM grants WHERE fresh) < ?"
          + " UNION ALL SELECT 'e', entry_key, NULL, NULL, NULL FROM entries WHERE (SELECT COUNT(*) FROM entries) < ?";
      writes = ctes + counts;
      writesReturningBalances = ctes + counts
          + " UNION ALL SELECT 'B', customer_id, currency, CAST(balance AS TEXT), NULL FROM balances"
          + " UNION ALL SELECT 'E', customer_id, currency, CAST(delta AS TEXT), entry_key FROM entries";
      insertLines = null;
      raiseWatermarks = null;
      insertEntries = null;
      addToBalance = null;
      lockVersions = null;
      lockBalances = null;
      clearRepriced = "UPDATE " + JdbcAssignmentStore.TABLE + " a SET reprice_from = NULL, version = a.version + 1"
          + " FROM unnest(?::varchar[], ?::bigint[]) AS r (id, version) WHERE a.id = r.id AND a.version = r.version";
    } else {
      writes = null;
      writesReturningBalances = null;
      // H2 has no shared row lock: FOR UPDATE holds the versions until the commit as well.
      lockVersions = "SELECT id, version FROM " + JdbcAssignmentStore.TABLE + " WHERE id = ANY(?) ORDER BY id FOR UPDATE";
      lockBalances = "SELECT customer_id, currency, balance FROM " + JdbcCreditLedger.BALANCES
          + " WHERE customer_id = ANY(?) ORDER BY customer_id, currency FOR UPDATE";
      insertLines = Sql.insertIfAbsent(dialect, lines, JdbcChargeJournal.COLUMNS, JdbcChargeJournal.KEY_COLUMNS);
      // H2 re-evaluates WHEN MATCHED AND ... on the row it locked, so a concurrent, later watermark is never lowered.
      raiseWatermarks = "MERGE INTO " + JdbcChargeJournal.WATERMARKS + " t USING (VALUES (CAST(? AS VARCHAR(100)),"
          + " CAST(? AS DATE))) s (assignment_id, decided_through) ON t.assignment_id = s.assignment_id"
          + " WHEN MATCHED AND t.decided_through < s.decided_through THEN UPDATE SET decided_through = s.decided_through"
          + " WHEN NOT MATCHED THEN INSERT (assignment_id, decided_through) VALUES (s.assignment_id, s.decided_through)";
      insertEntries = Sql.insertIfAbsent(dialect, JdbcCreditLedger.ENTRIES, JdbcCreditLedger.ENTRY_COLUMNS,
          List.of("entry_key"));
      addToBalance = JdbcCreditLedger.H2_ADD_TO_BALANCE;
      clearRepriced = "UPDATE " + JdbcAssignmentStore.TABLE + " SET reprice_from = NULL, version = version + 1"
          + " WHERE id = ? AND version = ?";
    }
  }

  /**
   * PostgreSQL: the checks of a chunk; parameters: assignment ids, customer ids, package ids (each
   * an array). {@code exclusive} locks the assignments {@code FOR UPDATE}: clearing a marker updates
   * the row, and taking that lock at once, in id order like every other lock here, spares two
   * batches sharing a row a deadlock when both would upgrade a share lock.
   */
  String checks(boolean exclusive) {
    return "SELECT 'V', id, CAST(version AS TEXT), NULL FROM (SELECT id, version FROM " + JdbcAssignmentStore.TABLE
        + " WHERE id = ANY(?::varchar[]) ORDER BY id FOR " + (exclusive ? "UPDATE" : "SHARE") + ") v"
        + " UNION ALL SELECT 'B', customer_id, currency, CAST(balance AS TEXT) FROM (SELECT customer_id, currency,"
        + " balance FROM " + JdbcCreditLedger.BALANCES + " WHERE customer_id = ANY(?::varchar[])"
        + " ORDER BY customer_id, currency FOR UPDATE) b"
        + " UNION ALL SELECT 'P', id, currency, NULL FROM " + JdbcPackageCatalog.TABLE + " WHERE id = ANY(?::varchar[])";
  }
}
