package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** The transaction runner's handling of failures, over a mocked DataSource. */
final class DatabaseTest {
  @AfterEach
  void clearInterrupt() {
    // Never leave the flag set for the next test on this thread.
    Thread.interrupted();
  }

  private static Database database() throws SQLException {
    DataSource dataSource = mock(DataSource.class);
    Connection connection = mock(Connection.class);
    when(dataSource.getConnection()).thenReturn(connection);
    return new Database(dataSource, JdbcStores.Dialect.POSTGRESQL);
  }

  @Test
  void anInterruptDuringARetryPauseReportsTheConflictWithItsSqlStateAndKeepsTheFlag() throws SQLException {
    Database db = database();
    SQLException conflict = new SQLException("could not serialize access", "40001");
    AtomicInteger attempts = new AtomicInteger();
    // Set before the call: the pause after the first conflict is interrupted at once.
    Thread.currentThread().interrupt();
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> db.transaction("commit 3 lines", c -> {
      attempts.incrementAndGet();
      throw conflict;
    }));
    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is set again");
    assertEquals(1, attempts.get(), "no attempt after the interrupt");
    assertSame(conflict, e.getCause());
    assertEquals(Optional.of("40001"), e.sqlState());
    assertTrue(e.getMessage().contains("commit 3 lines") && e.getMessage().contains("interrupted")
        && e.getMessage().contains("40001"), e.getMessage());
    assertTrue(e.getSuppressed().length == 1 && e.getSuppressed()[0] instanceof InterruptedException);
  }

  @Test
  void aConflictIsRetriedUntilTheWorkSucceeds() throws SQLException {
    Database db = database();
    AtomicInteger attempts = new AtomicInteger();
    assertEquals("done", db.transaction("commit", c -> {
      if (attempts.incrementAndGet() < 3) {
        throw new SQLException("deadlock detected", "40P01");
      }
      return "done";
    }));
    assertEquals(3, attempts.get());
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /**
   * A checked exception a host's callback throws sneakily (the free-minute allocator runs inside a
   * transaction) rolls the work back and reaches the caller as it was: restoring auto-commit must
   * not commit the half-done work.
   */
  @Test
  void aCheckedExceptionThrownSneakilyRollsBackAndIsRethrownAsItWas() throws SQLException {
    DataSource dataSource = mock(DataSource.class);
    Connection connection = mock(Connection.class);
    when(dataSource.getConnection()).thenReturn(connection);
    when(connection.getAutoCommit()).thenReturn(true);
    Database db = new Database(dataSource, JdbcStores.Dialect.H2);
    IOException thrown = new IOException("the host's disk");
    Throwable caught = assertThrows(Throwable.class, () -> db.transaction("consume", c -> {
      throw DatabaseTest.<RuntimeException>sneaky(thrown);
    }));
    assertSame(thrown, caught);
    InOrder order = inOrder(connection);
    order.verify(connection).rollback();
    order.verify(connection).setAutoCommit(true);
    verify(connection, never()).commit();
  }

  /**
   * A value the database refuses is the caller's: out of a column's range or form (class 22) or
   * refused by a check constraint (23514 on PostgreSQL, 23513 on H2), an {@link IllegalArgumentException} naming the state;
   * any other failure, a unique key included, the store's.
   */
  @Test
  void aRejectedValueIsAnIllegalArgumentAndOtherFailuresTheStores() {
    for (String state : new String[] {"22003", "22001", "23514", "23513"}) {
      RuntimeException e = Database.translate("commit a batch", new SQLException("refused", state));
      assertTrue(e instanceof IllegalArgumentException, state + ": " + e);
      assertTrue(e.getMessage().contains("SQL state " + state), e.getMessage());
    }
    for (String state : new String[] {"23505", "08006", "57014"}) {
      assertTrue(Database.translate("commit a batch", new SQLException("failed", state)) instanceof JdbcStoreException,
          state);
    }
  }
}
