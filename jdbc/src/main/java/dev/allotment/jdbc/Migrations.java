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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned schema: SQL scripts shipped as resources under
 * {@code db/allotment/<dialect>/V<n>__<name>.sql} (Flyway's naming, so hosts that migrate with their
 * own tools can point them there), applied in version order and recorded in
 * {@code allotment_schema_version}.
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
 * dialects moves exactly, and V10's {@link CustomerHashes}, which computes what no SQL does.
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
      return LOCATION + directory(dialect) + "/V" + version + "__" + name + ".sql";
    }
  }

  /**
   * Where the scripts live on the class path, one directory per dialect ({@code postgresql},
   * {@code h2}: Flyway's {@code {vendor}} names). Not under Flyway's default {@code db/migration},
   * which Flyway scans recursively: a host using Flyway for its own tables would otherwise pick up
   * Allotment's scripts, both dialects' at once.
   */
  static final String LOCATION = "db/allotment/";

  /** Every script, in version order. Add new ones at the end, for every dialect. */
  static final List<Script> SCRIPTS = List.of(new Script(1, "initial_schema"), new Script(2, "free_minute_ledger"),
      new Script(3, "intents_and_revocations"),
      new Script(4, "assignment_versions", PendingLineResolution::run), new Script(5, "events"),
      new Script(6, "own_prices"), new Script(7, "suspensions_and_plan_changes"), new Script(8, "fleet_leases"),
      new Script(9, "longer_destinations"), new Script(10, "customer_hash", CustomerHashes::fill),
      new Script(11, "event_pages"));

  /** The schema version this library needs. */
  static final int LATEST = SCRIPTS.get(SCRIPTS.size() - 1).version();

  /** The tables the scripts create, children before parents (a safe order to empty them in). */
  static final List<String> TABLES = List.of("allotment_event", "allotment_event_page", "allotment_event_cursor", "allotment_free_minute_take", "allotment_free_minute_usage",
      "allotment_free_minute_grant", PendingLineResolution.ARCHIVE, "allotment_charge_line", "allotment_watermark",
      "allotment_assignment", "allotment_credit_entry", "allotment_credit_balance", "allotment_spend",
      "allotment_package", JdbcRunLeases.TABLE);

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

  /** The directory of this database's scripts under {@link #LOCATION}. */
  String directory() {
    return directory(db.dialect);
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
    if (applied.isEmpty() && db.dialect == Dialect.POSTGRESQL
        && existingColumns(connection).containsKey(JdbcPackageCatalog.TABLE)) {
      // PostgreSQL migrates in one transaction, so V1's first table without a recorded script was
      // created by someone else: the host applies the scripts itself. (H2's scripts are idempotent and
      // a start cut short leaves exactly this state, which the next start completes.)
      throw new JdbcStoreException("the Allotment tables exist but " + VERSION_TABLE + " records no script: the"
          + " schema is managed outside Allotment (the scripts under " + LOCATION + directory(db.dialect)
          + " applied by the host's tools); build the stores with migrateOnStart(false), which checks the tables"
          + " and columns instead");
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

  /**
   * The tables and columns the stores use, by table, as the scripts of {@code dialect} create them:
   * every table of every script with every column its {@code CREATE TABLE} and later
   * {@code ADD COLUMN}s give it, but V3's pending lines (which V4's step drops) and their V4 archive
   * (which nothing reads). Names in lower case.
   */
  static Map<String, Set<String>> requiredSchema(Dialect dialect) {
    Map<String, Set<String>> tables = new TreeMap<>();
    for (Script script : SCRIPTS) {
      for (String statement : statements(read(script.resource(dialect)))) {
        Matcher create = CREATE_TABLE.matcher(statement);
        Matcher add = ADD_COLUMN.matcher(statement);
        if (create.matches()) {
          Set<String> columns = tables.computeIfAbsent(create.group(1).toLowerCase(Locale.ROOT), t -> new TreeSet<>());
          for (String line : create.group(2).split("\n")) {
            Matcher column = COLUMN.matcher(line.strip());
            if (column.matches() && !CONSTRAINT_WORDS.contains(column.group(1).toLowerCase(Locale.ROOT))) {
              columns.add(column.group(1).toLowerCase(Locale.ROOT));
            }
          }
        } else if (add.matches()) {
          tables.computeIfAbsent(add.group(1).toLowerCase(Locale.ROOT), t -> new TreeSet<>())
              .add(add.group(2).toLowerCase(Locale.ROOT));
        }
      }
    }
    tables.keySet().removeAll(List.of(PendingLineResolution.PENDING, PendingLineResolution.ARCHIVE));
    return tables;
  }

  private static final Pattern CREATE_TABLE =
      Pattern.compile("(?is)CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s*\\((.*)\\)");
  private static final Pattern ADD_COLUMN =
      Pattern.compile("(?is)ALTER\\s+TABLE\\s+(\\w+)\\s+ADD\\s+COLUMN\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\b.*");
  /** A column definition of the scripts' layout: one per line, starting with the column's name. */
  private static final Pattern COLUMN = Pattern.compile("(?s)([A-Za-z_][A-Za-z0-9_]*)\\s.*");
  private static final Set<String> CONSTRAINT_WORDS = Set.of("constraint", "primary", "unique", "check", "foreign");

  /**
   * What the database lacks of {@link #requiredSchema}: a missing table as {@code table}, a missing
   * column as {@code table.column}, sorted; empty when it has every table and column the stores use.
   * Reads the current schema (the one the DataSource's connections use).
   */
  List<String> missingSchema() {
    Map<String, Set<String>> existing = db.transaction("read the Allotment tables", this::existingColumns);
    List<String> missing = new ArrayList<>();
    requiredSchema(db.dialect).forEach((table, columns) -> {
      Set<String> held = existing.get(table);
      if (held == null) {
        missing.add(table);
      } else {
        columns.stream().filter(c -> !held.contains(c)).forEach(c -> missing.add(table + "." + c));
      }
    });
    return missing;
  }

  /** The columns of the current schema's Allotment tables, by table, in lower case. */
  private Map<String, Set<String>> existingColumns(Connection connection) throws SQLException {
    String sql = db.dialect == Dialect.POSTGRESQL
        ? "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            + " AND table_name LIKE 'allotment%'"
        : "SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
            + " AND UPPER(TABLE_NAME) LIKE 'ALLOTMENT%'";
    Map<String, Set<String>> columns = new HashMap<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        columns.computeIfAbsent(rs.getString(1).toLowerCase(Locale.ROOT), t -> new HashSet<>())
            .add(rs.getString(2).toLowerCase(Locale.ROOT));
      }
    }
    columns.remove(VERSION_TABLE);
    return columns;
  }

  static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
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
