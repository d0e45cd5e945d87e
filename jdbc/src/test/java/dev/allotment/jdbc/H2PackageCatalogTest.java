package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.PackageCatalogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC package catalog on H2 passes the SPI contract kit. */
final class H2PackageCatalogTest extends PackageCatalogContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  protected BillingStores newStores() {
    return Fixtures.withContractPackages(DB.freshStores());
  }
}
