package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FreeMinuteBadInputChecks} on Postgres. */
final class PostgresFreeMinuteBadInputTest extends FreeMinuteBadInputChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
  }
}
