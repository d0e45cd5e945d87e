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
import dev.allotment.engine.Faults.When;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The split-stores adapter's pending lines against runs for other dates, end-date changes, the
 * credit policy and simulations: crash sequences and input changes after which every side effect
 * (a debit, a grant) is still matched by its journal line, or by a pending line a later commit
 * resolves.
 */
final class PendingLinesTest {
  private static final LocalDate FEB_1 = LocalDate.of(2026, 2, 1);
  private static final String FEB_GRANT = "a1/FREE_MINUTES/2026-02-01";

  private static ServicePackage minutes() {
    return ServicePackage.builder("fm").name("Minutes").currency("USD").retail("31.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44").build();
  }

  private static Assignment minutesFromJanuary() {
    return Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1)
        .autoDecrementCredit(true).build();
  }

  /** February's run crashed just before its journal commit: its intents, grant and debit are written. */
  private static SplitWorld freeMinutesChargedThroughJanuary() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, 500);
    PackageBilling clean = world.clean();
    clean.define(minutes());
    clean.assign(minutesFromJanuary());
    clean.run(JAN_1, RunMode.CHARGE);
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(FEB_1, RunMode.CHARGE));
    assertTrue(liveGrant(world, FEB_GRANT), "February was granted before the crash");
    assertEquals(2, world.pending().get("a1").size(), "and its RECURRING and FREE_MINUTES lines are pending");
    return world;
  }

  private static boolean liveGrant(SplitWorld world, String grantId) {
    return Fixtures.liveGrants(world.freeMinutes, world.assignments, world.clock.zone()).containsKey(grantId);
  }

  /**
   * Every side effect is accounted for: the balance is minus the journaled auto-decrement lines and
   * minus what is held under the keys of pending lines; every live grant is that of a journaled or
   * a pending FREE_MINUTES line.
   */
  private static void assertSideEffectsMatchJournalOrPending(SplitWorld world, Money topUps) {
    Money expected = topUps;
    for (List<ChargeLine> lines : Fixtures.journal(world.journal, world.assignments).values()) {
      for (ChargeLine line : lines) {
        if (line.autoDecrement()) {
          expected = expected.minus(line.retail());
        }
      }
    }
    List<ChargeLine> pending = world.pending().values().stream().flatMap(List::stream).toList();
    for (ChargeLine line : pending) {
      expected = expected.plus(World.netPosted(world.ledger, line.key().toString(), Fixtures.USD));
    }
    assertEquals(expected, world.ledger.balance("c1", Fixtures.USD), "every posting has its line");
    for (String grant : Fixtures.liveGrants(world.freeMinutes, world.assignments, world.clock.zone()).keySet()) {
      LineKey key = LineKey.parse(grant);
      assertTrue(world.journal.find(key).isPresent() || pending.stream().anyMatch(l -> l.key().equals(key)),
          "the live grant " + grant + " has its line");
    }
  }

  /** January and February journaled and debited once each, February's grant live, nothing pending. */
  private static void assertFebruaryChargedOnceWithItsGrantLive(SplitWorld world) {
    assertTrue(world.journal.find(LineKey.parse(FEB_GRANT)).isPresent(), "February journaled");
    assertTrue(liveGrant(world, FEB_GRANT), "the journaled February line has a live grant");
    assertEquals(Fixtures.usd("-62.00"), world.ledger.balance("c1", Fixtures.USD), "January and February debited");
    assertEquals(Map.of(), world.pending());
    world.outcome();
  }

  /**
   * A CHARGE for an earlier date after a crash (an operator reruns yesterday): that plan cannot hold
   * the crashed run's February lines. Whatever it does with their side effects (keep them pending,
   * or undo them), each stays matched by a journaled or pending line, and the February run journals
   * February once, debited once, with its grant live.
   */
  @Test
  void aRunForAnEarlierDateAfterACrashLeavesEverySideEffectAccountedFor() {
    SplitWorld world = freeMinutesChargedThroughJanuary();
    PackageBilling clean = world.clean();

    clean.run(LocalDate.of(2026, 1, 31), RunMode.CHARGE);
    assertSideEffectsMatchJournalOrPending(world, Fixtures.usd("0"));
    clean.run(FEB_1, RunMode.CHARGE);

    assertFebruaryChargedOnceWithItsGrantLive(world);
  }

  /**
   * A crash, then the end date moves before February (the grant is revoked, rightly), then the
   * assignment is reinstated: February is planned and journaled again under the same key, and the
   * adapter's addGrants revives its grant (the grant id is the line key).
   */
  @Test
  void aLineChargedAgainAfterItsGrantWasRevokedGetsALiveGrant() {
    SplitWorld world = freeMinutesChargedThroughJanuary();
    PackageBilling clean = world.clean();
    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);
    assertFalse(liveGrant(world, FEB_GRANT), "revoked while no plan holds it");
    assertSideEffectsMatchJournalOrPending(world, Fixtures.usd("0"));

    clean.reinstate("a1");
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    assertFebruaryChargedOnceWithItsGrantLive(world);
  }

  /**
   * ONLY_IF_COVERED: a crash leaves February's debit; the price then rises and February is
   * SKIPPED_NO_CREDIT. Its pending entry must not be abandoned while the debit stands: once the end
   * date moves before February, the next run has to credit it back.
   */
  @Test
  void aPendingLineTheCreditPolicySkipsKeepsItsDebitAccountedFor() {
    SplitWorld world = new SplitWorld(CreditPolicy.ONLY_IF_COVERED, 500);
    PackageBilling clean = world.clean();
    clean.define(Fixtures.monthly("m"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true)
        .build());
    world.ledger.credit(new CreditEntry("top-up/1", "c1", Fixtures.usd("60.00")));
    clean.run(JAN_1, RunMode.CHARGE);
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(FEB_1, RunMode.CHARGE));
    assertEquals(Fixtures.usd("0.00"), world.ledger.balance("c1", Fixtures.USD), "February was debited");

    clean.define(ServicePackage.builder("m").name("Monthly m").currency("USD").retail("45.00").cost("12.00")
        .frequency(Frequency.MONTHLY).build());
    RunReport skipped = clean.run(FEB_1, RunMode.CHARGE);
    assertEquals(1, skipped.summary().count(LineStatus.SKIPPED_NO_CREDIT), "15.00 more not covered");
    assertSideEffectsMatchJournalOrPending(world, Fixtures.usd("60.00"));

    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    List<ChargeLine> journaled = world.journal.lines("a1");
    assertEquals(List.of(Fixtures.usd("30.00")), journaled.stream().map(ChargeLine::retail).toList());
    assertEquals(Fixtures.usd("30.00"), world.ledger.balance("c1", Fixtures.USD),
        "60.00 topped up, January's 30.00 journaled: February's debit is credited back");
    assertEquals(Map.of(), world.pending());
    assertEquals(Optional.empty(), journaled.stream().filter(l -> l.kind() == LineKind.ADJUSTMENT).findAny());
    world.outcome();
  }

  /**
   * ONLY_IF_COVERED: a crash left February's debit, which took the last of the credit. The rerun
   * must count that debit as February's own (nothing more to cover), not as spent elsewhere: it
   * charges February, once, instead of skipping it (and holding the customer's money) forever.
   */
  @Test
  void aLineWhoseDebitACrashLeftIsChargedByTheNextRun() {
    SplitWorld world = new SplitWorld(CreditPolicy.ONLY_IF_COVERED, 500);
    PackageBilling clean = world.clean();
    clean.define(Fixtures.monthly("m"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true)
        .build());
    world.ledger.credit(new CreditEntry("top-up/1", "c1", Fixtures.usd("60.00")));
    clean.run(JAN_1, RunMode.CHARGE);
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(FEB_1, RunMode.CHARGE));
    assertEquals(Fixtures.usd("0.00"), world.ledger.balance("c1", Fixtures.USD), "February was debited");

    RunReport simulated = clean.run(FEB_1, RunMode.SIMULATE);
    RunReport rerun = clean.run(FEB_1, RunMode.CHARGE);

    assertEquals(List.of(LineStatus.ALREADY_CHARGED, LineStatus.CHARGED),
        rerun.lines().stream().map(l -> l.status()).toList(), "January held, February charged");
    assertEquals(Fixtures.relabel(rerun.lines(), LineStatus.CHARGED, LineStatus.DUE), simulated.lines(),
        "the simulation predicted it");
    assertEquals(Fixtures.usd("0.00"), world.ledger.balance("c1", Fixtures.USD), "debited once");
    assertEquals(Map.of(), world.pending());
    world.outcome();
  }

  /**
   * ONLY_IF_COVERED: a simulation must predict the charge. A crash left a1's February debit; a1
   * then ends in January, and a2 of the same customer starts in February. The charge credits a1's
   * debit back only in its commit, after deciding a2's February on the balance it read: a run right
   * after a crash may skip a line that the credit given back would cover (see {@link SplitStores}).
   * The simulation predicts exactly that skip, and the next run, simulated and charged, charges it.
   */
  @Test
  void aSimulationPredictsTheChargeWhenAPendingDebitWillBeUndone() {
    SplitWorld world = new SplitWorld(CreditPolicy.ONLY_IF_COVERED, 500);
    PackageBilling clean = world.clean();
    clean.define(Fixtures.monthly("m"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true)
        .build());
    world.ledger.credit(new CreditEntry("top-up/1", "c1", Fixtures.usd("60.00")));
    clean.run(JAN_1, RunMode.CHARGE);
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(FEB_1, RunMode.CHARGE));
    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.assign(Assignment.builder("a2").customerId("c1").packageId("m").startDate(FEB_1).autoDecrementCredit(true)
        .build());

    LocalDate feb5 = LocalDate.of(2026, 2, 5);
    RunReport simulated = clean.run(feb5, RunMode.SIMULATE);
    RunReport charged = clean.run(feb5, RunMode.CHARGE);
    assertEquals(Fixtures.relabel(charged.lines(), LineStatus.CHARGED, LineStatus.DUE), simulated.lines());
    assertEquals(Fixtures.usd("30.00"), world.ledger.balance("c1", Fixtures.USD), "a1's February debit undone");

    RunReport simulatedAgain = clean.run(feb5, RunMode.SIMULATE);
    RunReport chargedAgain = clean.run(feb5, RunMode.CHARGE);
    assertEquals(1, chargedAgain.summary().count(LineStatus.CHARGED), "a2's February is covered now");
    assertEquals(Fixtures.relabel(chargedAgain.lines(), LineStatus.CHARGED, LineStatus.DUE), simulatedAgain.lines());
    assertEquals(Fixtures.usd("0.00"), world.ledger.balance("c1", Fixtures.USD));
    assertEquals(Map.of(), world.pending());
    world.outcome();
  }

  /**
   * The default path has no pending lines, and needs none: a run for an earlier date (January 31)
   * that runs inside another engine's February run, between its reads and its unit of work, leaves
   * the February batch alone, which commits whole: February charged once, debited once, granted.
   * (On split stores two engines must not run the same assignments at once: see {@link SplitStores}.)
   */
  @Test
  void aRunForAnEarlierDateInsideAnotherEnginesRunLeavesItsBatchWhole() {
    InMemoryStores stores = new InMemoryStores();
    PackageBilling clean = Fixtures.inMemory(Fixtures.clock(), stores);
    clean.define(minutes());
    clean.assign(minutesFromJanuary());
    clean.run(JAN_1, RunMode.CHARGE);

    boolean[] ran = new boolean[1];
    UnitOfWork interleaving = batch -> {
      if (!ran[0]) {
        ran[0] = true;
        clean.run(LocalDate.of(2026, 1, 31), RunMode.CHARGE);
      }
      return stores.unitOfWork().commit(batch);
    };
    RunReport february = PackageBilling.builder().clock(Fixtures.clock()).stores(Fixtures.withUnitOfWork(stores, interleaving))
        .build().run(FEB_1, RunMode.CHARGE);

    assertTrue(ran[0], "the January 31 run ran inside the February run");
    assertEquals(2, february.summary().charged(), "February's RECURRING and FREE_MINUTES lines");
    assertTrue(stores.journal().find(LineKey.parse(FEB_GRANT)).isPresent(), "February journaled");
    assertEquals(Fixtures.usd("-62.00"), stores.creditLedger().balance("c1", Fixtures.USD));
    assertEquals(List.of("a1/FREE_MINUTES/2026-01-01", FEB_GRANT), List.copyOf(Fixtures.liveGrants(
        stores.freeMinutes(), stores.assignments(), Fixtures.clock().zone()).keySet()));
  }
}
