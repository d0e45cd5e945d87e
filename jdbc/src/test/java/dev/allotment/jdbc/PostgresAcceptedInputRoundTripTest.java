package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AcceptedInputRoundTripChecks} on Postgres. */
final class PostgresAcceptedInputRoundTripTest extends AcceptedInputRoundTripChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  BillingStores freshStores() {
    return DB.freshStores();
  }
}
