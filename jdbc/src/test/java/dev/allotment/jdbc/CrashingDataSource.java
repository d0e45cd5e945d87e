package dev.allotment.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A DataSource that loses its database at a chosen point, as a node whose network is cut or whose
 * database connection is killed: once armed, after the n-th executed statement (the next one
 * fails) or after the n-th journal commit, a committed transaction that wrote charge lines or
 * watermarks (the commit succeeds, the next call fails). From then on every connection it handed out is closed for real (the
 * database rolls back whatever that connection had in flight), and every call fails with SQL state
 * 08006 (connection failure), which the stores never retry.
 *
 * <p>Wrap a DataSource that opens a physical connection per call, so that closing is real.
 * Thread-safe.
 */
final class CrashingDataSource extends ForwardingDataSource {
  static final String STATE = "08006";

  /** What the limit counts. */
  enum Mode {
    /** Statements executed (queries and updates; a JDBC batch counts once). */
    STATEMENTS,
    /** Committed transactions that wrote to the charge journal (lines or watermarks). */
    JOURNAL_COMMITS
  }

  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger statements = new AtomicInteger();
  private final AtomicInteger journalCommits = new AtomicInteger();
  private volatile Mode mode;
  private volatile int limit;
  private volatile boolean dead;

  CrashingDataSource(DataSource target) {
    super(target);
  }

  /** Starts counting from zero; loses the database after {@code limit} of {@code what}. */
  CrashingDataSource arm(Mode what, int limit) {
    statements.set(0);
    journalCommits.set(0);
    this.limit = limit;
    this.mode = what;
    return this;
  }

  /** Statements executed since {@link #arm} (the failing one included). */
  int statements() {
    return statements.get();
  }

  /** Journal transactions committed since {@link #arm}. */
  int journalCommits() {
    return journalCommits.get();
  }

  boolean dead() {
    return dead;
  }

  private void die() {
    dead = true;
    for (Connection connection : open) {
      try {
        connection.close();
      } catch (SQLException e) {
        // Already broken: that is the point.
      }
    }
  }

  private static SQLException lost() {
    return new SQLException("injected crash: the connection to the database is lost", STATE);
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (dead) {
      throw new SQLException("injected crash: the database cannot be reached", "08001");
    }
    Connection connection = target.getConnection();
    open.add(connection);
    if (dead) {
      die();
      throw lost();
    }
    return wrap(connection);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the stores never pass credentials");
  }

  @Override
  Connection wrap(Connection connection) {
    boolean[] journalWritten = {false};
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("close")) {
            open.remove(connection);
            try {
              connection.close();
            } catch (SQLException e) {
              if (!dead) {
                throw e;
              }
            }
            return null;
          }
          if (name.equals("isClosed")) {
            return dead || connection.isClosed();
          }
          if (dead) {
            throw lost();
          }
          if (name.equals("rollback") && (args == null || args.length == 0)) {
            journalWritten[0] = false;
          }
          Object result = invoke(connection, method, args);
          if (name.equals("commit")) {
            if (journalWritten[0] && journalCommits.incrementAndGet() >= limit && mode == Mode.JOURNAL_COMMITS) {
              die();
            }
            journalWritten[0] = false;
          }
          if (result instanceof Statement statement) {
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : "";
            return statement(statement, sql, journalWritten);
          }
          return result;
        });
  }

  private Statement statement(Statement statement, String preparedSql, boolean[] journalWritten) {
    Class<?> type = statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
    return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          if (dead) {
            throw lost();
          }
          if (method.getName().startsWith("execute")) {
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
            if (statements.incrementAndGet() > limit && mode == Mode.STATEMENTS) {
              die();
              throw lost();
            }
            if (writesJournal(sql)) {
              journalWritten[0] = true;
            }
          }
          return invoke(statement, method, args);
        });
  }

  /** True for the statements that write the journal: lines or watermarks (alone, or among a batch's writes). */
  private static boolean writesJournal(String sql) {
    for (String table : new String[] {JdbcChargeJournal.LINES, JdbcChargeJournal.WATERMARKS}) {
      if (sql.contains("INSERT INTO " + table + " ") || sql.startsWith("MERGE INTO " + table + " ")) {
        return true;
      }
    }
    return false;
  }
}
