package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.CreditLedgerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC credit ledger on PostgreSQL passes the SPI contract kit. */
final class PostgresCreditLedgerTest extends CreditLedgerContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
