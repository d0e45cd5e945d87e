package dev.allotment.jdbc;

import dev.allotment.core.SetOnce;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.EventOutbox;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.PackageCatalog;
import dev.allotment.spi.RunLeases;
import dev.allotment.spi.UnitOfWork;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Every Allotment store over one JDBC {@link DataSource}, as one {@link BillingStores}: PostgreSQL
 * for production (many billing nodes sharing one database), H2 2.x as the embedded default (file or
 * memory). A run's batch is one transaction across the tables ({@link #unitOfWork()}).
 *
 * <pre>{@code
 * JdbcStores stores = JdbcStores.create(dataSource);   // detects the dialect, migrates the schema
 * PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores).build();
 * }</pre>
 *
 * <p><b>What the host provides.</b> A {@code DataSource} whose connections reach the database and
 * schema the stores should use. A pooled one is strongly recommended (every store operation borrows
 * a connection and returns it); Allotment adds no pool dependency: use your application's pool
 * (HikariCP, an application server's), or for embedded H2 {@code org.h2.jdbcx.JdbcConnectionPool}.
 * Connections may come in auto-commit mode or not; the stores run each operation as an explicit
 * transaction and give the connection back in the mode it came. Isolation READ COMMITTED (both
 * databases' default) or stricter. H2 works in its default mode and in every compatibility mode but
 * {@code MODE=Oracle}, which stores an empty string as NULL and is refused; so is
 * {@code IGNORECASE=TRUE} (and Allotment tables created under it), which would make keys differing
 * only in case one key. PostgreSQL needs no URL options ({@code reWriteBatchedInserts} is harmless
 * but not needed: multi-row writes already go as single array statements). The driver is the
 * host's: {@code allotment-jdbc} declares PostgreSQL's and H2's optional.
 *
 * <p><b>Migrating.</b> By default {@link #create} applies the scripts the database lacks and records
 * them in {@code allotment_schema_version}; that needs the right to create tables and indexes. A
 * host that migrates separately either calls {@link #migrate()} once with a privileged DataSource,
 * or applies the scripts with its own tools: they ship as {@code db/allotment/postgresql/V<n>__<name>.sql}
 * and {@code db/allotment/h2/...} (Flyway's naming: {@code locations=classpath:db/allotment/{vendor}},
 * best with a history table of their own). Either way it builds the application's stores with
 * {@link Builder#migrateOnStart(boolean) migrateOnStart(false)}, which checks the version recorded,
 * or, without Allotment's version table, that every table and column the stores use is there. V4's
 * script comes with a step in Java that settles the rows V3 releases left in
 * {@code allotment_pending_line}; a database that never ran a V3 release has none, so a host applying
 * the scripts itself has nothing to run (the empty table may be dropped). A database Allotment
 * migrated itself before V4 is upgraded to V4 by {@link #migrate()} once, and may be handed to other
 * tools from there (baseline at 4).
 *
 * <p><b>Schema.</b> Tables are prefixed {@code allotment_}; to keep them apart from the host's own,
 * point the DataSource at a schema of their own (PostgreSQL {@code currentSchema=}, H2
 * {@code SCHEMA=}). Identifiers are ordered by code point ({@code COLLATE "C"} on PostgreSQL; H2's
 * default comparison), which is {@link String#compareTo} order for identifiers without characters
 * outside the Basic Multilingual Plane; an H2 database with {@code SET COLLATION} changed would page
 * assignments in another order.
 *
 * <p><b>Concurrency and failures.</b> Every store is thread-safe and holds no connection between
 * calls, so one instance serves every thread of a node, and any number of nodes may share a
 * PostgreSQL database: the database's keys make a line, a grant, a credit entry or an assignment id
 * stored at most once. Each operation, and each batch a unit of work commits, is one transaction: a
 * failure rolls it back whole. Conflicts between
 * concurrent writers (deadlocks, serialization failures) are retried a bounded number of times.
 * Input a column cannot hold, or that names a package the catalog does not hold, is refused with an
 * {@link IllegalArgumentException} before anything is written; other database failures surface as
 * {@link JdbcStoreException}. Text no database keeps exactly, in ids and free text alike, is
 * refused the same way on both databases: U+0000 (which PostgreSQL refuses) and unpaired UTF-16
 * surrogates (which PostgreSQL's driver would store as {@code '?'}). A lookup by such an id finds
 * nothing (empty, zero), as for any id no store holds; as {@code afterId} of a page it is refused.
 *
 * <p>Immutable and thread-safe.
 */
public final class JdbcStores implements BillingStores {
  /** The databases the stores speak. */
  public enum Dialect {
    /** PostgreSQL 15 (production; several nodes may share one database). */
    POSTGRESQL,
    /** H2 2.x, embedded in file or memory mode (one node). */
    H2;

    /**
     * The dialect of the database behind {@code dataSource}, from its product name.
     *
     * @param dataSource the host's DataSource
     * @return the dialect
     * @throws IllegalArgumentException naming the product when it is neither PostgreSQL nor H2 2.x
     * @throws JdbcStoreException when no connection can be opened
     */
    public static Dialect of(DataSource dataSource) {
      Objects.requireNonNull(dataSource, "dataSource");
      try (Connection connection = dataSource.getConnection()) {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName();
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (name.equals("postgresql")) {
          return POSTGRESQL;
        }
        if (name.equals("h2")) {
          if (meta.getDatabaseMajorVersion() < 2) {
            throw new IllegalArgumentException("unsupported database: H2 " + meta.getDatabaseProductVersion()
                + "; Allotment's JDBC stores need H2 2.x");
          }
          return H2;
        }
        throw new IllegalArgumentException("unsupported database: '" + product + " "
            + meta.getDatabaseProductVersion() + "'; Allotment's JDBC stores support PostgreSQL and H2 2.x");
      } catch (SQLException e) {
        throw Database.translate("detect the database behind the DataSource", e);
      }
    }
  }

  private final Database db;
  private final Migrations migrations;
  private final PackageCatalog catalog;
  private final AssignmentStore assignments;
  private final ChargeJournal journal;
  private final CreditLedger creditLedger;
  private final SpendStore spend;
  private final FreeMinuteStore freeMinutes;
  private final UnitOfWork unitOfWork;
  private final EventOutbox events;
  private final JdbcRunLeases runLeases;

  private JdbcStores(Database db) {
    this.db = db;
    this.migrations = new Migrations(db);
    this.catalog = new JdbcPackageCatalog(db);
    this.assignments = new JdbcAssignmentStore(db);
    this.journal = new JdbcChargeJournal(db);
    this.creditLedger = new JdbcCreditLedger(db);
    this.spend = new JdbcSpendStore(db);
    this.freeMinutes = new JdbcFreeMinuteStore(db);
    this.unitOfWork = new JdbcUnitOfWork(db);
    this.events = new JdbcEventOutbox(db);
    this.runLeases = new JdbcRunLeases(db);
  }

  /**
   * The stores over {@code dataSource}, its dialect detected, its schema migrated to this library's
   * version.
   *
   * @param dataSource the host's DataSource
   * @return the stores
   * @throws IllegalArgumentException when the database is neither PostgreSQL nor H2 2.x
   * @throws JdbcStoreException when the database cannot be reached or migrated
   */
  public static JdbcStores create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * Starts configuring stores over {@code dataSource}.
   *
   * @param dataSource the host's DataSource
   * @return a builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** {@return the schema version this library needs} */
  public static int requiredSchemaVersion() {
    return Migrations.LATEST;
  }

  /** {@return the database's dialect} */
  public Dialect dialect() {
    return db.dialect;
  }

  /**
   * Applies the schema scripts the database lacks, in version order, and records each in
   * {@code allotment_schema_version}. Idempotent, and safe when several nodes call it at once: on
   * PostgreSQL the migration is one transaction under an advisory lock; on H2 every script is
   * idempotent. {@link #create} calls it unless told otherwise. On PostgreSQL it refuses a schema
   * applied by the host's own tools (Allotment tables without a recorded script), which it would
   * otherwise try to create again.
   *
   * @return how many scripts were applied (0 when the schema was current)
   * @throws JdbcStoreException when a script fails (on PostgreSQL nothing of the migration remains)
   */
  public int migrate() {
    return migrations.migrate();
  }

  /** {@return the newest schema version recorded in the database; 0 when it was never migrated} */
  public int schemaVersion() {
    return migrations.currentVersion();
  }

  /** The catalog, table {@code allotment_package}. */
  @Override
  public PackageCatalog catalog() {
    return catalog;
  }

  /**
   * The assignments, table {@code allotment_assignment}, each row with its version. An assignment's
   * package must be defined in {@link #catalog()} first.
   */
  @Override
  public AssignmentStore assignments() {
    return assignments;
  }

  /**
   * The charge journal, tables {@code allotment_charge_line} and {@code allotment_watermark}, which
   * {@link #unitOfWork()} writes. A line's package must be defined in {@link #catalog()}, in the
   * line's currency; the assignment need not be in {@link #assignments()}.
   */
  @Override
  public ChargeJournal journal() {
    return journal;
  }

  /** The credit ledger, tables {@code allotment_credit_entry} and {@code allotment_credit_balance}. */
  @Override
  public CreditLedger creditLedger() {
    return creditLedger;
  }

  /** The customers' spend, table {@code allotment_spend}, which the host fills. */
  @Override
  public SpendStore spend() {
    return spend;
  }

  /**
   * The free-minute ledger's store, tables {@code allotment_free_minute_grant},
   * {@code allotment_free_minute_usage} and {@code allotment_free_minute_take}: what a soft-switch
   * reaches on every call through the engine. Taking seconds from a grant is one conditional
   * {@code UPDATE}; a call is consumed once per usage id, in one transaction, however many nodes
   * report it. Grants are written by {@link #unitOfWork()}. Instants are stored to the microsecond:
   * a grant or call with a finer instant is refused with an {@link IllegalArgumentException}.
   */
  @Override
  public FreeMinuteStore freeMinutes() {
    return freeMinutes;
  }

  /**
   * Commits a run's batch as one transaction: its checks (assignment versions, credit floors) with
   * the rows they read locked, then its lines, watermarks, grants, credit postings and cleared
   * reprice markers, in a few array statements (PostgreSQL) or JDBC batches (H2).
   */
  @Override
  public UnitOfWork unitOfWork() {
    return unitOfWork;
  }

  /**
   * The event outbox, table {@code allotment_event}, which the other stores write in the transactions
   * of the events' effects. Cursors follow commit order also with many nodes sharing one PostgreSQL:
   * every transaction that writes events takes its cursors from the one row of
   * {@code allotment_event_cursor} as its last write, so that row's lock orders the commits of event
   * writers, and a reader that sees an event sees every event with a smaller cursor. Retention
   * ({@link EventOutbox#deleteThrough}) keeps each deleted event's id, without its payload.
   */
  @Override
  public EventOutbox events() {
    return events;
  }

  /**
   * The leases of fleet runs, table {@code allotment_run_partition}: a claim is a
   * {@code SELECT ... FOR UPDATE SKIP LOCKED} of one partition's row, no advisory lock, so engines on
   * any number of hosts share a run.
   */
  @Override
  public Optional<RunLeases> runLeases() {
    return Optional.of(runLeases);
  }

  @Override
  public String toString() {
    return "JdbcStores[" + db.dialect + "]";
  }

  /**
   * Configures {@link JdbcStores}. Each setter may be called once.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private Dialect dialect;
    private Boolean migrateOnStart;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The dialect, instead of detecting it from the database's product name.
     *
     * @param dialect the dialect
     * @return this builder
     */
    public Builder dialect(Dialect dialect) {
      SetOnce.check(this.dialect, "dialect");
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Whether {@link #build()} applies missing schema scripts (default true). When false,
     * {@link #build()} only checks the schema: that Allotment's version table records the version
     * this library needs, or, when there is no version table (the host applied the scripts with its
     * own tools), that every table and column the stores use exists.
     *
     * @param migrateOnStart false to only check the schema
     * @return this builder
     */
    public Builder migrateOnStart(boolean migrateOnStart) {
      SetOnce.check(this.migrateOnStart, "migrateOnStart");
      this.migrateOnStart = migrateOnStart;
      return this;
    }

    /**
     * Connects once to detect the dialect (unless given) and to migrate or check the schema.
     *
     * @return the stores
     * @throws IllegalArgumentException when the database is neither PostgreSQL nor H2 2.x, or is H2
     *     in {@code MODE=Oracle} or with {@code IGNORECASE=TRUE} (or Allotment tables created under it)
     * @throws JdbcStoreException when the database cannot be reached or migrated, or without
     *     migration when its schema is older than this library needs or lacks a table or column
     *     (the message names them)
     */
    public JdbcStores build() {
      JdbcStores stores = new JdbcStores(new Database(dataSource, dialect != null ? dialect : Dialect.of(dataSource)));
      stores.db.checkCompatibility();
      if (migrateOnStart == null || migrateOnStart) {
        stores.migrate();
        return stores;
      }
      int version = stores.schemaVersion();
      if (version >= Migrations.LATEST) {
        return stores;
      }
      if (version > 0) {
        throw new JdbcStoreException("the Allotment schema is at version " + version + ", this library needs "
            + Migrations.LATEST + ": call migrate() (or build with migrateOnStart(true))");
      }
      // No version table: a schema the host applied with its own tools, or none at all.
      List<String> missing = stores.migrations.missingSchema();
      if (!missing.isEmpty()) {
        throw new JdbcStoreException("the Allotment schema is at version 0 (no script recorded in "
            + Migrations.VERSION_TABLE + ") and lacks " + missing + ": apply the scripts under "
            + Migrations.LOCATION + stores.migrations.directory() + " up to V" + Migrations.LATEST
            + " (or build with migrateOnStart(true), or call migrate())");
      }
      return stores;
    }
  }
}
