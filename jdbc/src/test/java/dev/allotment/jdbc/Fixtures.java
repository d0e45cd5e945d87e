package dev.allotment.jdbc;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Money;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ContractFixtures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Packages the contract kit's assignments and lines name (defined so the foreign keys accept them),
 * lines and batches, and what a store's SPI does not show (a grant's used seconds).
 */
final class Fixtures {
  private Fixtures() {}

  /** Defines the contract kit's packages ("p1" and "fm", USD) and returns the stores. */
  static JdbcStores withContractPackages(JdbcStores stores) {
    ContractFixtures.contractPackages().forEach(stores.catalog()::define);
    return stores;
  }

  /** A RECURRING line like {@code line}, for a whole period at {@code amount}, at no cost. */
  static ChargeLine withAmounts(ChargeLine line, Money amount) {
    return ChargeLine.recurring(line.subject(), line.period(), amount, Money.zero(amount.currency()),
        line.proration());
  }

  /** A RECURRING line like {@code line}, naming another package. */
  static ChargeLine withPackage(ChargeLine line, String packageId) {
    LineSubject s = line.subject();
    return ChargeLine.recurring(new LineSubject(s.assignmentId(), s.customerId(), s.did(), packageId, s.quantity(),
        s.autoDecrement()), line.period(), line.unitPrice(), line.unitCost(), line.proration());
  }

  /** Each grant's used seconds, read past the store (whose SPI has no lookup by grant id). */
  static Map<String, Long> usedSeconds(DataSource dataSource) {
    Map<String, Long> used = new HashMap<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id, used_seconds FROM " + FreeMinuteSql.GRANTS)) {
      while (rs.next()) {
        used.put(rs.getString(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the grants", e);
    }
    return used;
  }

  /** The used seconds of grant {@code grantId}, which must be held. */
  static long usedSeconds(DataSource dataSource, String grantId) {
    Long used = usedSeconds(dataSource).get(grantId);
    if (used == null) {
      throw new AssertionError("grant '" + grantId + "' is not held");
    }
    return used;
  }

  /** A batch of lines and watermarks alone, with no checks. */
  static ChargeBatch lines(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    return ChargeBatch.builder().lines(lines).watermarks(watermarks).build();
  }
}
