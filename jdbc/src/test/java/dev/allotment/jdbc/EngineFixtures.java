package dev.allotment.jdbc;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The scenario the engine-level JDBC tests run: a mixed catalog charged once on 2026-02-01, some
 * assignments then ended inside charged periods, and the run under test on 2026-04-30, which
 * catches up three months (a few thousand lines: daily, weekly, monthly, yearly, setup fees,
 * minimum spend, free-minute grants, EUR), debits auto-decrement customers' credit and credits
 * back the adjustments of the ended assignments. Every store is the JDBC one, the free-minute
 * store included, so grants go to the database in the batches that give them.
 */
final class EngineFixtures {
  static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  static final LocalDate SETUP_RUN = LocalDate.of(2026, 2, 1);
  static final LocalDate RUN = LocalDate.of(2026, 4, 30);
  static final int ASSIGNMENTS = 200;

  private EngineFixtures() {}

  /** {@link ContractFixtures#mixedCatalog()}. */
  static List<ServicePackage> catalog() {
    return ContractFixtures.mixedCatalog();
  }

  /** {@value #ASSIGNMENTS} assignments over the catalog and eleven customers, three in four auto-decrement. */
  static List<Assignment> assignments() {
    List<ServicePackage> catalog = catalog();
    List<Assignment> assignments = new ArrayList<>();
    for (int i = 0; i < ASSIGNMENTS; i++) {
      ServicePackage p = catalog.get(i % catalog.size());
      AssignmentBuilder b = Assignment.builder(String.format("a%03d", i)).customerId("c" + (i % 11))
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
    return MutableBillingClock.startOf(JAN_1, ZoneOffset.UTC);
  }

  /** An engine over {@code stores}, every one of them, its unit of work decorated. */
  static PackageBilling engine(JdbcStores stores, int batchSize, int pageSize, UnaryOperator<UnitOfWork> unitOfWork) {
    BillingStores decorated = BillingStores.builder().catalog(stores.catalog()).assignments(stores.assignments())
        .journal(stores.journal()).creditLedger(stores.creditLedger()).spend(stores.spend())
        .freeMinutes(stores.freeMinutes()).unitOfWork(unitOfWork.apply(stores.unitOfWork())).events(stores.events()).build();
    return PackageBilling.builder().clock(clock()).stores(decorated).batchSize(batchSize).pageSize(pageSize).build();
  }

  static PackageBilling engine(JdbcStores stores, int batchSize, int pageSize) {
    return PackageBilling.builder().clock(clock()).stores(stores).batchSize(batchSize).pageSize(pageSize).build();
  }

  /**
   * {@link #engine(JdbcStores, int, int, UnaryOperator)} committing one batch at a time: what a
   * crash leaves of its run is then the first k batches of a clean run, in order (with batches in
   * flight together, the default, a crash leaves whole batches, not always a prefix of them).
   */
  static PackageBilling sequential(JdbcStores stores, int batchSize, int pageSize,
      UnaryOperator<UnitOfWork> unitOfWork) {
    BillingStores decorated = BillingStores.builder().catalog(stores.catalog()).assignments(stores.assignments())
        .journal(stores.journal()).creditLedger(stores.creditLedger()).spend(stores.spend())
        .freeMinutes(stores.freeMinutes()).unitOfWork(unitOfWork.apply(stores.unitOfWork())).events(stores.events()).build();
    return PackageBilling.builder().clock(clock()).stores(decorated).batchSize(batchSize).pageSize(pageSize)
        .commitsInFlight(1).build();
  }

  /**
   * Brings empty stores to the state before the run under test: the catalog and assignments, a
   * CHARGE on {@link #SETUP_RUN}, then every third open assignment that started by 2026-01-20
   * ended on 2026-01-25, inside periods already charged, so the run under test holds adjustments.
   */
  static void prepare(JdbcStores stores) {
    PackageBilling billing = engine(stores, 500, 100);
    catalog().forEach(billing::define);
    List<Assignment> assignments = assignments();
    assignments.forEach(billing::assign);
    billing.run(SETUP_RUN, RunMode.CHARGE);
    for (Assignment a : assignments) {
      if (a.endDate().isEmpty() && a.id().hashCode() % 3 == 0 && !a.startDate().isAfter(LocalDate.of(2026, 1, 20))) {
        billing.unassign(a.id(), LocalDate.of(2026, 1, 25));
      }
    }
  }
}
