package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.UnitOfWorkContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC unit of work on H2 passes the SPI contract kit. */
final class H2UnitOfWorkTest extends UnitOfWorkContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
