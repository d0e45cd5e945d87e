package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.MutableBillingClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A host that migrates with its own tools: it applies the scripts shipped under
 * {@code db/allotment/<vendor>/} (Flyway's naming) with plain JDBC, as Flyway or Liquibase would,
 * and builds the stores with migration off. The stores check the tables and columns they use
 * instead of Allotment's version table, and work on that schema.
 */
abstract class ExternalSchemaChecks {
  private static final LocalDate START = LocalDate.of(2026, 3, 1);

  abstract TestDatabase db();

  /** The scripts as a host's tool finds them: every {@code V<n>__*.sql} of the vendor's directory, by version. */
  static List<Path> scripts(Dialect dialect) {
    String directory = "db/allotment/" + dialect.name().toLowerCase(Locale.ROOT);
    URL url = ExternalSchemaChecks.class.getClassLoader().getResource(directory);
    assertTrue(url != null, directory + " is not on the class path");
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      List<Path> scripts = files.filter(f -> f.getFileName().toString().matches("V\\d+__\\w+\\.sql"))
          .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().split("__")[0].substring(1))))
          .toList();
      assertEquals(JdbcStores.requiredSchemaVersion(), scripts.size(), "scripts in " + directory);
      return scripts;
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list " + directory, e);
    }
  }

  /** Applies every script with plain JDBC, statement by statement (they end with a semicolon at a line's end). */
  static void applyScripts(DataSource dataSource, Dialect dialect) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      for (Path script : scripts(dialect)) {
        StringBuilder sql = new StringBuilder();
        for (String line : read(script).split("\n")) {
          if (line.strip().startsWith("--")) {
            continue;
          }
          sql.append(line).append('\n');
          if (line.strip().endsWith(";")) {
            statement.execute(sql.toString().strip().replaceAll(";$", ""));
            sql.setLength(0);
          }
        }
        assertTrue(sql.toString().isBlank(), script + " ends without a semicolon");
      }
    }
  }

  private static String read(Path script) {
    try {
      return Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void execute(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute(sql);
    }
  }

  @Test
  void theStoresWorkOnScriptsTheHostApplied() throws SQLException {
    DataSource dataSource = db().freshDataSource();
    applyScripts(dataSource, db().dialect());

    JdbcStores stores = JdbcStores.builder(dataSource).migrateOnStart(false).build();
    assertEquals(0, stores.schemaVersion(), "no version table of Allotment's");

    MutableBillingClock clock = MutableBillingClock.startOf(START, ZoneOffset.UTC);
    PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores).build();
    billing.define(ServicePackage.builder("uk-500").name("500 UK minutes").currency("GBP").retail("5.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44").roundingIncrementSeconds(60)
        .build());
    billing.assign(Assignment.builder("a-1").customerId("acme").packageId("uk-500").minutes(500).startDate(START)
        .autoDecrementCredit(true).build());
    stores.creditLedger().credit(new CreditEntry("top-up", "acme", Money.of("20.00", "GBP")));

    assertEquals(2, billing.run(START, RunMode.CHARGE).summary().charged());
    assertEquals(0, billing.run(START, RunMode.CHARGE).summary().charged());
    assertEquals(Money.of("15.00", "GBP"), stores.creditLedger().balance("acme", Money.currency("GBP")));
    assertEquals(180, billing.consume(UsageRecord.of("call-1", "acme", "442079460000",
        clock.startOf(START).plusSeconds(3600), 125)).coveredSeconds());
    assertEquals(LocalDate.of(2026, 3, 20), billing.unassign("a-1", LocalDate.of(2026, 3, 20)).endDate().orElseThrow());
  }

  @Test
  void aColumnTheStoresUseMissingIsNamed() throws SQLException {
    DataSource dataSource = db().freshDataSource();
    applyScripts(dataSource, db().dialect());
    execute(dataSource, "ALTER TABLE allotment_assignment DROP COLUMN version");
    execute(dataSource, "DROP TABLE allotment_spend");

    JdbcStoreException e = assertThrows(JdbcStoreException.class,
        () -> JdbcStores.builder(dataSource).migrateOnStart(false).build());
    assertTrue(e.getMessage().contains("[allotment_assignment.version, allotment_spend]"), e.getMessage());
    assertTrue(e.getMessage().contains("db/allotment/" + db().dialect().name().toLowerCase(Locale.ROOT)),
        e.getMessage());
  }

  @Test
  void anEmptyDatabaseIsRefusedWithoutMigration() {
    DataSource dataSource = db().freshDataSource();
    JdbcStoreException e = assertThrows(JdbcStoreException.class,
        () -> JdbcStores.builder(dataSource).migrateOnStart(false).build());
    for (String table : Migrations.requiredSchema(db().dialect()).keySet()) {
      assertTrue(e.getMessage().contains(table), table + " in " + e.getMessage());
    }
  }

  @Test
  void theTablesAndColumnsCheckedAreTheOnesTheStoresMigrateTo() {
    List<String> expected = new ArrayList<>(Migrations.TABLES);
    expected.removeAll(List.of(PendingLineResolution.ARCHIVE));
    assertEquals(expected.stream().sorted().toList(),
        List.copyOf(Migrations.requiredSchema(db().dialect()).keySet()));
    assertTrue(Migrations.requiredSchema(db().dialect()).get("allotment_assignment").contains("version"));
    assertTrue(Migrations.requiredSchema(db().dialect()).get("allotment_free_minute_grant").contains("revoked_at"));
    DataSource migrated = db().freshDataSource();
    JdbcStores.create(migrated);
    assertEquals(List.of(), new Migrations(new Database(migrated, db().dialect())).missingSchema(),
        "a database Allotment migrated has everything");
  }

  @Test
  void migratingOverTheHostsSchema() throws SQLException {
    DataSource dataSource = db().freshDataSource();
    applyScripts(dataSource, db().dialect());
    if (db().dialect() == Dialect.POSTGRESQL) {
      // Allotment's runner would create the tables again: it says what to do instead.
      JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> JdbcStores.create(dataSource));
      assertTrue(e.getMessage().contains("migrateOnStart(false)"), e.getMessage());
    } else {
      // H2's scripts are idempotent: the runner completes and records them, as after a start cut short.
      assertEquals(JdbcStores.requiredSchemaVersion(), JdbcStores.create(dataSource).schemaVersion());
    }
  }
}
