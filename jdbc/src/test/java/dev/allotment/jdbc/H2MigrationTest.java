package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.Money;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations on H2, where DDL commits on its own and scripts are idempotent instead. */
final class H2MigrationTest extends MigrationChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  TestDatabase db() {
    return DB;
  }

  @Test
  void aMigrationCutShortIsCompletedByTheNextStart() throws SQLException {
    DataSource fresh = DB.freshDataSource();
    JdbcStores.create(fresh).catalog().define(dev.allotment.spi.ContractFixtures.monthly("p1", "10"));
    // As if the node died after some statements of V1 but before recording it.
    try (Connection connection = fresh.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE allotment_spend");
      statement.execute("DELETE FROM allotment_schema_version");
    }
    JdbcStores stores = JdbcStores.create(fresh);
    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    assertEquals(0, count(fresh, "SELECT COUNT(*) FROM allotment_spend"));
    assertEquals(1, stores.catalog().all().size());
  }

  /**
   * V4 cut short on H2 after its DDL (each statement commits on its own) but before the pending
   * lines were resolved: the next start runs the script again (idempotent) and resolves them once.
   */
  @Test
  void aV4UpgradeCutShortBeforeItsResolutionResolvesThePendingLinesOnceOnTheNextStart() throws SQLException {
    DataSource v3 = UpgradeChecks.v3Database(DB);
    try (Connection connection = v3.getConnection(); Statement statement = connection.createStatement()) {
      for (String sql : Migrations.statements(Migrations.read(Migrations.SCRIPTS.get(3).resource(DB.dialect())))) {
        statement.execute(sql);
      }
    }
    JdbcStores stores = JdbcStores.create(v3);
    assertEquals(JdbcStores.requiredSchemaVersion(), stores.schemaVersion());
    assertEquals(6, count(v3, "SELECT COUNT(*) FROM " + PendingLineResolution.ARCHIVE));
    UpgradeChecks.assertBalancesAreCreditsMinusDebits(v3);
    assertEquals(Money.of("80.25", "USD"), stores.creditLedger().balance("c1", UpgradeChecks.USD));
  }

  /** V4 cut short on H2 after its resolution's DROP committed but before it was recorded: the next start only records it. */
  @Test
  void aV4UpgradeCutShortAfterItsResolutionChangesNothingMoreOnTheNextStart() throws SQLException {
    DataSource v3 = UpgradeChecks.v3Database(DB);
    JdbcStores.create(v3);
    Map<String, List<String>> upgraded = StoreState.dump(v3);
    try (Connection connection = v3.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM allotment_schema_version WHERE version = 4");
    }
    assertEquals(1, new Migrations(new Database(v3, DB.dialect())).migrate());
    assertEquals(upgraded, StoreState.dump(v3));
  }

  @Test
  void aFileDatabaseKeepsItsDataAndSchemaAcrossRestarts(@TempDir Path directory) throws SQLException {
    JdbcDataSource file = new JdbcDataSource();
    file.setURL("jdbc:h2:file:" + directory.resolve("billing").toAbsolutePath());
    JdbcStores first = JdbcStores.create(file);
    first.catalog().define(dev.allotment.spi.ContractFixtures.monthly("p1", "10"));
    try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
    JdbcStores restarted = JdbcStores.create(file);
    assertEquals(0, restarted.migrate());
    assertEquals(java.util.Optional.of(dev.allotment.spi.ContractFixtures.monthly("p1", "10")),
        restarted.catalog().find("p1"));
    try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }
}
