package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LifecycleJournalChecks} on PostgreSQL. */
final class PostgresLifecycleJournalTest extends LifecycleJournalChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
  }
}
