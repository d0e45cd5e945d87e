package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.Faults.Crash;
import dev.allotment.engine.Faults.Trigger;
import dev.allotment.engine.Faults.When;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On split stores ({@link SplitStores}), a crash leaves side effects (grants, credit postings) of
 * lines it never journaled; then the inputs change before the rerun (end dates move, a price goes
 * to zero), so some of those lines are no longer planned and others are planned on other terms.
 * The next runs must finish what is still planned, on its new terms, and undo the rest: every
 * customer's balance is exactly the top-ups minus the journaled auto-decrement lines (no posting
 * without its line, none twice), every live grant is the grant of its journaled FREE_MINUTES line
 * as planned now ({@code Grant.of}: the adapter's addGrants takes the new terms), and nothing stays
 * pending.
 */
final class InputsChangeAfterACrashTest {
  private static final LocalDate RUN = LocalDate.of(2026, 4, 30);
  private static final int BATCH = 7;

  private static SplitWorld prepared() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, BATCH);
    world.define(Fixtures.mixedCatalog(), Fixtures.mixedAssignments(48, JAN_1));
    world.clean().run(LocalDate.of(2026, 2, 1), RunMode.CHARGE);
    return world;
  }

  /**
   * Ends a third of the open assignments in mid-March (so a free-minutes period is cut and its
   * grant shrinks) and makes the daily package free.
   */
  private static void changeInputs(SplitWorld world) {
    PackageBilling clean = world.clean();
    for (Assignment a : Fixtures.all(world.assignments)) {
      if (a.endDate().isEmpty() && Math.floorMod(a.id().hashCode(), 3) == 1
          && a.startDate().isBefore(LocalDate.of(2026, 3, 1))) {
        clean.unassign(a.id(), LocalDate.of(2026, 3, 15));
      }
    }
    clean.define(ServicePackage.builder("daily").name("Daily").currency("USD").retail("0").cost("0")
        .frequency(Frequency.DAILY).build());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"JOURNAL, BEFORE", "JOURNAL, AFTER", "LEDGER, BEFORE", "LEDGER, AFTER", "GRANTS, BEFORE",
      "GRANTS, AFTER"})
  void sideEffectsOfLinesNoLongerPlannedAreUndoneAndTheRestFinishedOnTheirNewTerms(String store, When when) {
    Trigger counter = Trigger.never();
    SplitWorld counted = prepared();
    engine(counted, store, counter).run(RUN, RunMode.CHARGE);
    int writes = counter.writes();
    assertTrue(writes >= 5, store + " writes: " + writes);

    int resolved = 0;
    for (int k = 1; k <= writes; k++) {
      SplitWorld world = prepared();
      int crashAt = k;
      assertThrows(Crash.class, () -> engine(world, store, new Trigger(crashAt, when)).run(RUN, RunMode.CHARGE));
      changeInputs(world);
      Map<String, List<ChargeLine>> pendingBefore = world.pending();
      world.chargeUntilSettled(RUN);

      String at = store + " crash " + when + " write " + k + " of " + writes;
      assertEquals(Map.of(), world.pending(), at + ": nothing stays pending");
      checkBalancesFollowTheJournal(world, at);
      world.outcome(); // every live grant is Grant.of(its journaled line), every line's net posting -retail
      resolved += pendingBefore.values().stream().mapToInt(List::size).sum();
    }
    assertTrue(resolved > 0, "some crash left pending lines for the rerun to resolve");
  }

  // ---- a second crash, while the next run repairs what the first left

  private static final LocalDate NEW_END = LocalDate.of(2026, 3, 15);

  /** 24 assignments of the mixed catalog charged on February 1. */
  private static SplitWorld small() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, BATCH);
    world.define(Fixtures.mixedCatalog(), Fixtures.mixedAssignments(24, JAN_1));
    world.clean().run(LocalDate.of(2026, 2, 1), RunMode.CHARGE);
    return world;
  }

  /** Ends every assignment started before March on March 15, so their later periods are no longer planned. */
  private static void endInMarch(SplitWorld world) {
    PackageBilling clean = world.clean();
    for (Assignment a : Fixtures.all(world.assignments)) {
      if (a.startDate().isBefore(LocalDate.of(2026, 3, 1))) {
        clean.unassign(a.id(), NEW_END);
      }
    }
  }

  /**
   * The journal writes of {@link #RUN} on {@link #small()} that commit a FREE_MINUTES line of a
   * period after {@link #NEW_END} of an assignment {@link #endInMarch} ends: a crash just before
   * one of them leaves a grant and debits that the next run, after the end dates moved, must undo.
   */
  private static List<Integer> commitsOfLinesThatWillBeUndone() {
    SplitWorld world = small();
    List<Integer> commits = new ArrayList<>();
    int[] writes = new int[1];
    Faults.Journal recording = new Faults.Journal(world.journal, Trigger.never()) {
      @Override
      public void intend(List<ChargeLine> lines) {
        writes[0]++;
        super.intend(lines);
      }

      @Override
      public void abandon(Collection<LineKey> keys) {
        writes[0]++;
        super.abandon(keys);
      }

      @Override
      public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
        writes[0]++;
        if (lines.stream().anyMatch(l -> l.kind() == LineKind.FREE_MINUTES
            && l.period().start().isAfter(NEW_END) && world.assignments.find(l.assignmentId()).orElseThrow()
            .startDate().isBefore(LocalDate.of(2026, 3, 1)))) {
          commits.add(writes[0]);
        }
        return super.commit(lines, watermarks);
      }
    };
    world.engine(recording, world.ledger, world.freeMinutes).run(RUN, RunMode.CHARGE);
    return commits;
  }

  /**
   * A crash leaves grants and debits of lines the moved end dates then remove; the run that undoes
   * them (credits, grant revocations, abandoned pending lines) crashes in turn, at every one of its
   * writes. The runs after still end with every posting matched by its line, every live grant by
   * its line, and nothing pending.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"JOURNAL, BEFORE", "JOURNAL, AFTER", "LEDGER, BEFORE", "LEDGER, AFTER", "GRANTS, BEFORE",
      "GRANTS, AFTER"})
  void aCrashWhileUndoingWhatACrashLeftIsRepairedByTheNextRun(String store, When when) {
    List<Integer> firstCrashes = commitsOfLinesThatWillBeUndone();
    assertFalse(firstCrashes.isEmpty(), "a commit holds grants of periods the new end dates remove");
    Set<String> kinds = new TreeSet<>();
    for (int first : firstCrashes) {
      Trigger counter = Trigger.never();
      SplitWorld counted = crashedThenEnded(first);
      assertFalse(counted.pending().isEmpty(), "the first crash left pending lines");
      engine(counted, store, counter).run(RUN, RunMode.CHARGE);
      kinds.addAll(counter.kinds());
      for (int k = 1; k <= counter.writes(); k++) {
        SplitWorld world = crashedThenEnded(first);
        int crashAt = k;
        assertThrows(Crash.class, () -> engine(world, store, new Trigger(crashAt, when)).run(RUN, RunMode.CHARGE));
        world.chargeUntilSettled(RUN);

        String at = "first crash before journal write " + first + ", then " + store + " crash " + when + " write "
            + k + " of " + counter.writes();
        assertEquals(Map.of(), world.pending(), at + ": nothing stays pending");
        checkBalancesFollowTheJournal(world, at);
        world.outcome();
      }
    }
    Set<String> undoing = switch (store) {
      case "JOURNAL" -> Set.of("abandon", "intend", "commit");
      case "LEDGER" -> Set.of("credit", "debit");
      default -> Set.of("revokeGrant", "addGrants");
    };
    assertTrue(kinds.containsAll(undoing), "the repairing run wrote " + kinds + ", every kind of " + undoing);
  }

  private static SplitWorld crashedThenEnded(int journalWrite) {
    SplitWorld world = small();
    assertThrows(Crash.class, () -> world.crashingJournal(journalWrite, When.BEFORE).run(RUN, RunMode.CHARGE));
    endInMarch(world);
    return world;
  }

  private static PackageBilling engine(SplitWorld world, String store, Trigger trigger) {
    return switch (store) {
      case "JOURNAL" -> world.engine(trigger, Trigger.never(), Trigger.never());
      case "LEDGER" -> world.engine(Trigger.never(), trigger, Trigger.never());
      case "GRANTS" -> world.engine(Trigger.never(), Trigger.never(), trigger);
      default -> throw new IllegalArgumentException(store);
    };
  }

  /** No top-ups in this world: a balance is minus the retail of the customer's journaled auto-decrement lines. */
  private static void checkBalancesFollowTheJournal(SplitWorld world, String at) {
    Map<String, Money> expected = new HashMap<>();
    for (List<ChargeLine> lines : Fixtures.journal(world.journal, world.assignments).values()) {
      for (ChargeLine line : lines) {
        if (line.autoDecrement()) {
          expected.merge(line.customerId() + " " + line.retail().currency().getCurrencyCode(), line.retail().negate(),
              Money::plus);
        }
      }
    }
    for (Map.Entry<String, Money> balance : Fixtures.balances(world.ledger, world.assignments).entrySet()) {
      Money wanted = expected.getOrDefault(balance.getKey(), Money.zero(balance.getValue().currency()));
      assertEquals(wanted, balance.getValue(), at + ": balance of " + balance.getKey());
    }
  }

  // ---- the reviewer's scenarios, one assignment at a time

  private static ServicePackage minutes(String destination) {
    return ServicePackage.builder("fm").name("UK minutes").currency("USD").retail("31.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination(destination).build();
  }

  private static Instant startOf(SplitWorld world, LocalDate day) {
    return world.clock.startOf(day);
  }

  /** Review scenario E: the debit of a line that disappears before the rerun is credited back. */
  @Test
  void aDebitLeftByACrashIsUndoneWhenTheEndDateMovesBeforeItsPeriod() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, BATCH);
    PackageBilling clean = world.clean();
    clean.define(Fixtures.monthly("m"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true)
        .build());
    clean.run(JAN_1, RunMode.CHARGE);
    LocalDate feb1 = LocalDate.of(2026, 2, 1);
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(feb1, RunMode.CHARGE));
    assertEquals(Fixtures.usd("-60.00"), world.ledger.balance("c1", Fixtures.USD), "February was debited");

    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    assertEquals(List.of(Fixtures.usd("30.00")), world.journal.lines("a1").stream().map(ChargeLine::retail).toList());
    assertEquals(Fixtures.usd("-30.00"), world.ledger.balance("c1", Fixtures.USD), "February's debit undone");
    assertEquals(Map.of(), world.journal.pending(List.of("a1")));
    world.outcome();
  }

  /**
   * Review scenario B1: a grant left by a crash never blocks the run when the package changes; the
   * run that journals its line gives it the terms it plans now (the new destination).
   */
  @Test
  void aGrantLeftByACrashTakesTheNewTermsWhenThePackageChanges() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, BATCH);
    PackageBilling clean = world.clean();
    clean.define(minutes("^44"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1).build());
    clean.assign(Assignment.builder("a2").customerId("c2").packageId("fm").minutes(100).startDate(JAN_1).build());
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(JAN_1, RunMode.CHARGE));
    Instant jan1 = startOf(world, JAN_1);
    assertEquals(2, world.freeMinutes.balances("c1", jan1).size() + world.freeMinutes.balances("c2", jan1).size());
    assertEquals("^44", world.freeMinutes.balances("c1", jan1).get(0).grant().destination().orElseThrow().source());

    clean.define(minutes("^44|^353"));
    RunReport rerun = clean.run(JAN_1, RunMode.CHARGE);

    assertEquals(4, rerun.summary().charged(), "both assignments' RECURRING and FREE_MINUTES lines");
    List<GrantBalance> grants = world.freeMinutes.balances("c1", jan1);
    assertEquals(1, grants.size());
    assertEquals("^44|^353", grants.get(0).grant().destination().orElseThrow().source(),
        "the grant takes the terms of the line journaled");
    assertEquals(6000, grants.get(0).allocatedSeconds());
    assertEquals(Map.of(), world.journal.pending(List.of("a1", "a2")));
    world.outcome(); // every live grant is Grant.of(its journaled line, the package as defined now)
  }

  /** Review scenario B2: the grant of a period the end date no longer reaches is revoked, nothing blocks. */
  @Test
  void aGrantLeftByACrashIsRevokedWhenItsLineDisappears() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, BATCH);
    PackageBilling clean = world.clean();
    clean.define(minutes("^44"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1).build());
    clean.run(JAN_1, RunMode.CHARGE);
    LocalDate feb1 = LocalDate.of(2026, 2, 1);
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(feb1, RunMode.CHARGE));
    Instant inFebruary = startOf(world, feb1).plusSeconds(3600);
    assertEquals(List.of("a1/FREE_MINUTES/2026-02-01"), world.freeMinutes.balances("c1", inFebruary).stream()
        .map(b -> b.grant().id()).toList(), "February was granted");

    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    assertEquals(List.of("a1/FREE_MINUTES/2026-01-01"), List.copyOf(Fixtures.liveGrants(world.freeMinutes,
        world.assignments, world.clock.zone()).keySet()), "February's grant is revoked");
    assertEquals(Map.of(), world.journal.pending(List.of("a1")));
    // A February call is not covered any more.
    assertEquals(0, clean.available("c1", Optional.empty(), "4420", inFebruary));
    assertEquals(0, clean.consume(UsageRecord.of("u1", "c1", "4420", inFebruary, 60)).coveredSeconds());
    world.outcome();
  }

  /**
   * A grant left by a crash, then the end date moves into its period: the line is planned again,
   * prorated, and its grant shrinks to the journaled seconds instead of keeping the whole month.
   */
  @Test
  void aGrantLeftByACrashIsFinishedOnItsProratedTermsWhenTheEndDateCutsItsPeriod() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, BATCH);
    PackageBilling clean = world.clean();
    clean.define(minutes("^44"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1).build());
    clean.run(JAN_1, RunMode.CHARGE);
    LocalDate feb1 = LocalDate.of(2026, 2, 1);
    assertThrows(Crash.class, () -> world.crashingJournal(2, When.BEFORE).run(feb1, RunMode.CHARGE));
    Instant inFebruary = startOf(world, feb1).plusSeconds(3600);
    assertEquals(6000, world.freeMinutes.balances("c1", inFebruary).get(0).allocatedSeconds(), "a whole month");

    clean.unassign("a1", LocalDate.of(2026, 2, 14));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    ChargeLine february = world.journal.lines("a1").stream().filter(l -> l.key().toString()
        .equals("a1/FREE_MINUTES/2026-02-01")).findFirst().orElseThrow();
    assertEquals(3000, february.grantSeconds(), "14 of 28 days");
    List<GrantBalance> grants = world.freeMinutes.balances("c1", inFebruary);
    assertEquals(1, grants.size());
    assertEquals(3000, grants.get(0).allocatedSeconds(), "the grant takes the journaled line's seconds");
    assertEquals(Optional.of(startOf(world, LocalDate.of(2026, 2, 15))), grants.get(0).grant().validUntil());
    world.outcome();
  }
}
