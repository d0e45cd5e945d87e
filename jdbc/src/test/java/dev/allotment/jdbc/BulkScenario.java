package dev.allotment.jdbc;

import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.PackageBilling;
import dev.allotment.spi.ContractFixtures;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;

/**
 * The big scenario of {@link PostgresKillMidRunTest}: {@value #ASSIGNMENTS} assignments over the
 * mixed catalog (monthly with setup fees, free minutes with a destination, minimum spend, EUR,
 * weekly, daily, yearly, setup only) and {@value #CUSTOMERS} customers, two in three auto-decrement,
 * one in seven with an end date (most of them before the run date), some on DIDs, started between
 * January 1 and late March 2026, charged on {@link #RUN}: a CHARGE of about 77,000 lines with
 * credit postings and grants. Spend is recorded through {@code stores.spend().record(...)} for
 * the first {@value #CUSTOMERS_WITH_SPEND} customers (the others spend nothing and are trued up in
 * full).
 *
 * <p>The assignments go in as plain rows, in JDBC batches (as {@code bench/JdbcChargeBench} loads
 * them), not one engine call each, then the tables are analyzed.
 */
final class BulkScenario {
  static final int ASSIGNMENTS = 20_000;
  static final int CUSTOMERS = 2_000;
  static final int CUSTOMERS_WITH_SPEND = 300;
  static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  static final LocalDate RUN = LocalDate.of(2026, 3, 31);

  private BulkScenario() {}

  static List<ServicePackage> catalog() {
    return ContractFixtures.mixedCatalog();
  }

  /** The package of assignment i, by its slot i % 20: weights chosen for a mix of about four lines each. */
  static String packageOf(int i) {
    return switch (i % 20) {
      case 0, 1, 2, 3, 16, 17 -> "monthly";
      case 4, 5, 6, 18, 19 -> "minutes";
      case 7, 8, 9 -> "minspend";
      case 10, 11 -> "monthly-eur";
      case 12 -> "weekly";
      case 13 -> "daily";
      case 14 -> "yearly";
      default -> "setup-only";
    };
  }

  static String assignmentId(int i) {
    return String.format("b%05d", i);
  }

  static String customerId(int i) {
    return "k" + (i % CUSTOMERS);
  }

  /** Weekly and daily assignments start in the last weeks before the run, so they add tens of lines, not hundreds. */
  static LocalDate startOf(int i) {
    return switch (packageOf(i)) {
      case "weekly" -> RUN.minusDays(i % 42);
      case "daily" -> RUN.minusDays(i % 15);
      default -> JAN_1.plusDays(i * 7L % 80);
    };
  }

  /** Stores the catalog, the assignments and the spend into the empty, migrated schema behind {@code pool}. */
  static void load(DataSource pool) throws SQLException {
    JdbcStores stores = MixedScenario.stores(pool);
    PackageBilling billing = MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, 500, 1000);
    catalog().forEach(billing::define);
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + JdbcAssignmentStore.TABLE
          + " (id, customer_id, did, package_id, quantity, start_date, end_date, auto_decrement_credit, minutes)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < ASSIGNMENTS; i++) {
          String packageId = packageOf(i);
          LocalDate start = startOf(i);
          insert.setString(1, assignmentId(i));
          insert.setString(2, customerId(i));
          if (i % 13 == 5) {
            insert.setString(3, "4420" + i);
          } else {
            insert.setNull(3, Types.VARCHAR);
          }
          insert.setString(4, packageId);
          insert.setInt(5, 1 + i % 3);
          insert.setDate(6, Date.valueOf(start));
          if (i % 7 == 3) {
            insert.setDate(7, Date.valueOf(start.plusDays(20 + i % 40)));
          } else {
            insert.setNull(7, Types.DATE);
          }
          insert.setBoolean(8, i % 3 != 2);
          if (packageId.equals("minutes")) {
            insert.setInt(9, 60 + i % 500);
          } else {
            insert.setNull(9, Types.INTEGER);
          }
          insert.addBatch();
          if ((i + 1) % 5000 == 0 || i + 1 == ASSIGNMENTS) {
            insert.executeBatch();
          }
        }
      }
      connection.commit();
      connection.setAutoCommit(true);
    }
    SpendStore spend = stores.spend();
    for (int c = 0; c < CUSTOMERS_WITH_SPEND; c++) {
      for (LocalDate date : List.of(LocalDate.of(2026, 1, 20), LocalDate.of(2026, 2, 10), LocalDate.of(2026, 3, 5))) {
        spend.record("spend/k" + c + "/" + date, "k" + c, date,
            Money.of(BigDecimal.valueOf(Math.floorMod(c * 7919L + date.toEpochDay() * 31, 4000L), 2),
                Money.currency("USD")));
      }
    }
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      for (String table : List.of(JdbcAssignmentStore.TABLE, JdbcSpendStore.TABLE, "allotment_package")) {
        statement.execute("ANALYZE " + table);
      }
    }
  }
}
