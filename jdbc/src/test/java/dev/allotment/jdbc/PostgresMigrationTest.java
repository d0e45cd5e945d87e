package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations on PostgreSQL, where a migration is one transaction. */
final class PostgresMigrationTest extends MigrationChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
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
