package dev.allotment.jdbc;

import dev.allotment.jdbc.JdbcStores.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's DataSource and its dialect, and the one way the stores talk to it: a transaction per
 * operation on a connection of its own, rolled back on any failure and retried when the database
 * reports a transient conflict.
 *
 * <p>Thread-safe: it holds no connection between calls.
 */
final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /**
   * Retries of one operation before a transient conflict is reported. Conflicts only arise when
   * writers race for the same keys, and each retry sees the winner's committed rows, so a handful
   * is plenty; the bound keeps a bug from spinning forever.
   */
  static final int MAX_ATTEMPTS = 20;
  /** SQL states of a row a check constraint refuses: PostgreSQL's, H2's. */
  private static final List<String> CHECK_VIOLATIONS = List.of("23514", "23513");

  final DataSource dataSource;
  final Dialect dialect;

  Database(DataSource dataSource, Dialect dialect) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  /**
   * Refuses a database whose settings break the stores, before anything is written:
   * <ul>
   *   <li>H2 in Oracle compatibility mode reads an empty string as NULL, so a package without
   *       description could not be stored.
   *   <li>H2 with {@code IGNORECASE=TRUE} creates text columns as {@code VARCHAR_IGNORECASE}, so
   *       keys differing only in case would be one key: a second debit silently "already applied",
   *       an assignment id taken by another. Refused as a setting, and as Allotment tables created
   *       under it (their columns stay case-insensitive when the setting is later turned off).
   * </ul>
   */
  void checkCompatibility() {
    if (dialect != Dialect.H2) {
      return;
    }
    Map<String, String> settings = transaction("read the H2 settings", connection -> {
      Map<String, String> found = new java.util.HashMap<>();
      try (java.sql.Statement statement = connection.createStatement();
          java.sql.ResultSet rs = statement.executeQuery("SELECT SETTING_NAME, SETTING_VALUE"
              + " FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('MODE', 'IGNORECASE')")) {
        while (rs.next()) {
          found.put(rs.getString(1), rs.getString(2));
        }
      }
      return found;
    });
    String mode = settings.getOrDefault("MODE", "");
    if ("Oracle".equalsIgnoreCase(mode)) {
      throw new IllegalArgumentException("unsupported database: H2 in MODE=" + mode
          + " stores empty strings as NULL; use H2's default mode or another compatibility mode");
    }
    String ignoreCase = settings.getOrDefault("IGNORECASE", "0");
    if (ignoreCase.equals("1") || ignoreCase.equalsIgnoreCase("TRUE")) {
      throw new IllegalArgumentException("unsupported database: H2 with IGNORECASE=TRUE compares text ignoring"
          + " case, so keys differing only in case ('A1' and 'a1') would be one key; open it without IGNORECASE");
    }
    List<String> caseless = transaction("read the text columns of the Allotment tables", connection -> {
      List<String> columns = new ArrayList<>();
      try (java.sql.Statement statement = connection.createStatement();
          java.sql.ResultSet rs = statement.executeQuery("SELECT TABLE_NAME, COLUMN_NAME"
              + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
              + " AND UPPER(TABLE_NAME) LIKE 'ALLOTMENT%' AND DATA_TYPE = 'VARCHAR_IGNORECASE'"
              + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
        while (rs.next()) {
          columns.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT) + "."
              + rs.getString(2).toLowerCase(java.util.Locale.ROOT));
        }
      }
      return columns;
    });
    if (!caseless.isEmpty()) {
      throw new IllegalArgumentException("unsupported database: the Allotment tables were created under H2's"
          + " IGNORECASE=TRUE, so their columns " + caseless + " are VARCHAR_IGNORECASE and keys differing only in"
          + " case would be one key; recreate them (or ALTER these columns to VARCHAR) without IGNORECASE");
    }
  }

  /** A unit of work on one connection inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    /**
     * Runs the work. To discard its writes and still return normally, call
     * {@link Connection#rollback()}; the commit that follows then commits nothing.
     */
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction and commits it. Every write of the work is committed
   * together or not at all. A transient conflict (deadlock, serialization failure, and on H2 a
   * key inserted by a concurrent transaction) rolls back and runs the work again from scratch, so
   * work must compute its result from what it reads, never from state left by an earlier attempt.
   *
   * @param operation what the work does, for error messages ("commit 12 charge lines")
   * @throws IllegalArgumentException when the database rejected a value (SQL state class 22, or a
   *     check constraint's)
   * @throws JdbcStoreException when the database failed otherwise
   */
  <T> T transaction(String operation, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(work);
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isTransient(e)) {
          LOG.debug("{}: transient conflict (SQL state {}), attempt {} of {}", operation, sqlState(e), attempt,
              MAX_ATTEMPTS);
          pause(operation, attempt, e);
          continue;
        }
        throw translate(operation, e);
      }
    }
  }

  private <T> T attempt(Work<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      // A pool may hand out connections in either mode; give it back the way it came.
      boolean autoCommit = connection.getAutoCommit();
      if (autoCommit) {
        connection.setAutoCommit(false);
      }
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (Throwable e) {
        // Any throwable, a checked one thrown sneakily by a host's callback included: restoring
        // auto-commit below would otherwise commit the half-done work.
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        if (autoCommit) {
          restoreAutoCommit(connection);
        }
      }
    }
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  private static void restoreAutoCommit(Connection connection) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      // The transaction is already over; a connection that cannot switch back is the pool's to discard.
      LOG.debug("could not restore auto-commit on a returned connection", e);
    }
  }

  /**
   * Waits before the next attempt. Interrupted, it gives up: the interrupt flag is set again and the
   * conflict that made it wait is reported, as the cause with its SQL state, with the interrupt
   * suppressed on it.
   */
  private static void pause(String operation, int attempt, SQLException conflict) {
    try {
      // Random, growing pauses break the lockstep of writers that collided once.
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + 4L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      JdbcStoreException failure = new JdbcStoreException(operation + ": interrupted while retrying a conflicting"
          + " transaction (SQL state " + sqlState(conflict) + "): " + message(conflict), conflict);
      failure.addSuppressed(e);
      throw failure;
    }
  }

  /** True when every failure in the chain is a conflict with a concurrent transaction. */
  boolean isTransient(SQLException e) {
    List<String> states = sqlStates(e);
    if (states.isEmpty()) {
      return false;
    }
    for (String state : states) {
      boolean conflict = state.equals("40001") || state.equals("40P01")
          // H2 has no insert-if-absent that waits for a concurrent inserter: the loser of the race
          // sees a duplicate key (our writes are all insert-if-absent, so a retry finds the key
          // held and does nothing) or, under long waits, a lock timeout.
          || (dialect == Dialect.H2 && (state.equals("23505") || state.equals("HYT00")));
      if (!conflict) {
        return false;
      }
    }
    return true;
  }

  /** Whether the failure is a foreign key naming a row that does not exist (SQL states 23503, 23506). */
  static boolean isMissingReference(SQLException e) {
    String state = sqlState(e);
    return "23503".equals(state) || "23506".equals(state);
  }

  /** Maps a failure to the exception the stores document. */
  static RuntimeException translate(String operation, SQLException e) {
    String state = sqlState(e);
    String message = message(e);
    // Class 22 (a value out of a column's range or form) and a row a check constraint refuses (such as
    // a grant revised to end before it starts) are the caller's values, not the database's failures.
    if (state != null && (state.startsWith("22") || CHECK_VIOLATIONS.contains(state))) {
      return new IllegalArgumentException(operation + ": the database rejected a value (SQL state " + state + "): "
          + message, e);
    }
    if (isMissingReference(e)) {
      return new IllegalArgumentException(operation + ": a referenced row does not exist (SQL state " + state + "): "
          + message, e);
    }
    return new JdbcStoreException(operation + " failed (SQL state " + state + "): " + message, e);
  }

  /** The first SQL state in the chain of {@code e} (next exceptions, then causes). */
  static String sqlState(SQLException e) {
    List<String> states = sqlStates(e);
    return states.isEmpty() ? null : states.get(0);
  }

  private static List<String> sqlStates(SQLException e) {
    List<String> states = new ArrayList<>();
    for (Throwable t : chain(e)) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        states.add(s.getSQLState());
      }
    }
    return states;
  }

  private static String message(SQLException e) {
    // Batch failures hide the useful message in the next exception.
    for (Throwable t : chain(e)) {
      if (t != e && t instanceof SQLException s && s.getMessage() != null) {
        return s.getMessage();
      }
    }
    return e.getMessage();
  }

  private static List<Throwable> chain(SQLException e) {
    List<Throwable> chain = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    List<Throwable> todo = new ArrayList<>(List.of(e));
    while (!todo.isEmpty() && chain.size() < 50) {
      Throwable t = todo.remove(0);
      if (t == null || seen.put(t, Boolean.TRUE) != null) {
        continue;
      }
      chain.add(t);
      if (t instanceof SQLException s) {
        todo.add(s.getNextException());
      }
      todo.add(t.getCause());
    }
    return chain;
  }
}
