package dev.allotment.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * A DataSource that makes the execution of chosen statements fail, as a database losing the
 * connection mid-transaction would: for proving that a failure after some writes leaves none.
 *
 * <p>Thread-safe.
 */
final class FailingDataSource extends ForwardingDataSource {
  /** SQL state of the injected failure: connection failure, which the stores never retry. */
  static final String STATE = "08006";

  private final AtomicReference<String> failOn = new AtomicReference<>();

  FailingDataSource(DataSource target) {
    super(target);
  }

  /** From now on, executing a prepared statement whose SQL contains {@code fragment} fails. */
  FailingDataSource failOn(String fragment) {
    failOn.set(fragment);
    return this;
  }

  @Override
  Connection wrap(Connection connection) {
    return hookPrepared(connection, sql -> {
      String fragment = failOn.get();
      if (fragment != null && sql.contains(fragment)) {
        throw new SQLException("injected failure executing: " + sql, STATE);
      }
    });
  }
}
