package dev.allotment.jdbc;

import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.BillingEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes events into the outbox, {@code allotment_event}, inside the transaction of their effect,
 * with cursors in commit order.
 *
 * <p><b>Commit order.</b> A sequence alone would not do: two transactions take values in one order
 * and may commit in the other, and a reader that saw the larger would skip the smaller when it
 * commits. So every transaction that writes events takes its cursors from the one row of
 * {@code allotment_event_cursor} by updating it, as the last write before its commit: the row stays
 * locked until the commit, so the next writer (of any node sharing the database) waits, and gets
 * larger cursors only once this one committed. PostgreSQL ends a transaction's visibility before it
 * releases its locks, so a reader that sees an event of the later writer sees every event of the
 * earlier one. Writers of events are serialised only from their events' insert to their commit.
 *
 * <p><b>Idempotency.</b> An event whose id is held (also one deleted by retention: its row stays,
 * without payload) is skipped; its cursor is then never used, so cursors have gaps.
 *
 * <p>Thread-safe (stateless); every method runs on the caller's transaction.
 */
final class EventSql {
  static final String TABLE = "allotment_event";
  static final String CURSOR_TABLE = "allotment_event_cursor";

  static final List<Sql.Column> COLUMNS = List.of(
      new Sql.Column("cursor_position", "BIGINT", Types.BIGINT),
      new Sql.Column("event_id", "VARCHAR(300)", Types.VARCHAR),
      new Sql.Column("event_type", "VARCHAR(32)", Types.VARCHAR),
      new Sql.Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Sql.Column("committed_at", "TIMESTAMP WITH TIME ZONE", Types.TIMESTAMP_WITH_TIMEZONE),
      new Sql.Column("payload", "VARCHAR(8000)", Types.VARCHAR));

  private static final String TAKE_CURSORS = "UPDATE " + CURSOR_TABLE + " SET last_cursor = last_cursor + ? WHERE id = 1";
  private static final String PG_TAKE_CURSORS = TAKE_CURSORS + " RETURNING last_cursor";
  private static final String LAST_CURSOR = "SELECT last_cursor FROM " + CURSOR_TABLE + " WHERE id = 1";

  private EventSql() {}

  /** The row of an event without its cursor, every value checked against its column. */
  static Object[] row(BillingEvent event) {
    String what = "event '" + event.id() + "' ";
    return new Object[] {
        null,
        Columns.text("event id", event.id(), BillingEvent.MAX_ID_LENGTH),
        event.type().name(),
        Columns.text(what + "customerId", event.customerId(), Columns.ID_LENGTH),
        Columns.instant(what + "committedAt", event.committedAt()),
        Columns.text(what + "payload", event.payload(), 8000)};
  }

  /**
   * Writes the events (rows of {@link #row}, ids distinct) unless held, as the last write of the
   * transaction, and returns how many were new.
   */
  static int write(Connection connection, Dialect dialect, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    long last = takeCursors(connection, dialect, rows.size());
    List<Object[]> numbered = new ArrayList<>(rows.size());
    long cursor = last - rows.size();
    for (Object[] row : rows) {
      Object[] copy = row.clone();
      copy[0] = ++cursor;
      numbered.add(copy);
    }
    String insert = dialect == Dialect.POSTGRESQL
        ? Sql.insertUnnest(TABLE, COLUMNS, "ON CONFLICT (event_id) DO NOTHING")
        : Sql.insertIfAbsent(dialect, TABLE, COLUMNS, List.of("event_id"));
    return Sql.writeRows(dialect, connection, insert, COLUMNS, numbered, JdbcChargeJournal.CHUNK);
  }

  /**
   * Raises the last cursor by {@code count}, locking its row until the commit, and returns the new
   * last cursor. The row is added on the first write, from the largest cursor held.
   */
  static long takeCursors(Connection connection, Dialect dialect, int count) throws SQLException {
    for (int attempt = 0; attempt < 2; attempt++) {
      if (dialect == Dialect.POSTGRESQL) {
        try (PreparedStatement statement = connection.prepareStatement(PG_TAKE_CURSORS)) {
          statement.setLong(1, count);
          try (ResultSet rs = statement.executeQuery()) {
            if (rs.next()) {
              return rs.getLong(1);
            }
          }
        }
      } else {
        try (PreparedStatement statement = connection.prepareStatement(TAKE_CURSORS)) {
          statement.setLong(1, count);
          if (statement.executeUpdate() == 1) {
            try (PreparedStatement read = connection.prepareStatement(LAST_CURSOR); ResultSet rs = read.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        }
      }
      addCursorRow(connection, dialect);
    }
    throw new JdbcStoreException("the row of " + CURSOR_TABLE + " was neither found nor added");
  }

  /**
   * Adds the cursor row unless held (a concurrent adder waits, then finds it), from the largest
   * cursor of either table.
   */
  static void addCursorRow(Connection connection, Dialect dialect) throws SQLException {
    String select = "SELECT 1, GREATEST(COALESCE((SELECT MAX(cursor_position) FROM " + TABLE + "), 0),"
        + " COALESCE((SELECT MAX(last_cursor) FROM " + EventPages.TABLE + "), 0))";
    String sql = dialect == Dialect.POSTGRESQL
        ? "INSERT INTO " + CURSOR_TABLE + " (id, last_cursor) " + select + " ON CONFLICT (id) DO NOTHING"
        : "MERGE INTO " + CURSOR_TABLE + " t USING (" + select + ") s (id, last_cursor) ON t.id = s.id"
            + " WHEN NOT MATCHED THEN INSERT (id, last_cursor) VALUES (s.id, s.last_cursor)";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.executeUpdate();
    }
  }
}
