package dev.allotment.jdbc;

import dev.allotment.jdbc.JdbcStores.Dialect;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;

/**
 * Statement text that differs by dialect, built from a table's column list so each store binds a
 * row the same way whatever the database.
 *
 * <p>Two forms of "insert unless the key is held":
 * <ul>
 *   <li>PostgreSQL: {@code INSERT ... ON CONFLICT DO NOTHING}, which waits for a concurrent inserter
 *       of the same key and then does nothing. Many rows go as one statement over {@code unnest} of
 *       array parameters, so the update count is exact whatever batching options the host's URL sets
 *       ({@code reWriteBatchedInserts} turns batch counts into "unknown").
 *   <li>H2: {@code MERGE INTO ... USING ... WHEN NOT MATCHED THEN INSERT}, which skips keys that are
 *       committed or written earlier in the same transaction. A key inserted by a concurrent,
 *       uncommitted transaction makes it fail with a duplicate key once that transaction commits;
 *       {@link Database#transaction} then retries the whole operation, which finds the key held.
 * </ul>
 */
final class Sql {
  private Sql() {}

  /** A column of a table: its name, SQL type and the JDBC type used to bind a null. */
  record Column(String name, String type, int jdbcType) {}

  static String names(List<Column> columns) {
    StringJoiner names = new StringJoiner(", ");
    columns.forEach(c -> names.add(c.name()));
    return names.toString();
  }

  /** Inserts one row (parameters in column order) unless its key is held; the update count says which. */
  static String insertIfAbsent(Dialect dialect, String table, List<Column> columns, List<String> keyColumns) {
    if (dialect == Dialect.POSTGRESQL) {
      return "INSERT INTO " + table + " (" + names(columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1)
          + "?) ON CONFLICT (" + String.join(", ", keyColumns) + ") DO NOTHING";
    }
    return merge(table, columns, keyColumns, "");
  }

  /**
   * H2: inserts one row (parameters in column order) unless its key is held or {@code condition}
   * (on the row, alias {@code s}; empty for none) is false; the update count says which.
   */
  static String merge(String table, List<Column> columns, List<String> keyColumns, String condition) {
    StringJoiner values = new StringJoiner(", ");
    StringJoiner sourceValues = new StringJoiner(", ");
    for (Column column : columns) {
      // H2 cannot type a bare parameter inside VALUES.
      values.add("CAST(? AS " + column.type() + ")");
      sourceValues.add("s." + column.name());
    }
    StringJoiner on = new StringJoiner(" AND ");
    keyColumns.forEach(k -> on.add("t." + k + " = s." + k));
    return "MERGE INTO " + table + " t USING (VALUES (" + values + ")) s (" + names(columns) + ") ON " + on
        + " WHEN NOT MATCHED" + (condition.isEmpty() ? "" : " AND " + condition) + " THEN INSERT ("
        + names(columns) + ") VALUES (" + sourceValues + ")";
  }

  /**
   * PostgreSQL: inserts one row per array element, in array order, from one array parameter per
   * column; {@code tail} is the conflict clause and whatever follows it.
   */
  static String insertUnnest(String table, List<Column> columns, String tail) {
    return insertUnnest(table, columns, "", tail);
  }

  /**
   * {@link #insertUnnest(String, List, String)} of the rows that meet {@code where} (a condition on
   * the rows, alias {@code u}, e.g. {@code "WHERE NOT EXISTS (...)"}; empty for every row).
   */
  static String insertUnnest(String table, List<Column> columns, String where, String tail) {
    return "INSERT INTO " + table + " (" + names(columns) + ") SELECT " + names(columns) + " FROM " + unnest(columns)
        + (where.isEmpty() ? "" : " " + where) + " ORDER BY allotment_ordinal " + tail;
  }

  /**
   * PostgreSQL: the rows of one array parameter per column as a relation {@code u} with the
   * columns' names and {@code allotment_ordinal}, the position in the arrays.
   */
  static String unnest(List<Column> columns) {
    StringJoiner arrays = new StringJoiner(", ");
    columns.forEach(c -> arrays.add("?::" + c.type() + "[]"));
    return "unnest(" + arrays + ") WITH ORDINALITY AS u (" + names(columns) + ", allotment_ordinal)";
  }

  /**
   * Runs a row-writing statement over every row: on PostgreSQL a statement built by
   * {@link #insertUnnest} once per {@code chunk} rows, on H2 a one-row statement in JDBC batches of
   * {@code chunk}. Rows are written in the order given.
   *
   * @return the sum of the update counts (rows inserted, for an insert-if-absent)
   */
  static int writeRows(Dialect dialect, Connection connection, String sql, List<Column> columns, List<Object[]> rows,
      int chunk) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    int count = 0;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int from = 0; from < rows.size(); from += chunk) {
        List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + chunk));
        if (dialect == Dialect.POSTGRESQL) {
          bindArrays(connection, statement, columns, part);
          count += statement.executeUpdate();
        } else {
          for (Object[] row : part) {
            bind(statement, columns, row);
            statement.addBatch();
          }
          for (int rowCount : statement.executeBatch()) {
            count += rowCount;
          }
        }
      }
    }
    return count;
  }

  /** Binds one row, parameter i + 1 from {@code row[i]}. */
  static void bind(PreparedStatement statement, List<Column> columns, Object[] row) throws SQLException {
    for (int i = 0; i < columns.size(); i++) {
      set(statement, i + 1, columns.get(i), row[i]);
    }
  }

  /** Binds parameter {@code index} to {@code value}, or to a null of the column's type. */
  static void set(PreparedStatement statement, int index, Column column, Object value) throws SQLException {
    if (value == null) {
      statement.setNull(index, column.jdbcType());
    } else {
      statement.setObject(index, value);
    }
  }

  /** Binds rows column-wise as text arrays (the statement casts each to its column type). */
  static void bindArrays(Connection connection, PreparedStatement statement, List<Column> columns, List<Object[]> rows)
      throws SQLException {
    bindArrays(connection, statement, 1, columns, rows);
  }

  /**
   * Binds rows column-wise as text arrays from parameter {@code first} on, for a statement of several
   * parts; returns the index of the parameter after them.
   */
  static int bindArrays(Connection connection, PreparedStatement statement, int first, List<Column> columns,
      List<Object[]> rows) throws SQLException {
    for (int i = 0; i < columns.size(); i++) {
      String[] values = new String[rows.size()];
      for (int r = 0; r < rows.size(); r++) {
        values[r] = text(rows.get(r)[i]);
      }
      statement.setArray(first + i, connection.createArrayOf("varchar", values));
    }
    return first + columns.size();
  }

  /** An array parameter of strings, for {@code = ANY(?)} and {@code unnest(?)}. */
  static Array textArray(Connection connection, List<String> values) throws SQLException {
    return connection.createArrayOf("varchar", values.toArray(new String[0]));
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    // toPlainString: PostgreSQL reads 1E+3 as a number too, but plain text is what a person debugging expects.
    return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
  }
}
