package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BatchConsumptionChecks} on PostgreSQL. */
final class PostgresBatchConsumptionTest extends BatchConsumptionChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
  }
}
