package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.UsageAllocator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The versioned schema: applied once, idempotent, safe for nodes starting together. */
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

  @Test
  void aDatabaseAtVersion1IsMigratedToTheFreeMinuteTablesKeepingItsData() throws SQLException {
    DataSource fresh = db().freshDataSource();
    JdbcStores.create(fresh).catalog().define(dev.allotment.spi.ContractFixtures.monthly("p1", "10"));
    // Back to what a node of the release before the free-minute tables left: V1 only.
    try (Connection connection = fresh.getConnection(); Statement statement = connection.createStatement()) {
      for (String table : List.of(JdbcChargeJournal.PENDING, JdbcFreeMinuteStore.TAKES, JdbcFreeMinuteStore.USAGES,
          JdbcFreeMinuteStore.GRANTS)) {
        statement.execute("DROP TABLE " + table);
      }
      statement.execute("DELETE FROM allotment_schema_version WHERE version > 1");
    }
    JdbcStoreException old = assertThrows(JdbcStoreException.class,
        () -> JdbcStores.builder(fresh).migrateOnStart(false).build());
    assertTrue(old.getMessage().contains("version 1"), old.getMessage());

    JdbcStores stores = JdbcStores.create(fresh);
    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    assertEquals(1, stores.catalog().all().size());
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    stores.freeMinuteStore().addGrants(List.of(Grant.builder("g").assignmentId("a").customerId("c")
        .allocatedSeconds(60).validFrom(start).build()));
    assertEquals(60, stores.freeMinuteStore().consume(UsageRecord.of("u", "c", "4420", start, 90),
        UsageAllocator.STANDARD).coveredSeconds());
  }

  @Test
  void aDatabaseAtVersion2GetsPendingLinesAndRevocationsKeepingItsData() throws SQLException {
    DataSource fresh = db().freshDataSource();
    JdbcStores before = Fixtures.withContractPackages(JdbcStores.create(fresh));
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    Grant grant = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(60).validFrom(start).build();
    before.freeMinuteStore().addGrants(List.of(grant));
    assertEquals(20, before.freeMinuteStore().take("g", 20));
    ChargeLine line = ContractFixtures.recurring("a1", ContractFixtures.JAN_1, "10.00");
    before.journal().commit(List.of(line), Map.of("a1", ContractFixtures.JAN_1));
    // Back to what a node of the release before V3 left: V1 and V2.
    try (Connection connection = fresh.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE " + JdbcChargeJournal.PENDING);
      statement.execute("ALTER TABLE " + JdbcFreeMinuteStore.GRANTS + " DROP COLUMN revoked_at");
      statement.execute("DELETE FROM allotment_schema_version WHERE version > 2");
    }
    JdbcStoreException old = assertThrows(JdbcStoreException.class,
        () -> JdbcStores.builder(fresh).migrateOnStart(false).build());
    assertTrue(old.getMessage().contains("version 2"), old.getMessage());

    JdbcStores stores = JdbcStores.create(fresh);
    assertEquals(3, stores.schemaVersion());
    assertEquals(Optional.of(new GrantBalance(grant, 20)), stores.freeMinuteStore().balance("g"));
    assertEquals(List.of(line), stores.journal().lines("a1"));
    assertTrue(stores.freeMinuteStore().revokeGrant("g"));
    assertEquals(0, stores.freeMinuteStore().take("g", 10));
    ChargeLine next = ContractFixtures.recurring("a1", ContractFixtures.JAN_1.plusMonths(1), "10.00");
    stores.journal().intend(List.of(line, next));
    assertEquals(Map.of("a1", List.of(next)), stores.journal().pending(List.of("a1")));
  }

  @Test
  void theDialectIsDetected() {
    assertEquals(db().dialect(), JdbcStores.Dialect.of(db().freshDataSource()));
    assertEquals(db().dialect(), JdbcStores.create(db().freshDataSource()).dialect());
  }
}
