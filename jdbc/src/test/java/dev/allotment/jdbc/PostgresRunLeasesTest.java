package dev.allotment.jdbc;

import dev.allotment.spi.RunLeases;
import dev.allotment.spi.RunLeasesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC run leases on PostgreSQL run the contract kit. */
final class PostgresRunLeasesTest extends RunLeasesContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected RunLeases newLeases() {
    return JdbcStores.create(DB.freshDataSource()).runLeases().orElseThrow();
  }
}
