package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.LineStatus;
import dev.allotment.engine.Faults.Crash;
import dev.allotment.engine.Faults.Trigger;
import dev.allotment.engine.Faults.When;
import dev.allotment.spi.CreditLedger;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The split-stores adapter ({@link SplitStores}) against crashes at every write of a ~500-line run:
 * before or after the k-th write of the journal (intend, commit), of the credit ledger (debits of
 * charges, credits of adjustments), of the free-minute store (addGrants), under both credit
 * policies. After clean reruns, journal, balances (the net postings of every line key, correction
 * keys included, equal -retail) and live grants must be exactly those of one clean run on fresh
 * stores: nothing lost, nothing twice. (Crashes in a run that repairs leftovers, at its abandon,
 * credit-back and revokeGrant writes too, are {@link InputsChangeAfterACrashTest}'s.)
 */
final class FaultInjectionTest {
  private static final LocalDate SETUP_RUN = LocalDate.of(2026, 2, 1);
  private static final LocalDate RUN = LocalDate.of(2026, 4, 30);
  private static final int BATCH = 7;

  /**
   * The mixed catalog, charged once on Feb 1, then some assignments ended inside charged periods so
   * the run on Apr 30 holds adjustments (credits) as well as debits, grants and catch-up.
   */
  private static SplitWorld prepared(CreditPolicy policy) {
    SplitWorld world = new SplitWorld(policy, BATCH);
    List<Assignment> assignments = Fixtures.mixedAssignments(48, JAN_1);
    world.define(Fixtures.mixedCatalog(), assignments);
    if (policy == CreditPolicy.ONLY_IF_COVERED) {
      for (int c = 0; c < 7; c++) {
        world.topUp("c" + c, Fixtures.usd(c % 2 == 0 ? "500.00" : "2500.00"));
        world.topUp("c" + c, dev.allotment.core.Money.of("25.00", "EUR"));
      }
    }
    world.clean().run(SETUP_RUN, RunMode.CHARGE);
    PackageBilling clean = world.clean();
    for (Assignment a : assignments) {
      if (a.endDate().isEmpty() && a.id().hashCode() % 3 == 0 && !a.startDate().isAfter(LocalDate.of(2026, 1, 20))) {
        clean.unassign(a.id(), LocalDate.of(2026, 1, 25));
      }
    }
    return world;
  }

  private static SplitWorld reference(CreditPolicy policy) {
    SplitWorld world = prepared(policy);
    world.chargeUntilSettled(RUN);
    return world;
  }

  @ParameterizedTest(name = "{0} {1} under {2}")
  @CsvSource({
      "JOURNAL, BEFORE, ALLOW_NEGATIVE",
      "JOURNAL, AFTER, ALLOW_NEGATIVE",
      "LEDGER, BEFORE, ALLOW_NEGATIVE",
      "LEDGER, AFTER, ALLOW_NEGATIVE",
      "GRANTS, BEFORE, ALLOW_NEGATIVE",
      "GRANTS, AFTER, ALLOW_NEGATIVE",
      "JOURNAL, BEFORE, ONLY_IF_COVERED",
      "JOURNAL, AFTER, ONLY_IF_COVERED",
      "LEDGER, BEFORE, ONLY_IF_COVERED",
      "LEDGER, AFTER, ONLY_IF_COVERED",
      "GRANTS, BEFORE, ONLY_IF_COVERED",
      "GRANTS, AFTER, ONLY_IF_COVERED"})
  void aCrashAtAnyWriteIsRepairedByTheNextRun(String store, When when, CreditPolicy policy) {
    World.Outcome expected = reference(policy).outcome();

    // How many writes of that store one clean run makes: every one of them gets its crash.
    SplitWorld counted = prepared(policy);
    Trigger counter = Trigger.never();
    RunReport clean = engine(counted, store, counter).run(RUN, RunMode.CHARGE);
    int writes = counter.writes();
    assertTrue(clean.summary().count(LineStatus.CHARGED) + clean.summary().count(LineStatus.SKIPPED_NO_CREDIT) >= 450,
        "the run is big: " + clean.summary());
    assertEquals(policy == CreditPolicy.ONLY_IF_COVERED, clean.summary().count(LineStatus.SKIPPED_NO_CREDIT) > 0,
        "lines are skipped exactly under the opt-in policy: " + clean.summary());
    assertTrue(writes >= (store.equals("LEDGER") ? 200 : store.equals("JOURNAL") ? 60 : 3),
        store + " writes: " + writes);
    counted.chargeUntilSettled(RUN);
    World.assertSameOutcome(expected, counted.outcome(), "counting writes changes nothing");

    for (int k = 1; k <= writes; k++) {
      SplitWorld world = prepared(policy);
      int crashAt = k;
      assertThrows(Crash.class, () -> engine(world, store, new Trigger(crashAt, when)).run(RUN, RunMode.CHARGE),
          "crash at write " + k);
      world.chargeUntilSettled(RUN);
      World.assertSameOutcome(expected, world.outcome(), store + " crash " + when + " write " + k + " of " + writes);
    }
  }

  /**
   * A crash between the debit and the journal, then a price change before the rerun: the line is
   * journaled at the new price, and the ledger, which still holds the old debit under the line's
   * key, gets the difference under the derived keys, so the net equals the journal line. A second
   * crash and a second change add one more correction, never a double.
   */
  @org.junit.jupiter.api.Test
  void aDebitHeldFromACrashedAttemptAtAnotherAmountIsCorrectedToTheJournaledLine() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, BATCH);
    world.define(List.of(price("30.00")), List.of(Assignment.builder("a1").customerId("c1").packageId("m")
        .startDate(JAN_1).autoDecrementCredit(true).build()));
    String key = "a1/RECURRING/2026-01-01";

    // The journal's first write records the pending line, its second commits: crash before that.
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(JAN_1, RunMode.CHARGE));
    assertEquals(List.of(), world.journal.lines("a1"), "the crash hit before the journal");
    assertEquals(Fixtures.usd("30.00"), world.ledger.find(key).orElseThrow().entry().amount());

    world.clean().define(price("45.00"));
    // Again: the pending line is finished, not abandoned, so the journal's writes are the same two.
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(JAN_1, RunMode.CHARGE));
    CreditLedger.Posting first = world.ledger.find(key + "~1").orElseThrow();
    assertTrue(first.debit());
    assertEquals(Fixtures.usd("15.00"), first.entry().amount());

    world.clean().define(price("20.00"));
    RunReport report = world.clean().run(JAN_1, RunMode.CHARGE);

    assertEquals(List.of(Fixtures.usd("20.00")), world.journal.lines("a1").stream().map(l -> l.retail()).toList());
    assertEquals(1, report.summary().count(LineStatus.CHARGED));
    CreditLedger.Posting second = world.ledger.find(key + "~2").orElseThrow();
    assertEquals(false, second.debit(), "45.00 was held, 20.00 is due: 25.00 back");
    assertEquals(Fixtures.usd("25.00"), second.entry().amount());
    assertEquals(Fixtures.usd("-20.00"), world.ledger.balance("c1", Fixtures.USD));
    assertEquals(java.util.Optional.empty(), world.ledger.find(key + "~3"));

    world.clean().run(JAN_1, RunMode.CHARGE);
    assertEquals(Fixtures.usd("-20.00"), world.ledger.balance("c1", Fixtures.USD), "a rerun posts nothing");
    world.outcome(); // checks the net postings of every journaled line
  }

  private static dev.allotment.core.ServicePackage price(String retail) {
    return dev.allotment.core.ServicePackage.builder("m").name("Monthly").currency("USD").retail(retail)
        .frequency(dev.allotment.core.Frequency.MONTHLY).build();
  }

  private static PackageBilling engine(SplitWorld world, String store, Trigger trigger) {
    return switch (store) {
      case "JOURNAL" -> world.engine(trigger, Trigger.never(), Trigger.never());
      case "LEDGER" -> world.engine(Trigger.never(), trigger, Trigger.never());
      case "GRANTS" -> world.engine(Trigger.never(), Trigger.never(), trigger);
      default -> throw new IllegalArgumentException(store);
    };
  }
}
