package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FreeMinuteBadInputChecks} on H2. */
final class H2FreeMinuteBadInputTest extends FreeMinuteBadInputChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  TestDatabase db() {
    return DB;
  }
}
