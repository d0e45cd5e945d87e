package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.Faults.Trigger;
import dev.allotment.spi.InMemoryAssignmentStore;
import dev.allotment.spi.InMemoryChargeJournal;
import dev.allotment.spi.InMemoryCreditLedger;
import dev.allotment.spi.InMemoryFreeMinuteStore;
import dev.allotment.spi.InMemoryPackageCatalog;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.SpendSource;
import dev.allotment.spi.SplitCreditLedger;
import dev.allotment.spi.SplitFreeMinuteStore;
import dev.allotment.spi.SplitJournal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Stores that live apart (journal, credit ledger, free-minute store: the in-memory split stores)
 * behind the {@link SplitStores} adapter, shared by several engines, faulty or clean.
 */
final class SplitWorld {
  final MutableBillingClock clock = Fixtures.clock();
  final InMemoryPackageCatalog catalog = new InMemoryPackageCatalog();
  final InMemoryAssignmentStore assignments = new InMemoryAssignmentStore();
  final InMemoryChargeJournal journal = new InMemoryChargeJournal();
  final InMemoryCreditLedger ledger = new InMemoryCreditLedger();
  final InMemoryFreeMinuteStore freeMinutes = new InMemoryFreeMinuteStore();
  final SpendSource spend = Fixtures.deterministicSpend();
  final CreditPolicy policy;
  final int batchSize;
  final int pageSize;

  SplitWorld(CreditPolicy policy, int batchSize) {
    this(policy, batchSize, 13);
  }

  SplitWorld(CreditPolicy policy, int batchSize, int pageSize) {
    this.policy = policy;
    this.batchSize = batchSize;
    this.pageSize = pageSize;
  }

  /** An engine on these stores, crashing at the triggers' k-th writes. */
  PackageBilling engine(Trigger journalFault, Trigger ledgerFault, Trigger grantFault) {
    return engine(new Faults.Journal(journal, journalFault), new Faults.Ledger(ledger, ledgerFault),
        new Faults.FreeMinutes(freeMinutes, grantFault));
  }

  /** An engine whose split stores are {@code journal}, {@code ledger} and {@code minutes} (wrappers of these). */
  PackageBilling engine(SplitJournal journal, SplitCreditLedger ledger, SplitFreeMinuteStore minutes) {
    SplitStores stores = SplitStores.builder().catalog(catalog).assignments(assignments).journal(journal)
        .creditLedger(ledger).spend(spend).freeMinutes(minutes).build();
    return PackageBilling.builder().clock(clock).stores(stores).creditPolicy(policy).batchSize(batchSize)
        .pageSize(pageSize).events(false).build();
  }

  /** An engine whose journal crashes at its k-th write. */
  PackageBilling crashingJournal(int k, Faults.When when) {
    return engine(new Trigger(k, when), Trigger.never(), Trigger.never());
  }

  PackageBilling clean() {
    return engine(journal, ledger, freeMinutes);
  }

  SplitWorld define(List<ServicePackage> packages, List<Assignment> list) {
    Fixtures.setUp(clean(), packages, list);
    return this;
  }

  void topUp(String customerId, Money amount) {
    Fixtures.topUp(ledger, customerId, amount);
  }

  /** See {@link World#chargeUntilSettled}. */
  void chargeUntilSettled(LocalDate date) {
    World.settle(this::clean, date);
  }

  /** The pending lines of every assignment. */
  Map<String, List<ChargeLine>> pending() {
    return journal.pending(Fixtures.all(assignments).stream().map(Assignment::id).toList());
  }

  World.Outcome outcome() {
    return World.outcome(catalog, assignments, journal, ledger, freeMinutes, clock.zone());
  }
}
