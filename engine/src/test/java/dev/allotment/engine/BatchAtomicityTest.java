package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.engine.Faults.Crash;
import dev.allotment.engine.Faults.When;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default path, one batch one unit of work: a unit of work that fails before or after its
 * k-th commit, for every k of a mixed run (auto-decrement, free minutes, minimum spend from
 * recorded spend, adjustments after end dates moved). The stores then hold whole batches only: the
 * lines of the batches committed, each with its posting and grant, and nothing of the one that
 * failed first; a failure before a commit leaves the stores exactly as they were before that
 * batch. Clean reruns end with exactly the journal, balances and grants of one clean run.
 */
final class BatchAtomicityTest {
  private static final LocalDate SETUP_RUN = LocalDate.of(2026, 2, 1);
  private static final LocalDate RUN = LocalDate.of(2026, 4, 30);
  private static final int BATCH = 7;

  private static World prepared(CreditPolicy policy) {
    World world = new World(policy, BATCH);
    List<Assignment> assignments = Fixtures.mixedAssignments(48, JAN_1);
    world.define(Fixtures.mixedCatalog(), assignments);
    if (policy == CreditPolicy.ONLY_IF_COVERED) {
      for (int c = 0; c < 7; c++) {
        world.topUp("c" + c, Fixtures.usd(c % 2 == 0 ? "500.00" : "2500.00"));
        world.topUp("c" + c, Money.of("25.00", "EUR"));
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

  /**
   * The world's unit of work, failing at its k-th commit (0: never), remembering the outcome just
   * before that commit and the lines of every batch committed.
   */
  private static final class Failing implements UnitOfWork {
    final World world;
    final int k;
    final When when;
    final List<ChargeBatch> committed = new ArrayList<>();
    int commits;
    World.Outcome beforeFailure;

    Failing(World world, int k, When when) {
      this.world = world;
      this.k = k;
      this.when = when;
    }

    @Override
    public BatchResult commit(ChargeBatch batch) {
      int n = ++commits;
      if (n == k && when == When.BEFORE) {
        beforeFailure = world.outcome();
        throw new Crash("failed before commit " + n);
      }
      BatchResult result = world.memory.unitOfWork().commit(batch);
      if (result.isCommitted()) {
        committed.add(batch);
      }
      if (n == k) {
        throw new Crash("failed after commit " + n);
      }
      return result;
    }
  }

  private static Set<ChargeLine> lines(World.Outcome outcome) {
    return outcome.journal().values().stream().flatMap(List::stream).collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0} under {1}")
  @CsvSource({"BEFORE, ALLOW_NEGATIVE", "AFTER, ALLOW_NEGATIVE", "BEFORE, ONLY_IF_COVERED", "AFTER, ONLY_IF_COVERED"})
  void aFailureAtAnyCommitLeavesWholeBatchesAndTheRerunFinishesThem(When when, CreditPolicy policy) {
    World reference = prepared(policy);
    reference.chargeUntilSettled(RUN);
    World.Outcome expected = reference.outcome();

    World counted = prepared(policy);
    Failing counter = new Failing(counted, 0, when);
    RunReport clean = counted.through(counter).run(RUN, RunMode.CHARGE);
    int commits = counter.commits;
    assertTrue(commits > 50, "a run of many batches: " + commits);
    Set<LineKind> kinds = clean.lines(LineStatus.CHARGED).stream().map(l -> l.line().kind())
        .collect(Collectors.toSet());
    assertEquals(EnumSet.allOf(LineKind.class), kinds, "the run exercises every kind of line");
    assertEquals(policy == CreditPolicy.ONLY_IF_COVERED, clean.summary().count(LineStatus.SKIPPED_NO_CREDIT) > 0,
        "lines are skipped exactly under the opt-in policy: " + clean.summary());

    for (int k = 1; k <= commits; k++) {
      String at = "failure " + when + " commit " + k + " of " + commits;
      World world = prepared(policy);
      Set<ChargeLine> before = lines(world.outcome());
      Failing failing = new Failing(world, k, when);
      assertThrows(Crash.class, () -> world.through(failing).run(RUN, RunMode.CHARGE), at);

      // Whole batches: the lines held are those held before and those of the batches committed,
      // each with its posting and grant (outcome() checks both), and nothing else.
      World.Outcome failed = world.outcome();
      Set<ChargeLine> expectedLines = new HashSet<>(before);
      failing.committed.forEach(batch -> expectedLines.addAll(batch.lines()));
      assertEquals(expectedLines, lines(failed), at + ": the lines of the committed batches, no other");
      if (when == When.BEFORE) {
        World.assertSameOutcome(failing.beforeFailure, failed, at + ": the stores as before the failed batch");
      }

      world.chargeUntilSettled(RUN);
      World.assertSameOutcome(expected, world.outcome(), at);
    }
  }
}
