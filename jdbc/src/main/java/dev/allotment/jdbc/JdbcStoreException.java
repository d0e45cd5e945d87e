package dev.allotment.jdbc;

import dev.allotment.core.AllotmentException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The database failed an operation of a JDBC store: it was unreachable, refused a statement, or
 * kept a transaction from committing after the store's retries. The operation's transaction was
 * rolled back, so nothing of it is stored.
 *
 * <p>Bad input that the store can recognise (an amount too large for its column, a package id the
 * catalog does not hold, a currency that differs from the package's) is reported as an
 * {@link IllegalArgumentException} instead; this exception means the database itself said no.
 *
 * <p>Immutable and thread-safe.
 */
public final class JdbcStoreException extends AllotmentException {
  private static final long serialVersionUID = 1L;

  /** The SQL state of the failure, or null. */
  private final String sqlState;

  JdbcStoreException(String message, SQLException cause) {
    super(message, cause);
    this.sqlState = Database.sqlState(cause);
  }

  JdbcStoreException(String message) {
    super(message);
    this.sqlState = null;
  }

  /** {@return the five-character SQL state the database reported (for example {@code 08001}), when it gave one} */
  public Optional<String> sqlState() {
    return Optional.ofNullable(sqlState);
  }
}
