package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static dev.allotment.engine.Fixtures.USD;
import static dev.allotment.engine.Fixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.PlannedLine;
import dev.allotment.spi.BatchResult;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An assignment that changes between the run's read and its commit (the host ends it meanwhile)
 * is refused by the unit of work's version check, read again and planned again: the run charges
 * the new terms exactly, and its report shows the lines of the new plan.
 */
final class ChangedAssignmentTest {
  private static final LocalDate FEB_14 = LocalDate.of(2026, 2, 14);
  private static final LocalDate RUN = LocalDate.of(2026, 4, 1);

  private static World world(int batchSize) {
    World world = new World(CreditPolicy.ALLOW_NEGATIVE, batchSize);
    world.define(List.of(Fixtures.monthly("m")), List.of(
        Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true).build(),
        Assignment.builder("a2").customerId("c2").packageId("m").startDate(JAN_1).autoDecrementCredit(true).build()));
    return world;
  }

  /** Runs {@link #RUN}, ending a1 on February 14 just before the {@code k}-th commit. */
  private static RunReport runEndingA1BeforeCommit(World world, int k, List<BatchResult> results) {
    int[] commits = new int[1];
    return world.through(batch -> {
      if (++commits[0] == k) {
        world.clean().unassign("a1", FEB_14);
      }
      BatchResult result = world.memory.unitOfWork().commit(batch);
      results.add(result);
      return result;
    }).run(RUN, RunMode.CHARGE);
  }

  private static List<LineKey> keys(List<PlannedLine> lines) {
    return lines.stream().map(l -> l.line().key()).toList();
  }

  @Test
  void anAssignmentEndedBeforeTheFirstCommitIsChargedOnItsNewTerms() {
    World raced = world(500);
    List<BatchResult> results = new ArrayList<>();
    RunReport report = runEndingA1BeforeCommit(raced, 1, results);

    World ended = world(500);
    ended.clean().unassign("a1", FEB_14);
    RunReport expected = ended.clean().run(RUN, RunMode.CHARGE);

    assertEquals(Set.of("a1"), results.get(0).changedAssignments(), "the first batch found a1 changed");
    assertTrue(results.get(results.size() - 1).isCommitted());
    assertEquals(expected.lines(), report.lines(), "the report shows the new plan's lines");
    assertEquals(expected.summary(), report.summary());
    assertEquals(List.of(LineKey.of("a1", LineKind.RECURRING, JAN_1),
        LineKey.of("a1", LineKind.RECURRING, LocalDate.of(2026, 2, 1))), keys(report.lines()).subList(0, 2));
    assertEquals(usd("15.00"), report.lines().get(1).line().retail(), "14 of 28 days of February");
    assertTrue(raced.memory.journal().lines("a1").stream().noneMatch(l -> l.period().start().isAfter(FEB_14)),
        "no line for a day after the new end");
    World.assertSameOutcome(ended.outcome(), raced.outcome(), "charged as if a1 had ended before the run");
  }

  /**
   * a1's lines span two batches: January and February go in the first; a1 ends before the second,
   * which is refused and planned again from what is stored now: February is adjusted to its 14
   * days, March and April are never charged. Every period nets what the new terms give, and the
   * report's CHARGED lines are what this run charged.
   */
  @Test
  void anAssignmentEndedBetweenItsBatchesIsAdjustedToItsNewTerms() {
    World raced = world(2);
    List<BatchResult> results = new ArrayList<>();
    RunReport report = runEndingA1BeforeCommit(raced, 2, results);

    assertEquals(Set.of("a1"), results.get(1).changedAssignments(), "the second batch found a1 changed");
    List<ChargeLine> a1 = raced.memory.journal().lines("a1");
    assertEquals(List.of(usd("30.00"), usd("30.00"), usd("-15.00")), a1.stream().map(ChargeLine::retail).toList(),
        "January, February, and February's adjustment to 14 days");
    assertEquals(LineKey.adjustment("a1", LocalDate.of(2026, 2, 1), 1), a1.get(2).key());
    assertEquals(usd("-45.00"), raced.memory.creditLedger().balance("c1", USD), "30.00 + 15.00");
    assertEquals(usd("-120.00"), raced.memory.creditLedger().balance("c2", USD));

    Money chargedRetail = report.lines(LineStatus.CHARGED).stream().map(l -> l.line().retail())
        .reduce(Money.zero(USD), Money::plus);
    assertEquals(usd("165.00"), chargedRetail, "the report's CHARGED lines are what the run debited: "
        + report.lines());
    assertEquals(report.summary().count(LineStatus.CHARGED),
        raced.memory.journal().lines("a1").size() + raced.memory.journal().lines("a2").size(),
        "every line journaled was charged by this run");
    raced.outcome();
  }
}
