package dev.allotment.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ExternalSchemaChecks} on PostgreSQL. */
final class PostgresExternalSchemaTest extends ExternalSchemaChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  TestDatabase db() {
    return DB;
  }
}
