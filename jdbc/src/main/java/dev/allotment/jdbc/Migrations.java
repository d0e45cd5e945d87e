package dev.allotment.jdbc;

import dev.allotment.jdbc.JdbcStores.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned schema: SQL scripts shipped as resources under
 * {@code dev/allotment/jdbc/migration/<dialect>/V<n>__<name>.sql}, applied in version order and
 * recorded in {@code allotment_schema_version}.
 *
 * <p>Safe when several nodes start at once:
 * <ul>
 *   <li>PostgreSQL: the whole migration is one transaction holding a transaction-scoped advisory
 *       lock ({@code pg_advisory_xact_lock}) for the current schema, and PostgreSQL's DDL is
 *       transactional. A second starter waits for the lock, then finds every script recorded. The
 *       transaction runs at READ COMMITTED whatever the connection's default, so the reads after
 *       the lock see what the lock holder committed.
 *   <li>H2: DDL commits on its own, so scripts are written to be idempotent ({@code IF NOT EXISTS})
 *       and starters in one JVM are serialised on a lock per database URL; a script interrupted
 *       half-way is completed by the next start.
 * </ul>
 *
 * <p>A script may have a step in Java that runs right after its statements, in the same
 * transaction: V4's {@link PendingLineResolution}, which moves data no single SQL text of both
 * dialects moves exactly.
 *
 * <p>Thread-safe.
 */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** What a script does after its statements, in the migration's transaction. */
  @FunctionalInterface
  interface Step {
    Step NONE = (connection, dialect) -> { };

    void run(Connection connection, Dialect dialect) throws SQLException;
  }

  /** A script: version n, resource {@code V<n>__<name>.sql}, and its step. */
  record Script(int version, String name, Step after) {
    Script(int version, String name) {
      this(version, name, Step.NONE);
    }

    String resource(Dialect dialect) {
      return "migration/" + directory(dialect) + "/V" + version + "__" + name + ".sql";
    }
  }

  /** Every script, in version order. Add new ones at the end, for every dialect. */
  static final List<Script> SCRIPTS = List.of(new Script(1, "initial_schema"), new Script(2, "free_minute_ledger"),
      new Script(3, "intents_and_revocations"),
      new Script(4, "assignment_versions", PendingLineResolution::run));

  /** The schema version this library needs. */
  static final int LATEST = SCRIPTS.get(SCRIPTS.size() - 1).version();

  /** The tables the scripts create, children before parents (a safe order to empty them in). */
  static final List<String> TABLES = List.of("allotment_free_minute_take", "allotment_free_minute_usage",
      "allotment_free_minute_grant", PendingLineResolution.ARCHIVE, "allotment_charge_line", "allotment_watermark",
      "allotment_assignment", "allotment_credit_entry", "allotment_credit_balance", "allotment_spend",
      "allotment_package");

  static final String VERSION_TABLE = "allotment_schema_version";

  private static final List<Sql.Column> VERSION_COLUMNS = List.of(
      new Sql.Column("version", "INTEGER", Types.INTEGER),
      new Sql.Column("description", "VARCHAR(200)", Types.VARCHAR),
      new Sql.Column("checksum", "BIGINT", Types.BIGINT));

  /** Classid of the PostgreSQL advisory lock ("Allo"); the objid is a hash of the schema name. */
  private static final int PG_LOCK_CLASS = 0x416C6C6F;

  private static final Map<String, Object> H2_LOCKS = new ConcurrentHashMap<>();

  private final Database db;

  Migrations(Database db) {
    this.db = db;
  }

  private static String directory(Dialect dialect) {
    return switch (dialect) {
      case POSTGRESQL -> "postgresql";
      case H2 -> "h2";
    };
  }

  /** Applies every script not recorded yet; returns how many it applied. */
  int migrate() {
    return migrate(LATEST);
  }

  /**
   * Applies the scripts not recorded yet up to version {@code target}: for tests that need a
   * database as an older release left it.
   */
  int migrate(int target) {
    if (db.dialect == Dialect.POSTGRESQL) {
      return db.transaction("migrate the Allotment schema", connection -> {
        // First, before any query: under REPEATABLE READ or SERIALIZABLE (a host's
        // default_transaction_isolation) the lock statement would fix the snapshot before it
        // waits, and a starter that waited would not see the scripts the lock holder recorded
        // and rerun them. READ COMMITTED takes a snapshot per statement, after the lock.
        try (Statement isolation = connection.createStatement()) {
          isolation.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        }
        try (PreparedStatement lock =
            connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(coalesce(current_schema(), '')))")) {
          lock.setInt(1, PG_LOCK_CLASS);
          lock.executeQuery().close();
        }
        return applyPending(connection, target);
      });
    }
    String url = db.transaction("read the database URL", connection -> connection.getMetaData().getURL());
    synchronized (H2_LOCKS.computeIfAbsent(url, u -> new Object())) {
      return db.transaction("migrate the Allotment schema", connection -> applyPending(connection, target));
    }
  }

  private int applyPending(Connection connection, int target) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " ("
          + "version INTEGER NOT NULL, "
          + "description VARCHAR(200) NOT NULL, "
          + "checksum BIGINT NOT NULL, "
          + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP, "
          + "CONSTRAINT " + VERSION_TABLE + "_pk PRIMARY KEY (version))");
    }
    Map<Integer, Long> applied = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT version, checksum FROM " + VERSION_TABLE)) {
      while (rs.next()) {
        applied.put(rs.getInt(1), rs.getLong(2));
      }
    }
    int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (newest > LATEST) {
      // A newer node migrated already. Scripts only add, so older code keeps working; say so.
      LOG.warn("The Allotment schema is at version {}, newer than this library's {}; continuing", newest, LATEST);
    }
    int count = 0;
    for (Script script : SCRIPTS) {
      if (script.version() > target) {
        break;
      }
      String text = read(script.resource(db.dialect));
      long checksum = checksum(text);
      Long recorded = applied.get(script.version());
      if (recorded != null) {
        if (recorded != checksum) {
          LOG.warn("Allotment schema script {} differs from the one applied (checksum {} applied, {} now)",
              script.resource(db.dialect), recorded, checksum);
        }
        continue;
      }
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements(text)) {
          statement.execute(sql);
        }
      }
      script.after().run(connection, db.dialect);
      try (PreparedStatement record = connection.prepareStatement(
          Sql.insertIfAbsent(db.dialect, VERSION_TABLE, VERSION_COLUMNS, List.of("version")))) {
        Sql.bind(record, VERSION_COLUMNS, new Object[] {script.version(), script.name(), checksum});
        record.executeUpdate();
      }
      LOG.info("Applied Allotment schema script {}", script.resource(db.dialect));
      count++;
    }
    return count;
  }

  /** The newest version recorded; 0 for a database Allotment never migrated. */
  int currentVersion() {
    return db.transaction("read the Allotment schema version", connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
        rs.next();
        return rs.getInt(1);
      } catch (SQLException e) {
        String state = Database.sqlState(e);
        // 42P01 (PostgreSQL) / 42S02, 42S04 (H2): no such table, so never migrated.
        if ("42P01".equals(state) || "42S02".equals(state) || "42S04".equals(state)) {
          connection.rollback();
          return 0;
        }
        throw e;
      }
    });
  }

  static String read(String resource) {
    try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema script missing from the class path: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema script " + resource, e);
    }
  }

  /** The statements of a script: full-line {@code --} comments dropped, split at a semicolon ending a line. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\r?\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1);
        statements.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(trimmed).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("schema script ends without a semicolon: " + current);
    }
    return statements;
  }

  static long checksum(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
