package dev.allotment.jdbc;

import dev.allotment.spi.RunLeases;
import dev.allotment.spi.RunLeasesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC run leases on H2 run the contract kit. */
final class H2RunLeasesTest extends RunLeasesContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  protected RunLeases newLeases() {
    return JdbcStores.create(DB.freshDataSource()).runLeases().orElseThrow();
  }
}
