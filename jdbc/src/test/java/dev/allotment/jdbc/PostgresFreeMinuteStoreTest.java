package dev.allotment.jdbc;

import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.FreeMinuteStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC free-minute store on Postgres passes the SPI contract kit. */
final class PostgresFreeMinuteStoreTest extends FreeMinuteStoreContract {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected FreeMinuteStore newStore() {
    return DB.freshStores().freeMinuteStore();
  }
}
