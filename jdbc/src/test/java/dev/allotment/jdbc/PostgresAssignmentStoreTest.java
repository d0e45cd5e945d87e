package dev.allotment.jdbc;

import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.AssignmentStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC assignment store on Postgres passes the SPI contract kit. */
final class PostgresAssignmentStoreTest extends AssignmentStoreContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected AssignmentStore newStore() {
    return Fixtures.withContractPackages(DB.freshStores()).assignments();
  }
}
