package dev.allotment.jdbc;

import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.ChargeJournalContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC charge journal on Postgres passes the SPI contract kit. */
final class PostgresChargeJournalTest extends ChargeJournalContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected ChargeJournal newJournal() {
    return Fixtures.withContractPackages(DB.freshStores()).journal();
  }
}
