package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.spi.StoredEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The outbox of a database against its effects, read straight from the tables: for crash tests that
 * must prove every committed effect has its event and no event lacks its effect.
 */
final class EventOutcome {
  private EventOutcome() {}

  private static Set<String> strings(DataSource ds, String sql) {
    Set<String> values = new TreeSet<>();
    try (Connection connection = ds.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + sql, e);
    }
    return values;
  }

  /**
   * The ids of the events of {@code type}, from the event rows and the event pages; an id held twice
   * fails (the pages have no unique index: their effects' keys must keep them once).
   */
  private static Set<String> eventIds(DataSource ds, String type) {
    List<String> ids = new ArrayList<>();
    try (Connection connection = ds.getConnection(); Statement statement = connection.createStatement()) {
      try (ResultSet rs = statement.executeQuery("SELECT event_id FROM " + EventSql.TABLE + " WHERE event_type = '"
          + type + "'")) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      try (ResultSet rs = statement.executeQuery("SELECT first_cursor, committed_at, events FROM "
          + EventPages.TABLE)) {
        while (rs.next()) {
          for (StoredEvent event : EventPages.events(rs.getLong(1), Columns.getInstant(rs, "committed_at"),
              rs.getString(3), 0)) {
            if (event.event().type().name().equals(type)) {
              ids.add(event.event().id());
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the events of " + type, e);
    }
    Set<String> distinct = new TreeSet<>(ids);
    assertEquals(ids.size(), distinct.size(), "no " + type + " event twice: " + ids.size() + " events, "
        + distinct.size() + " ids");
    return distinct;
  }

  /** The ids of the LINE_CHARGED events every journaled line must have. */
  static Set<String> lineEventIds(DataSource ds) {
    Set<String> ids = new TreeSet<>();
    try (Connection connection = ds.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT assignment_id, kind, key_period_start, key_sequence FROM "
            + JdbcChargeJournal.LINES)) {
      while (rs.next()) {
        LineKind kind = LineKind.valueOf(rs.getString(2));
        LineKey key = kind == LineKind.ADJUSTMENT
            ? LineKey.adjustment(rs.getString(1), rs.getObject(3, java.time.LocalDate.class), rs.getInt(4))
            : LineKey.of(rs.getString(1), kind, rs.getObject(3, java.time.LocalDate.class));
        ids.add("LINE_CHARGED:" + key);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }

  /**
   * Every journaled line has exactly one LINE_CHARGED event, every grant its GRANT_ISSUED, every entry posted for a journaled line its CREDIT_POSTED; and
   * no such event exists without its effect.
   */
  static void assertEventsAreThoseOfTheEffects(DataSource ds, String context) {
    Set<String> lines = lineEventIds(ds);
    assertEquals(lines, eventIds(ds, "LINE_CHARGED"), context + ": a LINE_CHARGED per journaled line and no other");
    Set<String> grants = new TreeSet<>();
    strings(ds, "SELECT id FROM " + FreeMinuteSql.GRANTS).forEach(id -> grants.add("GRANT_ISSUED:" + id));
    assertEquals(grants, eventIds(ds, "GRANT_ISSUED"), context + ": a GRANT_ISSUED per grant and no other");
    Set<String> postings = new TreeSet<>();
    for (String key : strings(ds, "SELECT entry_key FROM " + JdbcCreditLedger.ENTRIES)) {
      if (lines.contains("LINE_CHARGED:" + key)) {
        postings.add("CREDIT_POSTED:" + key);
      }
    }
    assertEquals(postings, eventIds(ds, "CREDIT_POSTED"), context + ": a CREDIT_POSTED per posting of a line and no"
        + " other");
  }
}
