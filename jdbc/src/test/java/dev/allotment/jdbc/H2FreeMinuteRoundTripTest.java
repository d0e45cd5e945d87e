package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FreeMinuteRoundTripChecks} on H2. */
final class H2FreeMinuteRoundTripTest extends FreeMinuteRoundTripChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  TestDatabase db() {
    return DB;
  }
}
