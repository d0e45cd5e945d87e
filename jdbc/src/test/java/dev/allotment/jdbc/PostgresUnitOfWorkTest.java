package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.UnitOfWorkContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC unit of work on PostgreSQL passes the SPI contract kit. */
final class PostgresUnitOfWorkTest extends UnitOfWorkContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
