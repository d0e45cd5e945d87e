package dev.allotment.jdbc;

import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.FreeMinuteStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC free-minute store on H2 passes the SPI contract kit. */
final class H2FreeMinuteStoreTest extends FreeMinuteStoreContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  protected FreeMinuteStore newStore() {
    return DB.freshStores().freeMinuteStore();
  }
}
