package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Everything a CHARGE run changes, read straight from the tables, row for row and column for column
 * (commit, posting and grant timestamps left out): journal lines, watermarks, credit entries,
 * balances, assignments (whose reprice markers and versions a run changes) and free-minute grants.
 * Two databases that went through the same billing hold equal states.
 *
 * <p>Immutable.
 *
 * @param lines every journal row, in key order
 * @param watermarks every watermark row, by assignment
 * @param creditEntries every credit entry row (key, customer, debit, currency, amount), in key order
 * @param balances every balance row, by customer and currency
 * @param assignments every assignment row with its version, by id
 * @param grants every grant row with its used seconds and whether it is revoked, by id
 */
record StoreState(List<String> lines, List<String> watermarks, List<String> creditEntries, List<String> balances,
    List<String> assignments, List<String> grants) {

  private static final String LINE_COLUMNS = Sql.names(JdbcChargeJournal.COLUMNS);

  static StoreState read(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return new StoreState(
          rows(connection, "SELECT " + LINE_COLUMNS + " FROM allotment_charge_line"
              + " ORDER BY assignment_id, kind, key_period_start, key_sequence"),
          rows(connection, "SELECT assignment_id, decided_through FROM allotment_watermark ORDER BY assignment_id"),
          rows(connection, "SELECT entry_key, customer_id, debit, currency, amount FROM allotment_credit_entry"
              + " ORDER BY entry_key"),
          rows(connection, "SELECT customer_id, currency, balance FROM allotment_credit_balance"
              + " ORDER BY customer_id, currency"),
          rows(connection, "SELECT " + Sql.names(JdbcAssignmentStore.COLUMNS) + ", version FROM allotment_assignment"
              + " ORDER BY id"),
          rows(connection, "SELECT " + Sql.names(FreeMinuteSql.GRANT_COLUMNS) + ", used_seconds,"
              + " CASE WHEN revoked_at IS NULL THEN 'live' ELSE 'revoked' END FROM " + FreeMinuteSql.GRANTS
              + " ORDER BY id"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the store state", e);
    }
  }

  private static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringJoiner row = new StringJoiner("|");
        for (int i = 1; i <= columns; i++) {
          row.add(String.valueOf(rs.getString(i)));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** Fails naming the first differences table by table, instead of printing thousands of rows. */
  static void assertSame(StoreState expected, StoreState actual, String context) {
    List<String> problems = new ArrayList<>();
    compare(problems, "journal lines", expected.lines, actual.lines);
    compare(problems, "watermarks", expected.watermarks, actual.watermarks);
    compare(problems, "credit entries", expected.creditEntries, actual.creditEntries);
    compare(problems, "balances", expected.balances, actual.balances);
    compare(problems, "assignments", expected.assignments, actual.assignments);
    compare(problems, "grants", expected.grants, actual.grants);
    if (!problems.isEmpty()) {
      fail(context + ": the stores differ from one clean run:\n  " + String.join("\n  ", problems));
    }
  }

  private static void compare(List<String> problems, String table, List<String> expected, List<String> actual) {
    if (expected.equals(actual)) {
      return;
    }
    Set<String> missing = new LinkedHashSet<>(expected);
    actual.forEach(missing::remove);
    Set<String> extra = new LinkedHashSet<>(actual);
    expected.forEach(extra::remove);
    problems.add(table + ": " + expected.size() + " rows expected, " + actual.size() + " found; missing "
        + first(missing) + "; unexpected " + first(extra)
        + (missing.isEmpty() && extra.isEmpty() ? " (same rows, some twice or in another order)" : ""));
  }

  private static String first(Set<String> rows) {
    return rows.size() + " " + rows.stream().limit(3).collect(Collectors.toList());
  }

  /** The key text of every journal line, in key order. */
  static List<String> journalKeys(DataSource dataSource) {
    return journal(dataSource).stream().map(l -> l.key().toString()).toList();
  }

  /** A journal row as far as credit is concerned. */
  record JournalLine(LineKey key, BigDecimal retail, boolean autoDecrement) {}

  static List<JournalLine> journal(DataSource dataSource) {
    List<JournalLine> lines = new ArrayList<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT assignment_id, kind, key_period_start, key_sequence, retail,"
            + " auto_decrement FROM allotment_charge_line")) {
      while (rs.next()) {
        lines.add(new JournalLine(new LineKey(rs.getString(1), LineKind.valueOf(rs.getString(2)),
            rs.getObject(3, LocalDate.class), rs.getInt(4)), rs.getBigDecimal(5), rs.getBoolean(6)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the journal", e);
    }
    lines.sort((a, b) -> a.key().compareTo(b.key()));
    return lines;
  }

  /** Every watermark, by assignment id. */
  static Map<String, LocalDate> watermarks(DataSource dataSource) {
    Map<String, LocalDate> marks = new TreeMap<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT assignment_id, decided_through FROM allotment_watermark")) {
      while (rs.next()) {
        marks.put(rs.getString(1), rs.getObject(2, LocalDate.class));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the watermarks", e);
    }
    return marks;
  }

  /**
   * Asserts what a unit of work promises at any moment, a crash included: every journaled
   * auto-decrement line has moved its customer's credit by exactly {@code -retail}, through the
   * posting under its key committed with it.
   *
   * @return how many journaled lines carry a posting
   */
  static int assertEveryJournaledLineHasItsPosting(DataSource dataSource, String context) {
    Map<String, BigDecimal> signed = new HashMap<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT entry_key, debit, amount FROM allotment_credit_entry")) {
      while (rs.next()) {
        BigDecimal amount = rs.getBigDecimal(3);
        signed.put(rs.getString(1), rs.getBoolean(2) ? amount.negate() : amount);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the credit entries", e);
    }
    int posted = 0;
    for (JournalLine line : journal(dataSource)) {
      if (!line.autoDecrement()) {
        continue;
      }
      String key = line.key().toString();
      BigDecimal net = signed.getOrDefault(key, BigDecimal.ZERO);
      assertEquals(0, net.compareTo(line.retail().negate()),
          context + ": journaled line " + key + " of retail " + line.retail() + " has a posting of " + net);
      posted += line.retail().signum() != 0 ? 1 : 0;
    }
    return posted;
  }

  /**
   * Asserts the other half of a batch's atomicity: every grant and every credit entry is keyed by a
   * line the journal holds (the scenarios of the engine-level tests post nothing else), so no batch
   * left an effect without its line.
   */
  static void assertNoEffectWithoutItsLine(DataSource dataSource, String context) {
    Set<String> journaled = new HashSet<>(journalKeys(dataSource));
    List<String> orphans = new ArrayList<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      for (String sql : List.of("SELECT entry_key FROM allotment_credit_entry",
          "SELECT id FROM " + FreeMinuteSql.GRANTS)) {
        try (ResultSet rs = statement.executeQuery(sql)) {
          while (rs.next()) {
            if (!journaled.contains(rs.getString(1))) {
              orphans.add(rs.getString(1));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the credit entries and grants", e);
    }
    assertEquals(List.of(), orphans, context + ": grants or postings without their journaled line");
  }

  /**
   * Every row of every Allotment table, the schema version's included, each table's rows sorted:
   * what "the database is as it was" compares, timestamps and all.
   */
  static Map<String, List<String>> dump(DataSource dataSource) {
    Map<String, List<String>> tables = new TreeMap<>();
    try (Connection connection = dataSource.getConnection()) {
      for (String table : Migrations.TABLES) {
        List<String> rows = rows(connection, "SELECT * FROM " + table);
        rows.sort(null);
        tables.put(table, rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot dump the tables", e);
    }
    return tables;
  }
}
