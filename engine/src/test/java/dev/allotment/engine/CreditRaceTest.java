package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static dev.allotment.engine.Fixtures.USD;
import static dev.allotment.engine.Fixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ONLY_IF_COVERED on the default path: a debit of another writer lands between a run's credit
 * decisions and its commit, so the batch's floor fails. The unit of work refuses the whole batch;
 * the run reads the balance again, decides again and commits: the customer's lines are charged
 * and skipped exactly as a simulation on the balance after that debit predicts.
 */
final class CreditRaceTest {
  private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);

  /** c1: a1 at 30.00 and a2 at 5.00 a month from January, 100.00 of credit; c2: a3 at 30.00, 30.00 of credit. */
  private static World world() {
    World world = new World(CreditPolicy.ONLY_IF_COVERED, 500);
    world.define(List.of(Fixtures.monthly("m"), ServicePackage.builder("cheap").name("Cheap").currency("USD")
        .retail("5.00").frequency(Frequency.MONTHLY).build()), List.of(
        Assignment.builder("a1").customerId("c1").packageId("m").startDate(JAN_1).autoDecrementCredit(true).build(),
        Assignment.builder("a2").customerId("c1").packageId("cheap").startDate(JAN_1).autoDecrementCredit(true)
            .build(),
        Assignment.builder("a3").customerId("c2").packageId("m").startDate(JAN_1).autoDecrementCredit(true).build()));
    world.topUp("c1", usd("100.00"));
    world.topUp("c2", usd("30.00"));
    return world;
  }

  /** Another writer's debit of c1 (the host's own rated usage, say), through the same unit of work. */
  private static BatchResult debitElsewhere(World world) {
    return world.memory.unitOfWork().commit(ChargeBatch.builder().postings(List.of(new Posting(
        new CreditEntry("usage/c1/march", "c1", usd("20.00")), true))).build());
  }

  private static List<LineStatus> statuses(RunReport report, String assignmentId) {
    return report.lines().stream().filter(l -> l.line().assignmentId().equals(assignmentId))
        .map(PlannedLine::status).toList();
  }

  @Test
  void aBatchWhoseFloorFailsIsRefusedDecidedAgainAndChargedAsASimulationPredicts() {
    World raced = world();
    RunReport before = raced.clean().run(MAR_1, RunMode.SIMULATE);
    assertEquals(List.of(LineStatus.DUE, LineStatus.DUE, LineStatus.DUE), statuses(before, "a1"),
        "with 100.00, a1's three months (90.00) are covered");
    assertEquals(List.of(LineStatus.DUE, LineStatus.DUE, LineStatus.SKIPPED_NO_CREDIT), statuses(before, "a2"));

    List<BatchResult> results = new ArrayList<>();
    RunReport charged = raced.through(batch -> {
      if (results.isEmpty()) {
        assertTrue(debitElsewhere(raced).isCommitted());
      }
      BatchResult result = raced.memory.unitOfWork().commit(batch);
      results.add(result);
      return result;
    }).run(MAR_1, RunMode.CHARGE);

    assertEquals(2, results.size(), "refused once, then committed: " + results);
    assertEquals(Set.of("c1"), results.get(0).shortOfCredit());
    assertEquals(Set.of(), results.get(0).changedAssignments());
    assertTrue(results.get(1).isCommitted());

    // 80.00 after the debit: a1's January and February (60.00), not March; then a2's three months.
    assertEquals(List.of(LineStatus.CHARGED, LineStatus.CHARGED, LineStatus.SKIPPED_NO_CREDIT),
        statuses(charged, "a1"));
    assertEquals(List.of(LineStatus.CHARGED, LineStatus.CHARGED, LineStatus.CHARGED), statuses(charged, "a2"));
    assertEquals(List.of(LineStatus.CHARGED, LineStatus.SKIPPED_NO_CREDIT, LineStatus.SKIPPED_NO_CREDIT),
        statuses(charged, "a3"), "c2's 30.00 covers January, before and after the refusal");
    assertEquals(usd("5.00"), raced.memory.creditLedger().balance("c1", USD));
    assertEquals(usd("0.00"), raced.memory.creditLedger().balance("c2", USD));

    World predicted = world();
    debitElsewhere(predicted);
    RunReport simulated = predicted.clean().run(MAR_1, RunMode.SIMULATE);
    assertEquals(simulated.lines(), Fixtures.relabel(charged.lines(), LineStatus.CHARGED, LineStatus.DUE),
        "the charge is what a simulation on the balance after the debit predicts");
    predicted.clean().run(MAR_1, RunMode.CHARGE);
    World.assertSameOutcome(predicted.outcome(), raced.outcome(), "as if the debit had come first");

    List<LineStatus> next = statuses(raced.clean().run(MAR_1, RunMode.SIMULATE), "a1");
    assertEquals(LineStatus.SKIPPED_NO_CREDIT, next.get(next.size() - 1), "March still has no credit");
    assertTrue(next.subList(0, next.size() - 1).stream().allMatch(s -> s == LineStatus.ALREADY_CHARGED), "" + next);
  }
}
