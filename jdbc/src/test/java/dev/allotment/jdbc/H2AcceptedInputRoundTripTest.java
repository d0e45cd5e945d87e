package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AcceptedInputRoundTripChecks} on H2. */
final class H2AcceptedInputRoundTripTest extends AcceptedInputRoundTripChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  BillingStores freshStores() {
    return DB.freshStores();
  }
}
