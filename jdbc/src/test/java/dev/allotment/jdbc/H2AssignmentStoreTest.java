package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.AssignmentStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC assignment store on H2 passes the SPI contract kit. */
final class H2AssignmentStoreTest extends AssignmentStoreContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
