package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TwoEngineChecks} on H2. */
final class H2TwoEnginesTest extends TwoEngineChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  TestDatabase db() {
    return DB;
  }
}
