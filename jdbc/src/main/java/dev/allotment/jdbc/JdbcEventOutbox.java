package dev.allotment.jdbc;

import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.EventOutbox;
import dev.allotment.spi.EventType;
import dev.allotment.spi.StoredEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link EventOutbox} over {@code allotment_event} and {@code allotment_event_page}, which the other
 * stores write in their own transactions (see {@link EventSql} for how cursors follow commit order
 * across nodes, {@link EventPages} for the pages): both are read as one sequence of cursors.
 *
 * <p>Thread-safe: each call is one transaction of its own. Retention sets the payload of the rows
 * it deletes to NULL and keeps their ids (and cursor, type, customer and instant, a few dozen
 * bytes), so the events' causes never write them again; it deletes a page whose last event it
 * deletes (the page's events are kept once by their effects' keys), and otherwise records how far
 * into the page it deleted.
 */
final class JdbcEventOutbox implements EventOutbox {
  /** Rows and pages past the cursor, in cursor order; a page counts as one row, so LIMIT yields enough. */
  private static final String READ = "SELECT kind, first_cursor, event_id, event_type, customer_id, committed_at,"
      + " payload, deleted_through FROM (SELECT 0 AS kind, cursor_position AS first_cursor, event_id, event_type,"
      + " customer_id, committed_at, payload, 0 AS deleted_through FROM " + EventSql.TABLE
      + " WHERE cursor_position > ? AND payload IS NOT NULL"
      + " UNION ALL SELECT 1, first_cursor, NULL, NULL, NULL, committed_at, events, deleted_through FROM "
      + EventPages.TABLE
      + " WHERE last_cursor > ? AND last_cursor > deleted_through) e ORDER BY first_cursor LIMIT ?";
  private static final String DELETE = "UPDATE " + EventSql.TABLE + " SET payload = NULL"
      + " WHERE cursor_position <= ? AND payload IS NOT NULL";
  private static final String COUNT_PAGED = "SELECT COALESCE(SUM(LEAST(last_cursor, ?)"
      + " - GREATEST(first_cursor - 1, deleted_through)), 0) FROM " + EventPages.TABLE
      + " WHERE first_cursor <= ? AND last_cursor > deleted_through";
  private static final String DELETE_PAGES = "DELETE FROM " + EventPages.TABLE + " WHERE last_cursor <= ?";
  private static final String CUT_PAGES = "UPDATE " + EventPages.TABLE + " SET deleted_through = ?"
      + " WHERE first_cursor <= ? AND last_cursor > ? AND deleted_through < ?";

  private final Database db;

  JdbcEventOutbox(Database db) {
    this.db = db;
  }

  @Override
  public List<StoredEvent> read(long afterCursor, int limit) {
    EventOutbox.checkRead(afterCursor, limit);
    return db.transaction("read events after " + afterCursor, connection -> {
      List<StoredEvent> events = new ArrayList<>(Math.min(limit, 256));
      try (PreparedStatement statement = connection.prepareStatement(READ)) {
        statement.setLong(1, afterCursor);
        statement.setLong(2, afterCursor);
        statement.setInt(3, limit);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next() && events.size() < limit) {
            if (rs.getInt(1) == 0) {
              events.add(new StoredEvent(rs.getLong(2), new BillingEvent(rs.getString(3),
                  EventType.valueOf(rs.getString(4)), rs.getString(5), Columns.getInstant(rs, "committed_at"),
                  rs.getString(7))));
            } else {
              List<StoredEvent> paged = EventPages.events(rs.getLong(2), Columns.getInstant(rs, "committed_at"),
                  rs.getString(7), Math.max(afterCursor, rs.getLong(8)));
              events.addAll(paged.subList(0, Math.min(paged.size(), limit - events.size())));
            }
          }
        }
      }
      return events;
    });
  }

  @Override
  public int deleteThrough(long cursor) {
    EventOutbox.checkDelete(cursor);
    return db.transaction("delete events through " + cursor, connection -> {
      long deleted;
      try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
        statement.setLong(1, cursor);
        deleted = statement.executeUpdate();
      }
      try (PreparedStatement statement = connection.prepareStatement(COUNT_PAGED)) {
        statement.setLong(1, cursor);
        statement.setLong(2, cursor);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          deleted += rs.getLong(1);
        }
      }
      try (PreparedStatement statement = connection.prepareStatement(DELETE_PAGES)) {
        statement.setLong(1, cursor);
        statement.executeUpdate();
      }
      try (PreparedStatement statement = connection.prepareStatement(CUT_PAGES)) {
        for (int i = 1; i <= 4; i++) {
          statement.setLong(i, cursor);
        }
        statement.executeUpdate();
      }
      return Math.toIntExact(deleted);
    });
  }

  @Override
  public String toString() {
    return "JdbcEventOutbox[" + db.dialect + "]";
  }
}
