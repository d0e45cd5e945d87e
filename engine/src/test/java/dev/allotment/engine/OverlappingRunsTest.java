package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.AllotmentException;
import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Runs overlap freely with each other and with assignment changes on the default path: two threads
 * run unpartitioned CHARGE loops on one {@link dev.allotment.spi.InMemoryStores} (for the same
 * date, or for advancing dates) while two others end, move and remove the end dates of the same
 * assignments as fast as they can. After a final CHARGE, every period nets exactly what the final
 * terms give (its RECURRING and ADJUSTMENT lines against a clean charge of the final assignments on
 * fresh stores), every balance is minus the journaled auto-decrement lines, each line posted once
 * (its key's posting exactly -retail), and the live grants are those of the journaled FREE_MINUTES
 * lines.
 */
final class OverlappingRunsTest {
  private static final LocalDate FINAL = LocalDate.of(2026, 5, 1);
  private static final int ASSIGNMENTS = 16;
  private static final int RUNS_PER_THREAD = 12;
  /** Each editor stops when both charge loops are done, or after this many changes. */
  private static final int MAX_EDITS = 1_000_000;

  @RepeatedTest(5)
  void chargeLoopsForOneDateRacingEndDateChangesNetWhatTheFinalTermsGive() throws Exception {
    race(false);
  }

  @RepeatedTest(5)
  void chargeLoopsForAdvancingDatesRacingEndDateChangesNetWhatTheFinalTermsGive() throws Exception {
    race(true);
  }

  private static List<Assignment> assignments() {
    return Fixtures.mixedAssignments(ASSIGNMENTS, JAN_1);
  }

  private static void race(boolean advancing) throws Exception {
    World raced = new World(CreditPolicy.ALLOW_NEGATIVE, 3, 5, null);
    raced.define(Fixtures.mixedCatalog(), assignments());
    List<String> ids = assignments().stream().map(Assignment::id).toList();
    AtomicInteger chargersDone = new AtomicInteger();
    AtomicInteger runsCompleted = new AtomicInteger();
    AtomicInteger linesAdded = new AtomicInteger();
    AtomicInteger edits = new AtomicInteger();
    UnitOfWork counting = batch -> {
      BatchResult result = raced.memory.unitOfWork().commit(batch);
      linesAdded.addAndGet(result.linesAdded());
      return result;
    };

    ConcurrentRunner.Body charger = (thread, iteration) -> {
      PackageBilling engine = raced.through(counting);
      try {
        for (int i = 0; i < RUNS_PER_THREAD; i++) {
          LocalDate date = advancing ? LocalDate.of(2026, 2, 1).plusDays(7L * i + 3L * thread) : FINAL;
          try {
            engine.run(date, RunMode.CHARGE);
            runsCompleted.incrementAndGet();
          } catch (AllotmentException busy) {
            // "changed 16 times while this run committed them: run again": legitimate under this
            // contention; the batches it committed before stay, whole.
          }
        }
      } finally {
        chargersDone.incrementAndGet();
      }
    };
    ConcurrentRunner.Body editor = (thread, iteration) -> {
      PackageBilling engine = raced.clean();
      SplittableRandom random = new SplittableRandom(thread * 7919L);
      for (int n = 0; n < MAX_EDITS && chargersDone.get() < 2; n++) {
        String id = ids.get(random.nextInt(ids.size()));
        Assignment current = engine.findAssignment(id).orElseThrow();
        if (random.nextInt(3) == 0) {
          engine.reinstate(id);
        } else {
          engine.unassign(id, current.startDate().plusDays(random.nextInt(130)));
        }
        edits.incrementAndGet();
      }
    };
    ConcurrentRunner.runEach(1, charger, charger, editor, editor);
    raced.chargeUntilSettled(FINAL);

    assertTrue(linesAdded.get() > 0, "the racing runs committed lines");
    assertTrue(edits.get() > 0, "the assignments were edited while the runs ran");
    World.Outcome outcome = raced.outcome(); // each line's posting once, grants = journaled FREE_MINUTES lines

    World fresh = new World(CreditPolicy.ALLOW_NEGATIVE, 500);
    fresh.define(Fixtures.mixedCatalog(), outcome.assignments().stream()
        .map(a -> a.withRepricingDone().withVersion(0)).toList());
    fresh.clean().run(FINAL, RunMode.CHARGE);
    World.Outcome expected = fresh.outcome();

    String at = (advancing ? "advancing dates" : "one date") + ", " + runsCompleted + " runs completed, "
        + linesAdded + " lines added, " + edits + " edits";
    assertEquals(netPerPeriod(expected), netPerPeriod(outcome), at + ": net RECURRING + ADJUSTMENT per period");
    assertEquals(keysOf(expected, LineKind.SETUP), keysOf(outcome, LineKind.SETUP), at + ": setup fees");
    assertEquals(balancesFromJournal(outcome), nonZero(outcome.balances()), at + ": balances follow the journal");
  }

  /** Per assignment and period start: the retail of its RECURRING line and ADJUSTMENT lines, when not zero. */
  private static Map<String, Money> netPerPeriod(World.Outcome outcome) {
    Map<String, Money> net = new TreeMap<>();
    for (List<ChargeLine> lines : outcome.journal().values()) {
      for (ChargeLine line : lines) {
        if (line.kind() == LineKind.RECURRING || line.kind() == LineKind.ADJUSTMENT) {
          net.merge(line.assignmentId() + " " + line.period().start(), line.retail(), Money::plus);
        }
      }
    }
    net.values().removeIf(Money::isZero);
    return net;
  }

  private static TreeSet<String> keysOf(World.Outcome outcome, LineKind kind) {
    TreeSet<String> keys = new TreeSet<>();
    outcome.journal().values().forEach(lines -> lines.stream().filter(l -> l.kind() == kind)
        .forEach(l -> keys.add(l.key().toString())));
    return keys;
  }

  /** No top-ups: a customer's balance is minus its journaled auto-decrement lines. */
  private static Map<String, Money> balancesFromJournal(World.Outcome outcome) {
    Map<String, Money> balances = new HashMap<>();
    outcome.journal().values().forEach(lines -> lines.stream().filter(ChargeLine::autoDecrement).forEach(l ->
        balances.merge(l.customerId() + " " + l.retail().currency().getCurrencyCode(), l.retail().negate(),
            Money::plus)));
    return nonZero(balances);
  }

  private static Map<String, Money> nonZero(Map<String, Money> balances) {
    Map<String, Money> nonZero = new TreeMap<>(balances);
    nonZero.values().removeIf(Money::isZero);
    return nonZero;
  }
}
