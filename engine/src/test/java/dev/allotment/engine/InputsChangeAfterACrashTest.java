package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.Faults.Crash;
import dev.allotment.engine.Faults.Trigger;
import dev.allotment.engine.Faults.When;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.InMemoryChargeJournal;
import dev.allotment.spi.InMemoryCreditLedger;
import dev.allotment.spi.InMemoryFreeMinuteStore;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A crash leaves side effects (grants, credit postings) of lines it never journaled; then the
 * inputs change before the rerun (end dates move, a price goes to zero), so some of those lines
 * are no longer planned. The next runs must finish what is still planned and undo the rest:
 * every customer's balance is exactly the top-ups minus the journaled auto-decrement lines (no
 * posting without its line, none twice), the live grants are exactly the journaled FREE_MINUTES
 * lines, and nothing stays pending.
 */
final class InputsChangeAfterACrashTest {
  private static final LocalDate RUN = LocalDate.of(2026, 4, 30);
  private static final int BATCH = 7;

  private static World prepared() {
    World world = new World(CreditPolicy.ALLOW_NEGATIVE, BATCH);
    world.define(Fixtures.mixedCatalog(), Fixtures.mixedAssignments(48, JAN_1));
    world.clean().run(LocalDate.of(2026, 2, 1), RunMode.CHARGE);
    return world;
  }

  /** Ends a third of the open assignments in mid-March and makes the daily package free. */
  private static void changeInputs(World world) {
    PackageBilling clean = world.clean();
    for (Assignment a : world.assignments.page(Optional.empty(), Optional.empty(), Integer.MAX_VALUE)) {
      if (a.endDate().isEmpty() && Math.floorMod(a.id().hashCode(), 3) == 1
          && a.startDate().isBefore(LocalDate.of(2026, 3, 1))) {
        clean.unassign(a.id(), LocalDate.of(2026, 3, 15));
      }
    }
    clean.define(ServicePackage.builder("daily").name("Daily").currency("USD").retail("0").cost("0")
        .frequency(Frequency.DAILY).build());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"JOURNAL, BEFORE", "JOURNAL, AFTER", "LEDGER, AFTER", "GRANTS, AFTER"})
  void sideEffectsOfLinesNoLongerPlannedAreUndoneAndTheRestFinished(String store, When when) {
    Trigger counter = Trigger.never();
    World counted = prepared();
    engine(counted, store, counter).run(RUN, RunMode.CHARGE);
    int writes = counter.writes();
    assertTrue(writes >= 5, store + " writes: " + writes);

    int undone = 0;
    for (int k = 1; k <= writes; k++) {
      World world = prepared();
      int crashAt = k;
      assertThrows(Crash.class, () -> engine(world, store, new Trigger(crashAt, when)).run(RUN, RunMode.CHARGE));
      changeInputs(world);
      Map<String, List<ChargeLine>> pendingBefore = pending(world.journal, world);
      world.chargeUntilSettled(RUN);

      String at = store + " crash " + when + " write " + k + " of " + writes;
      assertEquals(Map.of(), pending(world.journal, world), at + ": nothing stays pending");
      checkBalancesFollowTheJournal(world, at);
      assertEquals(journaledGrantKeys(world), new TreeSet<>(world.grants.grants.keySet()),
          at + ": live grants are the journaled grants");
      undone += pendingBefore.values().stream().mapToInt(List::size).sum();
    }
    assertTrue(undone > 0, "some crash left pending lines for the rerun to resolve");
  }

  private static PackageBilling engine(World world, String store, Trigger trigger) {
    return switch (store) {
      case "JOURNAL" -> world.engine(trigger, Trigger.never(), Trigger.never());
      case "LEDGER" -> world.engine(Trigger.never(), trigger, Trigger.never());
      case "GRANTS" -> world.engine(Trigger.never(), Trigger.never(), trigger);
      default -> throw new IllegalArgumentException(store);
    };
  }

  private static Map<String, List<ChargeLine>> pending(ChargeJournal journal, World world) {
    List<String> ids = world.assignments.page(Optional.empty(), Optional.empty(), Integer.MAX_VALUE).stream()
        .map(Assignment::id).toList();
    return journal.pending(ids);
  }

  /** No top-ups in this world: a balance is minus the retail of the customer's journaled auto-decrement lines. */
  private static void checkBalancesFollowTheJournal(World world, String at) {
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

  private static TreeSet<String> journaledGrantKeys(World world) {
    TreeSet<String> keys = new TreeSet<>();
    Fixtures.journal(world.journal, world.assignments).values().forEach(lines -> lines.stream()
        .filter(l -> l.kind() == LineKind.FREE_MINUTES).forEach(l -> keys.add(l.key().toString())));
    return keys;
  }

  // ---- the reviewer's scenarios, on the real free-minute store

  /** Stores shared by the engines of one scenario; the journal crashes on demand. */
  private static final class Stores {
    final InMemoryChargeJournal journal = new InMemoryChargeJournal();
    final InMemoryCreditLedger ledger = new InMemoryCreditLedger();
    final InMemoryFreeMinuteStore freeMinutes = new InMemoryFreeMinuteStore();
    final dev.allotment.spi.InMemoryPackageCatalog catalog = new dev.allotment.spi.InMemoryPackageCatalog();
    final dev.allotment.spi.InMemoryAssignmentStore assignments = new dev.allotment.spi.InMemoryAssignmentStore();

    PackageBilling engine(Trigger journalFault) {
      return PackageBilling.builder().clock(Fixtures.clock()).catalog(catalog).assignments(assignments)
          .journal(new Faults.Journal(journal, journalFault)).creditLedger(ledger).freeMinuteStore(freeMinutes)
          .build();
    }

    /** An engine whose journal crashes just before its first commit (after the line's side effects). */
    PackageBilling crashingBeforeCommit() {
      return engine(new Trigger(2, When.BEFORE));
    }

    PackageBilling clean() {
      return engine(Trigger.never());
    }
  }

  private static ServicePackage minutes(String destination) {
    return ServicePackage.builder("fm").name("UK minutes").currency("USD").retail("31.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination(destination).build();
  }

  /** Review scenario E: the debit of a line that disappears before the rerun is credited back. */
  @Test
  void aDebitLeftByACrashIsUndoneWhenTheEndDateMovesBeforeItsPeriod() {
    Stores stores = new Stores();
    PackageBilling clean = stores.clean();
    clean.define(Fixtures.monthly("m"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true)
        .build());
    clean.run(JAN_1, RunMode.CHARGE);
    LocalDate feb1 = LocalDate.of(2026, 2, 1);
    assertThrows(Crash.class, () -> stores.crashingBeforeCommit().run(feb1, RunMode.CHARGE));
    assertEquals(Fixtures.usd("-60.00"), stores.ledger.balance("c1", Fixtures.USD), "February was debited");

    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    assertEquals(List.of(Fixtures.usd("30.00")), stores.journal.lines("a1").stream().map(ChargeLine::retail).toList());
    assertEquals(Fixtures.usd("-30.00"), stores.ledger.balance("c1", Fixtures.USD), "February's debit undone");
    assertEquals(Map.of(), stores.journal.pending(List.of("a1")));
  }

  /** Review scenario B1: a grant left by a crash keeps its terms; a changed destination never blocks the run. */
  @Test
  void aGrantLeftByACrashNeverBlocksLaterRunsWhenThePackageChanges() {
    Stores stores = new Stores();
    PackageBilling clean = stores.clean();
    clean.define(minutes("^44"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1).build());
    clean.assign(Assignment.builder("a2").customerId("c2").packageId("fm").minutes(100).startDate(JAN_1).build());
    assertThrows(Crash.class, () -> stores.crashingBeforeCommit().run(JAN_1, RunMode.CHARGE));
    assertEquals(2, stores.freeMinutes.balances("c1").size() + stores.freeMinutes.balances("c2").size());

    clean.define(minutes("^44|^353"));
    RunReport rerun = clean.run(JAN_1, RunMode.CHARGE);

    assertEquals(4, rerun.summary().charged(), "both assignments' RECURRING and FREE_MINUTES lines");
    GrantBalance grant = stores.freeMinutes.balances("c1").get(0);
    assertEquals("^44", grant.grant().destination().orElseThrow().source(), "the grant keeps the terms it was given");
    assertEquals(6000, grant.allocatedSeconds());
    assertEquals(Map.of(), stores.journal.pending(List.of("a1", "a2")));
  }

  /** Review scenario B2: the grant of a period the end date no longer reaches is revoked, nothing blocks. */
  @Test
  void aGrantLeftByACrashIsRevokedWhenItsLineDisappears() {
    Stores stores = new Stores();
    PackageBilling clean = stores.clean();
    clean.define(minutes("^44"));
    clean.assign(Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1).build());
    clean.run(JAN_1, RunMode.CHARGE);
    LocalDate feb1 = LocalDate.of(2026, 2, 1);
    assertThrows(Crash.class, () -> stores.crashingBeforeCommit().run(feb1, RunMode.CHARGE));
    assertTrue(stores.freeMinutes.balance("a1/FREE_MINUTES/2026-02-01").isPresent(), "February was granted");

    clean.unassign("a1", LocalDate.of(2026, 1, 31));
    clean.run(LocalDate.of(2026, 2, 5), RunMode.CHARGE);

    List<String> live = stores.freeMinutes.balances("c1").stream().map(b -> b.grant().id()).toList();
    assertEquals(List.of("a1/FREE_MINUTES/2026-01-01"), live, "February's grant is revoked");
    assertEquals(0, stores.freeMinutes.take("a1/FREE_MINUTES/2026-02-01", 60), "and serves no call");
    assertEquals(Map.of(), stores.journal.pending(List.of("a1")));
    // A February call is not covered any more.
    assertEquals(0, clean.available("c1", Optional.empty(), "4420", Fixtures.clock().startOf(feb1).plusSeconds(3600)));
  }
}
