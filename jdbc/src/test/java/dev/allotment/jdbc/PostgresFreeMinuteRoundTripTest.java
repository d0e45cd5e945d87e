package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FreeMinuteRoundTripChecks} on Postgres. */
final class PostgresFreeMinuteRoundTripTest extends FreeMinuteRoundTripChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
  }
}
