package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.FreeMinuteStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC free-minute store on PostgreSQL passes the SPI contract kit. */
final class PostgresFreeMinuteStoreTest extends FreeMinuteStoreContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
