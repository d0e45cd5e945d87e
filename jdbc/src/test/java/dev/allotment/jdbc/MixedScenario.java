package dev.allotment.jdbc;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.PackageBilling;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.UnitOfWork;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The small scenario of the race and crash tests on PostgreSQL: the mixed catalog (every frequency,
 * setup fees, minimum spend, free minutes, EUR) and a few dozen assignments over seven customers,
 * three in four auto-decrement, some with end dates and DIDs, with spend recorded through
 * {@code stores.spend().record(...)} so minimum-spend packages true up. The engines it builds run
 * on the given stores only (every store the JDBC one) in UTC.
 */
final class MixedScenario {
  static final ZoneId ZONE = ZoneOffset.UTC;
  static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  /** A first CHARGE, before the runs under test, so end-date changes adjust charged periods. */
  static final LocalDate FIRST_CHARGE = LocalDate.of(2026, 2, 1);
  /** The date the runs under test charge: three months of catch-up. */
  static final LocalDate RUN = LocalDate.of(2026, 4, 30);
  static final int CUSTOMERS = 7;

  private MixedScenario() {}

  static List<ServicePackage> catalog() {
    return ContractFixtures.mixedCatalog();
  }

  /** {@code count} assignments over the mixed catalog and {@value #CUSTOMERS} customers "c0".."c6". */
  static List<Assignment> assignments(int count) {
    List<ServicePackage> catalog = catalog();
    List<Assignment> assignments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ServicePackage p = catalog.get(i % catalog.size());
      AssignmentBuilder b = Assignment.builder(String.format("a%03d", i)).customerId("c" + (i % CUSTOMERS))
          .packageId(p.id()).quantity(1 + i % 3).startDate(JAN_1.plusDays(i * 5L % 90))
          .autoDecrementCredit(i % 4 != 3);
      if (i % 5 == 2) {
        b.endDate(JAN_1.plusDays(100 + i % 60));
      }
      if (i % 11 == 4) {
        b.did("4420" + i);
      }
      if (p.grantsFreeMinutes()) {
        b.minutes(100 + i);
      }
      assignments.add(b.build());
    }
    return assignments;
  }

  static MutableBillingClock clock() {
    return MutableBillingClock.startOf(JAN_1, ZONE);
  }

  static PackageBilling engine(BillingStores stores, CreditPolicy policy, int batchSize, int pageSize) {
    return PackageBilling.builder().clock(clock()).stores(stores).creditPolicy(policy).batchSize(batchSize)
        .pageSize(pageSize).build();
  }

  /** An engine over {@code stores} whose batches go through {@code unitOfWork} applied to the stores' own. */
  static PackageBilling engine(JdbcStores stores, CreditPolicy policy, int batchSize, int pageSize,
      UnaryOperator<UnitOfWork> unitOfWork) {
    return engine(decorated(stores, unitOfWork), policy, batchSize, pageSize);
  }

  static BillingStores decorated(JdbcStores stores, UnaryOperator<UnitOfWork> unitOfWork) {
    return BillingStores.builder().catalog(stores.catalog()).assignments(stores.assignments())
        .journal(stores.journal()).creditLedger(stores.creditLedger()).spend(stores.spend())
        .freeMinutes(stores.freeMinutes()).unitOfWork(unitOfWork.apply(stores.unitOfWork())).events(stores.events()).build();
  }

  /** Stores over a pool whose schema is migrated already. */
  static JdbcStores stores(DataSource dataSource) {
    return JdbcStores.builder(dataSource).migrateOnStart(false).build();
  }

  /** Defines the packages, assigns the assignments, records every customer's spend. */
  static void setUp(JdbcStores stores, List<ServicePackage> packages, List<Assignment> assignments) {
    PackageBilling billing = engine(stores, CreditPolicy.ALLOW_NEGATIVE, 500, 100);
    packages.forEach(billing::define);
    assignments.forEach(billing::assign);
    recordSpend(stores.spend(), new TreeSet<>(assignments.stream().map(Assignment::customerId).toList()));
  }

  /**
   * Three spend records a month per customer from November 2025 to June 2026, 0.00..29.99 each
   * (about 45.00 a month: a 50.00 minimum is trued up most months, not all), deterministic.
   */
  static void recordSpend(SpendStore spend, Collection<String> customers) {
    for (String customer : customers) {
      for (LocalDate month = LocalDate.of(2025, 11, 1); month.isBefore(LocalDate.of(2026, 7, 1));
          month = month.plusMonths(1)) {
        for (int day : new int[] {3, 12, 25}) {
          LocalDate date = month.withDayOfMonth(day);
          long cents = Math.floorMod(customer.hashCode() * 31L + date.toEpochDay() * 7, 3000L);
          spend.record("spend/" + customer + "/" + date, customer, date, Money.of(BigDecimal.valueOf(cents, 2),
              Money.currency("USD")));
        }
      }
    }
  }

  /** A top-up of {@code amount} under the key "top-up/customer/currency/n". */
  static void topUp(JdbcStores stores, String customerId, Money amount, int n) {
    stores.creditLedger().credit(new CreditEntry("top-up/" + customerId + "/" + amount.currency().getCurrencyCode()
        + "/" + n, customerId, amount));
  }

  /** Empties every Allotment table of the database behind {@code pool}. */
  static void empty(TestDatabase db, DataSource pool) {
    try (Connection connection = pool.getConnection()) {
      db.emptyTables(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the tables: " + e.getMessage() + " (SQL state " + e.getSQLState()
          + ")", e);
    }
  }
}
