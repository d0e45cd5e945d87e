package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeJournalContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC charge journal on PostgreSQL passes the SPI contract kit. */
final class PostgresChargeJournalTest extends ChargeJournalContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
