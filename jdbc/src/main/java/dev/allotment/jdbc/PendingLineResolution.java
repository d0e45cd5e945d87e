package dev.allotment.jdbc;

import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.jdbc.JdbcStores.Dialect;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The step of schema V4 that ends V3's pending lines, run by {@link Migrations} right after the V4
 * script, in the migration's transaction. Until V4 a run recorded a line as pending in
 * {@value #PENDING} before writing its grant and credit postings, each in a transaction of its own,
 * and its journal commit removed the pending row; a crash in between left the row and some of those
 * effects. V4 commits a batch in one transaction and has no pending lines, so this step settles them
 * as the new code would have left them:
 * <ul>
 *   <li>a pending line whose key the journal holds was committed (a leftover row): nothing to undo;
 *   <li>one it does not hold never happened: its credit entries (under the line key's text and the
 *       correction keys {@code key~1}, {@code key~2}, ... the old engine derived) are deleted and
 *       their balances moved back by what each entry had moved, and its grant (whose id is the line
 *       key's text) is deleted, or revoked when a call took from it (a later charge of the line
 *       revives it).
 * </ul>
 * Every pending row then moves to {@value #ARCHIVE}, marked COMMITTED or UNDONE, and {@value #PENDING}
 * is dropped. Key texts are {@link LineKey#toString()}, the very text the old engine keyed them by.
 *
 * <p>Rows already in the archive are left alone, and a database without the pending table (H2,
 * whose DROP commits this step with the archive, after a start cut short right after it) has
 * nothing to resolve, so the step is idempotent. Usually there are no pending rows; each costs a few
 * statements.
 *
 * <p>Thread-safe (stateless); runs under the migration's lock.
 */
final class PendingLineResolution {
  static final String PENDING = "allotment_pending_line";
  static final String ARCHIVE = "allotment_v3_pending_line";

  private static final String KEYS = String.join(", ", JdbcChargeJournal.KEY_COLUMNS);

  private PendingLineResolution() {}

  /** Resolves every pending line not archived yet, archives them all and drops the pending table. */
  static void run(Connection connection, Dialect dialect) throws SQLException {
    if (!pendingTableExists(connection, dialect)) {
      return;
    }
    for (LineKey key : orphans(connection)) {
      undo(connection, dialect, key.toString());
    }
    String columns = JdbcChargeJournal.COLUMNS.stream().map(c -> "p." + c.name()).collect(Collectors.joining(", "));
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO " + ARCHIVE + " (" + Sql.names(JdbcChargeJournal.COLUMNS)
          + ", intended_at, resolution) SELECT " + columns + ", p.intended_at, CASE WHEN EXISTS (SELECT 1 FROM "
          + JdbcChargeJournal.LINES + " c WHERE " + sameKey("c", "p") + ") THEN 'COMMITTED' ELSE 'UNDONE' END"
          + " FROM " + PENDING + " p WHERE NOT EXISTS (SELECT 1 FROM " + ARCHIVE + " a WHERE " + sameKey("a", "p")
          + ")");
      statement.execute("DROP TABLE " + PENDING);
    }
  }

  private static boolean pendingTableExists(Connection connection, Dialect dialect) throws SQLException {
    String sql = dialect == Dialect.POSTGRESQL
        ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
            + " AND table_name = '" + PENDING + "'"
        : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
            + " AND UPPER(TABLE_NAME) = '" + PENDING.toUpperCase(Locale.ROOT) + "'";
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }

  /** The keys of the pending lines neither journaled nor archived, in key order. */
  private static List<LineKey> orphans(Connection connection) throws SQLException {
    List<LineKey> keys = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT " + KEYS + " FROM " + PENDING + " p"
            + " WHERE NOT EXISTS (SELECT 1 FROM " + JdbcChargeJournal.LINES + " c WHERE " + sameKey("c", "p") + ")"
            + " AND NOT EXISTS (SELECT 1 FROM " + ARCHIVE + " a WHERE " + sameKey("a", "p") + ")")) {
      while (rs.next()) {
        keys.add(new LineKey(rs.getString(1), LineKind.valueOf(rs.getString(2)),
            Columns.getDate(rs, "key_period_start"), rs.getInt(4)));
      }
    }
    keys.sort(null);
    return keys;
  }

  /** Undoes the credit entries and the grant of the line keyed {@code key}. */
  private static void undo(Connection connection, Dialect dialect, String key) throws SQLException {
    List<Object[]> entries = new ArrayList<>();
    // The key and its correction keys, found by a range of the primary key: "key~" up to "key" + U+007F
    // holds every text starting "key~", then the exact form is checked here.
    try (PreparedStatement statement = connection.prepareStatement("SELECT entry_key, customer_id, debit, currency,"
        + " amount FROM " + JdbcCreditLedger.ENTRIES + " WHERE entry_key = ? OR (entry_key > ? AND entry_key < ?)"
        + " ORDER BY entry_key")) {
      statement.setString(1, key);
      statement.setString(2, key + "~");
      statement.setString(3, key + "\u007f");
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String entryKey = rs.getString(1);
          if (entryKey.equals(key) || isCorrectionKey(entryKey, key)) {
            BigDecimal amount = rs.getBigDecimal(5);
            entries.add(new Object[] {entryKey, rs.getString(2), rs.getString(4).trim(),
                rs.getBoolean(3) ? amount : amount.negate()});
          }
        }
      }
    }
    String addToBalance = dialect == Dialect.POSTGRESQL
        ? "INSERT INTO " + JdbcCreditLedger.BALANCES + " (customer_id, currency, balance) VALUES (?, ?, ?) "
            + JdbcCreditLedger.PG_ADD_ON_CONFLICT
        : JdbcCreditLedger.H2_ADD_TO_BALANCE;
    for (Object[] entry : entries) {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM " + JdbcCreditLedger.ENTRIES + " WHERE entry_key = ?")) {
        delete.setString(1, (String) entry[0]);
        delete.executeUpdate();
      }
      // The entry moved the balance by -amount for a debit, +amount for a credit: moved back by the opposite.
      try (PreparedStatement back = connection.prepareStatement(addToBalance)) {
        back.setString(1, (String) entry[1]);
        back.setString(2, (String) entry[2]);
        back.setBigDecimal(3, (BigDecimal) entry[3]);
        back.executeUpdate();
      }
    }
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + FreeMinuteSql.GRANTS + " WHERE id = ?"
        + " AND NOT EXISTS (SELECT 1 FROM " + FreeMinuteSql.TAKES + " t WHERE t.grant_id = ?)")) {
      delete.setString(1, key);
      delete.setString(2, key);
      if (delete.executeUpdate() == 1) {
        return;
      }
    }
    // Calls took from it: its row stays (their takes name it), out of service until a charge revives it.
    try (PreparedStatement revoke = connection.prepareStatement("UPDATE " + FreeMinuteSql.GRANTS
        + " SET revoked_at = CURRENT_TIMESTAMP WHERE id = ? AND revoked_at IS NULL")) {
      revoke.setString(1, key);
      revoke.executeUpdate();
    }
  }

  /** True for {@code key~n}, n a decimal number: the old engine's n-th correction of {@code key}. */
  static boolean isCorrectionKey(String entryKey, String key) {
    if (entryKey.length() <= key.length() + 1 || !entryKey.startsWith(key + "~")) {
      return false;
    }
    for (int i = key.length() + 1; i < entryKey.length(); i++) {
      if (entryKey.charAt(i) < '0' || entryKey.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code a.key = b.key} for every key column. */
  private static String sameKey(String a, String b) {
    return JdbcChargeJournal.KEY_COLUMNS.stream().map(k -> a + "." + k + " = " + b + "." + k)
        .collect(Collectors.joining(" AND "));
  }
}
