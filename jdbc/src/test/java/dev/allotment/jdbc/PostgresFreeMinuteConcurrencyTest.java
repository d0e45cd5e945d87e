package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FreeMinuteConcurrencyChecks} on Postgres. */
final class PostgresFreeMinuteConcurrencyTest extends FreeMinuteConcurrencyChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
  }
}
