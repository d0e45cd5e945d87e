package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.InMemoryAssignmentStore;
import dev.allotment.spi.InMemoryChargeJournal;
import dev.allotment.spi.InMemoryCreditLedger;
import dev.allotment.spi.InMemoryPackageCatalog;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.SpendSource;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One set of in-memory stores (catalog, assignments, journal, ledger, grants) that several
 * engines, faulty or clean, can share; and the outcome a test compares.
 */
final class World {
  final MutableBillingClock clock = Fixtures.clock();
  final InMemoryPackageCatalog catalog = new InMemoryPackageCatalog();
  final InMemoryAssignmentStore assignments = new InMemoryAssignmentStore();
  final InMemoryChargeJournal journal = new InMemoryChargeJournal();
  final InMemoryCreditLedger ledger = new InMemoryCreditLedger();
  final Fixtures.RecordingGrants grants = new Fixtures.RecordingGrants();
  final SpendSource spend = Fixtures.deterministicSpend();
  final CreditPolicy policy;
  final int batchSize;

  World(CreditPolicy policy, int batchSize) {
    this.policy = policy;
    this.batchSize = batchSize;
  }

  /** An engine on these stores, crashing at the triggers' k-th writes. */
  PackageBilling engine(Faults.Trigger journalFault, Faults.Trigger ledgerFault, Faults.Trigger grantFault) {
    return PackageBilling.builder().clock(clock).catalog(catalog).assignments(assignments)
        .journal(new Faults.Journal(journal, journalFault)).creditLedger(new Faults.Ledger(ledger, ledgerFault))
        .grantWriter(new Faults.Grants(grants, grantFault)).spendSource(spend).creditPolicy(policy)
        .batchSize(batchSize).pageSize(13).build();
  }

  PackageBilling clean() {
    return PackageBilling.builder().clock(clock).catalog(catalog).assignments(assignments).journal(journal)
        .creditLedger(ledger).grantWriter(grants).spendSource(spend).creditPolicy(policy).batchSize(batchSize)
        .pageSize(13).build();
  }

  World define(List<ServicePackage> packages, List<Assignment> list) {
    Fixtures.setUp(clean(), packages, list);
    return this;
  }

  void topUp(String customerId, Money amount) {
    ledger.credit(new CreditEntry("top-up/" + customerId + "/" + amount.currency().getCurrencyCode() + "/"
        + amount.amount().toPlainString(), customerId, amount));
  }

  /**
   * Charges {@code date} with clean engines until a run charges nothing: once under the default
   * policy; under ONLY_IF_COVERED a crash can leave credits posted early, which lets a rerun charge
   * a line a clean run would only charge on its next run (see the commit protocol).
   */
  void chargeUntilSettled(LocalDate date) {
    for (int i = 0; i < 10; i++) {
      if (clean().run(date, RunMode.CHARGE).summary().count(LineStatus.CHARGED) == 0) {
        return;
      }
    }
    throw new AssertionError("charging " + date + " did not settle");
  }

  /** Journal, balances, grants and assignments: what "nothing lost, nothing twice" compares. */
  Outcome outcome() {
    Map<String, List<ChargeLine>> lines = Fixtures.journal(journal, assignments);
    checkNetPostings(lines);
    return new Outcome(lines, Fixtures.balances(ledger, assignments), new TreeSet<>(grants.grants.keySet()),
        assignments.page(Optional.empty(), Optional.empty(), Integer.MAX_VALUE));
  }

  /** Every journaled auto-decrement line moved the balance by exactly -retail, through its key and corrections. */
  private void checkNetPostings(Map<String, List<ChargeLine>> lines) {
    for (List<ChargeLine> assignmentLines : lines.values()) {
      for (ChargeLine line : assignmentLines) {
        if (!line.autoDecrement()) {
          continue;
        }
        String key = line.key().toString();
        Money net = Money.zero(line.retail().currency());
        Optional<Posting> posting = ledger.find(key);
        for (int n = 1; posting.isPresent(); n++) {
          net = net.plus(posting.get().signedAmount());
          posting = ledger.find(CreditPoster.correctionKey(key, n));
        }
        assertEquals(line.retail().negate(), net, "net credit postings of " + key);
      }
    }
  }

  record Outcome(Map<String, List<ChargeLine>> journal, Map<String, Money> balances, Set<String> grants,
      List<Assignment> assignments) {}
}
