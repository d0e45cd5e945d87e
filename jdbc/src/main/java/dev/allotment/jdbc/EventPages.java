package dev.allotment.jdbc;

import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.EventType;
import dev.allotment.spi.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Event pages, {@code allotment_event_page} (schema V11): on PostgreSQL, the events of a CHARGE batch
 * whose effect is itself keyed (a line's {@code LINE_CHARGED} and {@code GRANT_CUT}, a grant's
 * {@code GRANT_ISSUED}, a credit entry's {@code CREDIT_POSTED}) are written, only for the effects the
 * batch inserted, several to a row.
 *
 * <p>Why: such an event is new exactly when its effect is, so the effect's key already makes it
 * idempotent and its id needs no unique index; and a row with two index entries per event cost a
 * CHARGE about a third of its rate (see {@code bench/README.md}). A page holds consecutive cursors
 * {@code first_cursor..last_cursor}, one event per line of its text: type, id, customer and payload,
 * separated by tabs, with backslash, tab and newline escaped by a backslash. A page closes before its
 * text reaches {@value #PAGE_CHARS} characters, so a row stays under PostgreSQL's TOAST threshold
 * (about 2 kB) and is never compressed or stored out of line. Cursors come from
 * {@code allotment_event_cursor} as for {@link EventSql}, so both tables are one sequence in commit
 * order.
 *
 * <p>Thread-safe (stateless); every method runs on the caller's transaction.
 */
final class EventPages {
  static final String TABLE = "allotment_event_page";
  /** A page's text stays below this many characters, unless it holds one event only. */
  static final int PAGE_CHARS = 1_800;

  private static final List<Sql.Column> PAGE_COLUMNS = List.of(
      new Sql.Column("first_cursor", "BIGINT", Types.BIGINT), new Sql.Column("last_cursor", "BIGINT", Types.BIGINT),
      new Sql.Column("committed_at", "TIMESTAMP WITH TIME ZONE", Types.TIMESTAMP_WITH_TIMEZONE),
      new Sql.Column("events", "TEXT", Types.VARCHAR));
  private static final String INSERT = Sql.insertUnnest(TABLE, PAGE_COLUMNS, "");

  private EventPages() {}

  /**
   * PostgreSQL: writes events (rows of {@link EventSql#row}, checked, in order) as pages, as the
   * transaction's last write but for {@link EventSql#write}, which takes its cursors after these.
   *
   * @return how many events were written (all of them)
   */
  static int write(Connection connection, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    // Rows of PAGE_COLUMNS, with the first and last events' offsets (from 1) until the cursors are known.
    List<Object[]> pages = new ArrayList<>();
    StringBuilder text = new StringBuilder(PAGE_CHARS + 512);
    Object[] page = null;
    for (int i = 0; i < rows.size(); i++) {
      Object[] row = rows.get(i);
      if (page != null && (text.length() + lineLength(row) >= PAGE_CHARS || !page[2].equals(row[4]))) {
        page[3] = text.toString();
        text.setLength(0);
        page = null;
      }
      if (page == null) {
        page = new Object[] {(long) i + 1, (long) i + 1, row[4], null};
        pages.add(page);
      } else {
        text.append('\n');
        page[1] = (long) i + 1;
      }
      appendLine(text, row);
    }
    page[3] = text.toString();
    // The cursors last (see EventSql): the cursor row stays locked from here to the commit.
    long base = EventSql.takeCursors(connection, JdbcStores.Dialect.POSTGRESQL, rows.size()) - rows.size();
    for (Object[] each : pages) {
      each[0] = base + (long) each[0];
      each[1] = base + (long) each[1];
    }
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      Sql.bindArrays(connection, statement, PAGE_COLUMNS, pages);
      statement.executeUpdate();
    }
    return rows.size();
  }

  /** The length of an event row's line, its escapes aside. */
  private static int lineLength(Object[] row) {
    return ((String) row[2]).length() + ((String) row[1]).length() + ((String) row[3]).length()
        + ((String) row[5]).length() + 4;
  }

  /** Appends the line of an event row: type, id, customer and payload, escaped, separated by tabs. */
  static void appendLine(StringBuilder text, Object[] row) {
    text.append((String) row[2]).append('\t');
    escape(text, (String) row[1]);
    text.append('\t');
    escape(text, (String) row[3]);
    text.append('\t');
    escape(text, (String) row[5]);
  }

  /**
   * The events of a page whose cursor is past {@code after}, in cursor order.
   *
   * @param firstCursor the page's first cursor
   * @param committedAt the instant of its events
   * @param text the page's text
   * @param after the cursor the events must be past
   */
  static List<StoredEvent> events(long firstCursor, Instant committedAt, String text, long after) {
    List<StoredEvent> events = new ArrayList<>();
    long cursor = firstCursor;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      if (cursor > after) {
        events.add(new StoredEvent(cursor, event(text.substring(start, end), committedAt, cursor)));
      }
      cursor++;
      start = end + 1;
    }
    return events;
  }

  private static BillingEvent event(String line, Instant committedAt, long cursor) {
    String[] fields = line.split("\t", -1);
    if (fields.length != 4) {
      throw new JdbcStoreException("event " + cursor + " of " + TABLE + " has " + fields.length
          + " fields where its page format has 4: '" + Columns.printable(line) + "'");
    }
    return new BillingEvent(unescape(fields[1]), EventType.valueOf(fields[0]), unescape(fields[2]), committedAt,
        unescape(fields[3]));
  }

  private static void escape(StringBuilder text, String value) {
    if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0) {
      text.append(value); // the common case: nothing to escape
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        default -> text.append(c);
      }
    }
  }

  private static String unescape(String value) {
    if (value.indexOf('\\') < 0) {
      return value;
    }
    StringBuilder text = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char next = value.charAt(++i);
        text.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }
}
