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
 * {@link EventOutbox} over {@code allotment_event}, which the other stores write in their own
 * transactions (see {@link EventSql} for how cursors follow commit order across nodes).
 *
 * <p>Thread-safe: each call is one statement in a transaction of its own. Retention sets the
 * payload of the rows it deletes to NULL and keeps their ids (and cursor, type, customer and
 * instant, a few dozen bytes), so the events' causes never write them again.
 */
final class JdbcEventOutbox implements EventOutbox {
  private static final String READ = "SELECT cursor_position, event_id, event_type, customer_id, committed_at, payload"
      + " FROM " + EventSql.TABLE + " WHERE cursor_position > ? AND payload IS NOT NULL ORDER BY cursor_position"
      + " LIMIT ?";
  private static final String DELETE = "UPDATE " + EventSql.TABLE + " SET payload = NULL"
      + " WHERE cursor_position <= ? AND payload IS NOT NULL";

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
        statement.setInt(2, limit);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            events.add(new StoredEvent(rs.getLong(1), new BillingEvent(rs.getString(2),
                EventType.valueOf(rs.getString(3)), rs.getString(4), Columns.getInstant(rs, "committed_at"),
                rs.getString(6))));
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
      try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
        statement.setLong(1, cursor);
        return statement.executeUpdate();
      }
    });
  }

  @Override
  public String toString() {
    return "JdbcEventOutbox[" + db.dialect + "]";
  }
}
