package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.PackageCatalogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC package catalog on PostgreSQL passes the SPI contract kit. */
final class PostgresPackageCatalogTest extends PackageCatalogContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
