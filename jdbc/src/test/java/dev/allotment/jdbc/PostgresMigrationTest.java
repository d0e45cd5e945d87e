package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.ContractFixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Migrations on PostgreSQL, where a migration is one transaction. */
final class PostgresMigrationTest extends MigrationChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
  }

  /**
   * A host whose connections default to a stricter isolation (the stores support READ COMMITTED
   * or stricter): nodes starting together still migrate once. Under REPEATABLE READ or
   * SERIALIZABLE a snapshot taken at the lock statement, before the wait, would hide the scripts
   * the first node recorded, and the others would rerun V1 ("relation already exists").
   */
  @ParameterizedTest
  @ValueSource(strings = {"serializable", "repeatable read"})
  void nodesStartingTogetherUnderAStricterDefaultIsolationMigrateOnce(String isolation) throws Exception {
    TestDatabase.Fresh fresh = DB.fresh();
    // The server's options syntax escapes a space with a backslash.
    String url = fresh.url() + "&options=" + URLEncoder.encode("-c default_transaction_isolation="
        + isolation.replace(" ", "\\ "), StandardCharsets.UTF_8).replace("+", "%20");
    List<Integer> applied = new CopyOnWriteArrayList<>();
    ConcurrentRunner.run(4, 1, (thread, i) -> {
      // Each thread a node of its own, over a DataSource of its own.
      PGSimpleDataSource node = new PGSimpleDataSource();
      node.setUrl(url);
      assertEquals(isolation, showIsolation(node));
      applied.add(new Migrations(new Database(node, JdbcStores.Dialect.POSTGRESQL)).migrate());
      // What a host calls: it finds the schema current, and the stores work at this isolation.
      JdbcStores stores = JdbcStores.create(node);
      stores.catalog().define(ContractFixtures.monthly("p" + thread, "10"));
      assertTrue(stores.catalog().find("p" + thread).isPresent());
    });
    assertEquals(Migrations.SCRIPTS.size(), applied.stream().mapToInt(Integer::intValue).sum(), applied.toString());
    assertEquals(Migrations.SCRIPTS.size(), count(fresh.unpooled(), "SELECT COUNT(*) FROM allotment_schema_version"));
  }

  private static String showIsolation(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW transaction_isolation")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aFailingMigrationLeavesNothingBehind() throws SQLException {
    DataSource fresh = DB.freshDataSource();
    // A table of the host's in the way of the last CREATE TABLE of V1.
    try (Connection connection = fresh.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE allotment_spend (host_column INTEGER)");
    }
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> JdbcStores.create(fresh));
    assertEquals(java.util.Optional.of("42P07"), e.sqlState());
    // Every table V1 created before the failure went with the rolled-back transaction.
    assertEquals(0, count(fresh, "SELECT COUNT(*) FROM information_schema.tables"
        + " WHERE table_schema = current_schema() AND table_name LIKE 'allotment%' AND table_name <> 'allotment_spend'"));
  }
}
