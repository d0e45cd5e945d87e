package dev.allotment.jdbc;

import dev.allotment.spi.PackageCatalog;
import dev.allotment.spi.PackageCatalogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC catalog on Postgres passes the SPI contract kit. */
final class PostgresPackageCatalogTest extends PackageCatalogContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected PackageCatalog newCatalog() {
    return DB.freshStores().catalog();
  }
}
