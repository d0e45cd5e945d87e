package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.Faults.Crash;
import dev.allotment.engine.Faults.Trigger;
import dev.allotment.engine.Faults.When;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.InMemoryAssignmentStore;
import dev.allotment.spi.InMemoryChargeJournal;
import dev.allotment.spi.InMemoryCreditLedger;
import dev.allotment.spi.InMemoryFreeMinuteStore;
import dev.allotment.spi.InMemoryPackageCatalog;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pending-line protocol against runs for other dates, concurrent engines, the credit policy and
 * simulations: crash sequences and input changes after which every side effect (a debit, a grant)
 * is still matched by its journal line, or by a pending line a later run resolves.
 */
final class PendingLinesTest {
  private static final LocalDate FEB_1 = LocalDate.of(2026, 2, 1);
  private static final String FEB_GRANT = "a1/FREE_MINUTES/2026-02-01";

  /** Stores shared by the engines of one scenario, with the real free-minute store. */
  private static final class Stores {
    final InMemoryChargeJournal journal = new InMemoryChargeJournal();
    final InMemoryCreditLedger ledger = new InMemoryCreditLedger();
    final InMemoryFreeMinuteStore freeMinutes = new InMemoryFreeMinuteStore();
    final InMemoryPackageCatalog catalog = new InMemoryPackageCatalog();
    final InMemoryAssignmentStore assignments = new InMemoryAssignmentStore();
    final CreditPolicy policy;

    Stores(CreditPolicy policy) {
      this.policy = policy;
    }

    PackageBilling engine(Trigger journalFault) {
      return PackageBilling.builder().clock(Fixtures.clock()).catalog(catalog).assignments(assignments)
          .journal(new Faults.Journal(journal, journalFault)).creditLedger(ledger).freeMinuteStore(freeMinutes)
          .creditPolicy(policy).build();
    }

    /** Crashes just before its first journal commit: the intents and side effects are written. */
    PackageBilling crashingBeforeCommit() {
      return engine(new Trigger(2, When.BEFORE));
    }

    PackageBilling clean() {
      return engine(Trigger.never());
    }

    boolean liveGrant(String customerId, String grantId) {
      return freeMinutes.balances(customerId).stream().anyMatch(b -> b.grant().id().equals(grantId));
    }
  }

  private static ServicePackage minutes() {
    return ServicePackage.builder("fm").name("Minutes").currency("USD").retail("31.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44").build();
  }

  private static Stores freeMinutesChargedThroughJanuary() {
    Stores stores = new Stores(CreditPolicy.ALLOW_NEGATIVE);
    PackageBilling clean = stores.clean();
    clean.define(minutes());
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1)
        .autoDecrementCredit(true).build());
    clean.run(JAN_1, RunMode.CHARGE);
    assertThrows(Crash.class, () -> stores.crashingBeforeCommit().run(FEB_1, RunMode.CHARGE));
    assertTrue(stores.liveGrant("c1", FEB_GRANT), "February was granted before the crash");
    return stores;
  }

  /** January and February journaled and debited once each, February's grant live, nothing pending. */
  private static void assertFebruaryChargedOnceWithItsGrantLive(Stores stores) {
    assertTrue(stores.journal.find(LineKey.parse(FEB_GRANT)).isPresent(), "February journaled");
    assertTrue(stores.liveGrant("c1", FEB_GRANT), "the journaled February line has a live grant");
    assertEquals(Fixtures.usd("-62.00"), stores.ledger.balance("c1", Fixtures.USD), "January and February debited");
    assertEquals(Map.of(), stores.journal.pending(List.of("a1")));
  }

  /**
   * A CHARGE for an earlier date after a crash (an operator reruns yesterday): the crashed run's
   * lines are due after that date, so that plan cannot hold them; they stay pending, their debit and
   * grant untouched, and the February run journals them with their grant live.
   */
  @Test
  void aRunForAnEarlierDateLeavesLinesDueLaterPendingInsteadOfRevokingTheirGrants() {
    Stores stores = freeMinutesChargedThroughJanuary();
    PackageBilling clean = stores.clean();

    clean.run(LocalDate.of(2026, 1, 31), RunMode.CHARGE);
    clean.run(FEB_1, RunMode.CHARGE);

    assertFebruaryChargedOnceWithItsGrantLive(stores);
  }

  /**
   * A crash, then the end date moves before February (the grant is revoked, rightly), then the
   * assignment is reinstated: February is planned and journaled again under the same key, and
   * {@link FreeMinuteStore#addGrantsIfAbsent} revives its grant (the grant id is the line key).
   */
  @Test
  void aLineChargedAgainAfterItsGrantWasRevokedGetsALiveGrant() {
    Stores stores = freeMinutesChargedThroughJanuary();
    PackageBilling clean = stores.clean();
    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);
    assertFalse(stores.liveGrant("c1", FEB_GRANT), "revoked while no plan holds it");

    clean.reinstate("a1");
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    assertFebruaryChargedOnceWithItsGrantLive(stores);
  }

  /**
   * ONLY_IF_COVERED: a crash leaves February's debit; the price then rises and the correction is
   * refused, so February is SKIPPED_NO_CREDIT. Its pending entry must not be abandoned while the
   * debit stands: once the end date moves before February, the next run has to credit it back.
   */
  @Test
  void aPendingLineTheCreditPolicySkipsKeepsItsDebitAccountedFor() {
    Stores stores = new Stores(CreditPolicy.ONLY_IF_COVERED);
    PackageBilling clean = stores.clean();
    clean.define(Fixtures.monthly("m"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true)
        .build());
    stores.ledger.credit(new CreditEntry("top-up/1", "c1", Fixtures.usd("60.00")));
    clean.run(JAN_1, RunMode.CHARGE);
    assertThrows(Crash.class, () -> stores.crashingBeforeCommit().run(FEB_1, RunMode.CHARGE));
    assertEquals(Fixtures.usd("0.00"), stores.ledger.balance("c1", Fixtures.USD), "February was debited");

    clean.define(ServicePackage.builder("m").name("Monthly m").currency("USD").retail("45.00").cost("12.00")
        .frequency(Frequency.MONTHLY).build());
    RunReport skipped = clean.run(FEB_1, RunMode.CHARGE);
    assertEquals(1, skipped.summary().count(LineStatus.SKIPPED_NO_CREDIT), "15.00 more not covered");

    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    List<ChargeLine> journaled = stores.journal.lines("a1");
    assertEquals(List.of(Fixtures.usd("30.00")), journaled.stream().map(ChargeLine::retail).toList());
    assertEquals(Fixtures.usd("30.00"), stores.ledger.balance("c1", Fixtures.USD),
        "60.00 topped up, January's 30.00 journaled: February's debit is credited back");
    assertEquals(Map.of(), stores.journal.pending(List.of("a1")));
    assertEquals(Optional.empty(), journaled.stream().filter(l -> l.kind() == LineKind.ADJUSTMENT).findAny());
  }

  /**
   * Two engines on the same stores: one charges February 1 and, between its debit and its journal
   * commit, another charges January 31. The second reads the first one's pending February line, which
   * its plan cannot hold (it is due after January 31): it must leave it alone, not credit the debit
   * back and revoke the grant under a line the first engine is about to journal.
   */
  @Test
  void aRunForAnEarlierDateLeavesAnotherEnginesInFlightLinesAlone() {
    Stores stores = new Stores(CreditPolicy.ALLOW_NEGATIVE);
    PackageBilling clean = stores.clean();
    clean.define(minutes());
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1)
        .autoDecrementCredit(true).build());
    clean.run(JAN_1, RunMode.CHARGE);

    boolean[] ran = new boolean[1];
    CreditLedger interleaving = new CreditLedger() {
      @Override
      public DebitResult debit(CreditEntry entry, boolean onlyIfCovered) {
        DebitResult result = stores.ledger.debit(entry, onlyIfCovered);
        if (!ran[0]) {
          ran[0] = true;
          clean.run(LocalDate.of(2026, 1, 31), RunMode.CHARGE);
        }
        return result;
      }

      @Override
      public boolean credit(CreditEntry entry) {
        return stores.ledger.credit(entry);
      }

      @Override
      public Money balance(String customerId, Currency currency) {
        return stores.ledger.balance(customerId, currency);
      }

      @Override
      public Optional<Posting> find(String key) {
        return stores.ledger.find(key);
      }
    };
    PackageBilling.builder().clock(Fixtures.clock()).catalog(stores.catalog).assignments(stores.assignments)
        .journal(stores.journal).creditLedger(interleaving).freeMinuteStore(stores.freeMinutes).build()
        .run(FEB_1, RunMode.CHARGE);

    assertTrue(ran[0], "the January 31 run ran inside the February run");
    assertFebruaryChargedOnceWithItsGrantLive(stores);
  }

  /**
   * ONLY_IF_COVERED: a simulation must predict the charge. A crash left a1's February debit; a1 then
   * ends in January, so the charge credits that debit back before it posts a2's February, which the
   * balance then covers. The simulation has to see the same credit back.
   */
  @Test
  void aSimulationPredictsTheChargeWhenAPendingDebitWillBeUndone() {
    Stores stores = new Stores(CreditPolicy.ONLY_IF_COVERED);
    PackageBilling clean = stores.clean();
    clean.define(Fixtures.monthly("m"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true)
        .build());
    stores.ledger.credit(new CreditEntry("top-up/1", "c1", Fixtures.usd("60.00")));
    clean.run(JAN_1, RunMode.CHARGE);
    assertThrows(Crash.class, () -> stores.crashingBeforeCommit().run(FEB_1, RunMode.CHARGE));
    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.assign(Assignment.builder("a2").customerId("c1").packageId("m").startDate(FEB_1).autoDecrementCredit(true)
        .build());

    LocalDate feb5 = LocalDate.of(2026, 2, 5);
    RunReport simulated = clean.run(feb5, RunMode.SIMULATE);
    RunReport charged = clean.run(feb5, RunMode.CHARGE);

    assertEquals(1, charged.summary().count(LineStatus.CHARGED), "a2's February is covered");
    assertEquals(Fixtures.relabel(charged.lines(), LineStatus.CHARGED,
        LineStatus.DUE), simulated.lines());
  }
}
