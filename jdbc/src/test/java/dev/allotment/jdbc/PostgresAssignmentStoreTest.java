package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.AssignmentStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC assignment store on PostgreSQL passes the SPI contract kit. */
final class PostgresAssignmentStoreTest extends AssignmentStoreContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
