package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TwoEngineChecks} on Postgres. */
final class PostgresTwoEnginesTest extends TwoEngineChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
  }
}
