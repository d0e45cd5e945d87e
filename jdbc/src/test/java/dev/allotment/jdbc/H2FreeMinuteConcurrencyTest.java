package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FreeMinuteConcurrencyChecks} on H2. */
final class H2FreeMinuteConcurrencyTest extends FreeMinuteConcurrencyChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  TestDatabase db() {
    return DB;
  }
}
