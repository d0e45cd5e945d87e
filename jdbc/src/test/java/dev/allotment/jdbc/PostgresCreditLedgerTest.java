package dev.allotment.jdbc;

import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.CreditLedgerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC credit ledger on Postgres passes the SPI contract kit. */
final class PostgresCreditLedgerTest extends CreditLedgerContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected CreditLedger newLedger() {
    return DB.freshStores().creditLedger();
  }
}
