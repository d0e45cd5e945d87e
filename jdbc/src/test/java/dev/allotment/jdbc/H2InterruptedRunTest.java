package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link InterruptedRunChecks} on H2. */
final class H2InterruptedRunTest extends InterruptedRunChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  TestDatabase db() {
    return DB;
  }
}
