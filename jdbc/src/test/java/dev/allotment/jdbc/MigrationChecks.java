package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.ContractFixtures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The versioned schema: applied once, idempotent, safe for nodes starting together, and keeping
 * the data of databases older releases left (V3 to V4, with its pending lines: {@link UpgradeChecks}).
 */
abstract class MigrationChecks {
  abstract TestDatabase db();

  static int count(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void aNewDatabaseIsMigratedToTheVersionTheLibraryNeeds() throws SQLException {
    DataSource fresh = db().freshDataSource();
    JdbcStores stores = JdbcStores.create(fresh);
    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    assertEquals(Migrations.SCRIPTS.size(), count(fresh, "SELECT COUNT(*) FROM allotment_schema_version"));
    for (String table : Migrations.TABLES) {
      assertEquals(0, count(fresh, "SELECT COUNT(*) FROM " + table), table);
    }
  }

  @Test
  void migratingAgainChangesNothing() throws SQLException {
    DataSource fresh = db().freshDataSource();
    JdbcStores stores = JdbcStores.create(fresh);
    stores.catalog().define(dev.allotment.spi.ContractFixtures.monthly("p1", "10"));
    assertEquals(0, stores.migrate());
    assertEquals(0, JdbcStores.create(fresh).migrate());
    assertEquals(1, stores.catalog().all().size());
    assertEquals(Migrations.SCRIPTS.size(), count(fresh, "SELECT COUNT(*) FROM allotment_schema_version"));
  }

  @Test
  void nodesStartingTogetherMigrateOnce() throws Exception {
    DataSource fresh = db().freshDataSource();
    AtomicInteger applied = new AtomicInteger();
    ConcurrentRunner.run(4, 1, (thread, i) -> {
      // Each thread a node of its own: its own Database over the shared one.
      applied.addAndGet(new Migrations(new Database(fresh, db().dialect())).migrate());
    });
    assertEquals(Migrations.SCRIPTS.size(), applied.get());
    assertEquals(Migrations.SCRIPTS.size(), count(fresh, "SELECT COUNT(*) FROM allotment_schema_version"));
    ConcurrentRunner.run(4, 1, (thread, i) -> JdbcStores.create(fresh).catalog().all());
  }

  @Test
  void withoutMigrationAnOldSchemaIsReportedNotUsed() {
    DataSource fresh = db().freshDataSource();
    JdbcStoreException e = assertThrows(JdbcStoreException.class,
        () -> JdbcStores.builder(fresh).migrateOnStart(false).build());
    assertTrue(e.getMessage().contains("version 0"), e.getMessage());
    assertTrue(e.getMessage().contains("migrate()"), e.getMessage());
    assertEquals(0, new Migrations(new Database(fresh, db().dialect())).currentVersion());
  }

  /** A fresh database as a node of the release of schema {@code version} left it. */
  DataSource atVersion(int version) {
    DataSource fresh = db().freshDataSource();
    assertEquals(version, new Migrations(new Database(fresh, db().dialect())).migrate(version));
    return fresh;
  }

  static void execute(DataSource dataSource, String... sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    }
  }

  @Test
  void aDatabaseAtVersion1IsMigratedKeepingItsData() throws SQLException {
    DataSource old = atVersion(1);
    UpgradeChecks.definePackageBeforeV5(old, ContractFixtures.P1);
    execute(old, "INSERT INTO allotment_assignment (id, customer_id, package_id, quantity, start_date,"
        + " auto_decrement_credit) VALUES ('a1', 'c1', 'p1', 1, DATE '2026-01-01', FALSE)");
    JdbcStoreException e = assertThrows(JdbcStoreException.class,
        () -> JdbcStores.builder(old).migrateOnStart(false).build());
    assertTrue(e.getMessage().contains("version 1"), e.getMessage());

    JdbcStores stores = JdbcStores.create(old);
    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    assertEquals(List.of(ContractFixtures.P1), stores.catalog().all());
    assertEquals(Optional.of(ContractFixtures.assignment("a1", "c1", "p1")), stores.assignments().find("a1"),
        "at version 0");
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(Grant.builder("g").assignmentId("a").customerId("c")
        .allocatedSeconds(60).validFrom(start).build())));
    assertEquals(60, stores.freeMinutes().consume(UsageRecord.of("u", "c", "4420", start, 90),
        ContractFixtures.RULES).coveredSeconds());
  }

  @Test
  void aDatabaseAtVersion2IsMigratedKeepingItsGrantsAndCalls() throws SQLException {
    DataSource old = atVersion(2);
    execute(old, "INSERT INTO allotment_free_minute_grant (id, assignment_id, customer_id, allocated_seconds,"
        + " used_seconds, valid_from, rounding_increment_seconds) VALUES ('g', 'a', 'c', 60, 20,"
        + " TIMESTAMP WITH TIME ZONE '2026-03-01 00:00:00+00', 1)");
    JdbcStores stores = JdbcStores.create(old);
    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    Instant call = Instant.parse("2026-03-10T00:00:00Z");
    Grant grant = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(60)
        .validFrom(Instant.parse("2026-03-01T00:00:00Z")).build();
    assertEquals(List.of(new GrantBalance(grant, 20)), stores.freeMinutes().balances("c", call));
    assertEquals(40, stores.freeMinutes().consume(UsageRecord.of("u", "c", "4420", call, 90),
        ContractFixtures.RULES).coveredSeconds());
  }

  @Test
  void theDialectIsDetected() {
    assertEquals(db().dialect(), JdbcStores.Dialect.of(db().freshDataSource()));
    assertEquals(db().dialect(), JdbcStores.create(db().freshDataSource()).dialect());
  }
}
