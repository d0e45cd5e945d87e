package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.LineStatus;
import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.CountingCreditLedger;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.InMemoryCreditLedger;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Two engines on the same in-memory stores charge the same date at the same moment (released by a
 * barrier): every line is journaled once, every posting applied once, and the stores end as after
 * one run.
 */
final class ConcurrentRunTest {
  private static final LocalDate SETUP_RUN = LocalDate.of(2026, 2, 1);
  private static final LocalDate RUN = LocalDate.of(2026, 4, 30);

  private static World prepared() {
    World world = new World(CreditPolicy.ALLOW_NEGATIVE, 5);
    List<Assignment> assignments = Fixtures.mixedAssignments(48, JAN_1);
    world.define(Fixtures.mixedCatalog(), assignments);
    world.clean().run(SETUP_RUN, RunMode.CHARGE);
    for (Assignment a : assignments) {
      if (a.endDate().isEmpty() && a.id().hashCode() % 3 == 0 && !a.startDate().isAfter(LocalDate.of(2026, 1, 20))) {
        world.clean().unassign(a.id(), LocalDate.of(2026, 1, 25));
      }
    }
    return world;
  }

  private static PackageBilling engine(World world, CreditLedger ledger) {
    return PackageBilling.builder().clock(world.clock).catalog(world.catalog).assignments(world.assignments)
        .journal(world.journal).creditLedger(ledger).grantWriter(world.grants).spendSource(world.spend)
        .batchSize(5).pageSize(9).build();
  }

  @RepeatedTest(15)
  void twoEnginesChargingTheSameDateChargeEveryLineOnce() throws Exception {
    World reference = prepared();
    AtomicInteger referenceApplied = new AtomicInteger();
    CountingCreditLedger referenceLedger = new CountingCreditLedger(reference.ledger, referenceApplied);
    RunReport single = engine(reference, referenceLedger).run(RUN, RunMode.CHARGE);
    assertTrue(single.summary().count(LineStatus.CHARGED) > 500, single.summary().toString());

    World world = prepared();
    AtomicInteger sharedApplied = new AtomicInteger();
    CountingCreditLedger shared = new CountingCreditLedger(world.ledger, sharedApplied);
    PackageBilling[] engines = {engine(world, shared), engine(world, shared)};
    RunReport[] reports = new RunReport[2];
    ConcurrentRunner.run(2, 1, (thread, iteration) -> reports[thread] = engines[thread].run(RUN, RunMode.CHARGE));

    assertEquals(reference.outcome(), world.outcome());
    assertEquals(referenceApplied.get(), sharedApplied.get(), "postings applied");
    assertEquals(reference.grants.calls.stream().mapToLong(List::size).sum(), world.grants.grants.size());
    // Between them the two reports charged exactly the single run's lines. (A line both engines
    // committed at the same moment shows as CHARGED in both reports; the journal holds it once.)
    java.util.Set<String> union = new java.util.TreeSet<>();
    for (RunReport report : reports) {
      report.lines(LineStatus.CHARGED).forEach(l -> union.add(l.line().key().toString()));
    }
    assertEquals(single.lines(LineStatus.CHARGED).stream().map(l -> l.line().key().toString())
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)), union);
    assertEquals(0, engines[0].run(RUN, RunMode.CHARGE).summary().count(LineStatus.CHARGED));
  }

  /** The in-memory ledger's key claim is what makes the race safe; this pins the premise down. */
  @RepeatedTest(3)
  void theLedgerAppliesAKeyOnceUnderContention() throws Exception {
    InMemoryCreditLedger ledger = new InMemoryCreditLedger();
    AtomicInteger applied = new AtomicInteger();
    ConcurrentRunner.run(4, 200, (thread, i) -> {
      if (ledger.debit(new CreditEntry("k" + i, "c1", Fixtures.usd("1.00")), false)
          == CreditLedger.DebitResult.DEBITED) {
        applied.incrementAndGet();
      }
    });
    assertEquals(200, applied.get());
    assertEquals(Fixtures.usd("-200.00"), ledger.balance("c1", Fixtures.USD));
  }
}
