package dev.allotment.jdbc;

import dev.allotment.jdbc.JdbcStores.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema V10's step: fills {@code customer_hash} ({@code customerId.hashCode()}, which no SQL of
 * both dialects computes) for every assignment row without one, in the migration's transaction.
 *
 * <p>Thread-safe (stateless).
 */
final class CustomerHashes {
  private static final int BATCH = 1_000;

  private CustomerHashes() {}

  static void fill(Connection connection, Dialect dialect) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT id, customer_id FROM "
        + JdbcAssignmentStore.TABLE + " WHERE customer_hash IS NULL"); ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        rows.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    try (PreparedStatement update = connection.prepareStatement("UPDATE " + JdbcAssignmentStore.TABLE
        + " SET customer_hash = ? WHERE id = ?")) {
      for (int i = 0; i < rows.size(); i++) {
        update.setInt(1, rows.get(i)[1].hashCode());
        update.setString(2, rows.get(i)[0]);
        update.addBatch();
        if ((i + 1) % BATCH == 0 || i == rows.size() - 1) {
          update.executeBatch();
        }
      }
    }
  }
}
