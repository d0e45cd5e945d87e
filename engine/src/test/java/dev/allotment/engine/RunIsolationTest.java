package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Planner;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.EventType;
import dev.allotment.spi.StoredEvent;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One assignment that cannot be billed never stops a run for everyone after it: its planning or
 * writing failure is reported, every other assignment is charged, and the next run tries it again
 * without charging anything twice.
 */
final class RunIsolationTest {
  private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
  private final MutableBillingClock clock = Fixtures.clock();
  private final InMemoryStores stores = new InMemoryStores();

  /** Refuses, as a store refuses a value it cannot keep, any batch holding a line of a poisoned assignment. */
  private static final class PoisonedUnitOfWork implements UnitOfWork {
    final UnitOfWork target;
    final Set<String> poisoned = new HashSet<>();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicBoolean crash = new AtomicBoolean();

    PoisonedUnitOfWork(UnitOfWork target) {
      this.target = target;
    }

    @Override
    public BatchResult commit(ChargeBatch batch) {
      commits.incrementAndGet();
      if (crash.get()) {
        throw new IllegalStateException("the store is down");
      }
      for (ChargeLine line : batch.lines()) {
        if (poisoned.contains(line.assignmentId())) {
          throw new IllegalArgumentException("commit a batch: the database rejected a value (SQL state 22003):"
              + " numeric field overflow for " + line.key());
        }
      }
      return target.commit(batch);
    }
  }

  private PackageBilling engine(UnitOfWork unitOfWork, int batchSize) {
    return PackageBilling.builder().clock(clock).stores(Fixtures.withUnitOfWork(stores, unitOfWork))
        .batchSize(batchSize).pageSize(40).build();
  }

  private void assignMonthly(PackageBilling billing, int count) {
    billing.define(Fixtures.monthly("m"));
    for (int i = 0; i < count; i++) {
      billing.assign(Assignment.builder(String.format("a-%03d", i)).customerId("c" + i % 7).packageId("m")
          .startDate(JAN_1).autoDecrementCredit(i % 2 == 0).build());
    }
  }

  private List<String> journalKeys() {
    List<String> keys = new ArrayList<>();
    for (Assignment a : Fixtures.all(stores.assignments())) {
      stores.journal().lines(a.id()).forEach(line -> keys.add(line.key().toString()));
    }
    return keys;
  }

  private static List<StoredEvent> failedEvents(PackageBilling billing) {
    return billing.events().read(0, 10_000).stream().filter(e -> e.event().type() == EventType.ASSIGNMENT_FAILED)
        .toList();
  }

  @Test
  void anAssignmentWhoseLinesTheStoreRefusesIsReportedAndEveryOtherIsCharged() {
    PoisonedUnitOfWork unitOfWork = new PoisonedUnitOfWork(stores.unitOfWork());
    PackageBilling billing = engine(unitOfWork, 50);
    assignMonthly(billing, 100);
    unitOfWork.poisoned.add("a-042");

    RunReport report = billing.run(MAR_1, RunMode.CHARGE);

    assertEquals(99 * 3, report.summary().count(LineStatus.CHARGED), "every other assignment's Jan, Feb and Mar");
    assertEquals(1, report.summary().failures().size());
    RunFailure failure = report.summary().failures().get(0);
    assertEquals(new RunFailure("a-042", "c0", "m", RunFailure.Stage.WRITING, failure.error()), failure);
    assertTrue(failure.error().startsWith("IllegalArgumentException: commit a batch: the database rejected a value")
        && failure.error().contains("a-042/RECURRING/2026-01-01"), failure.error());
    assertTrue(report.lines().stream().noneMatch(l -> l.line().assignmentId().equals("a-042")),
        "its lines are not reported: its failure stands for them");
    assertTrue(stores.journal().lines("a-042").isEmpty());
    assertTrue(report.toText().contains("FAILED: 1 assignment, not billed") && report.toText().contains("a-042"),
        report.toText());
    assertEquals(report, RunReport.parseJson(report.toJson()), "the failures round-trip through JSON");

    List<StoredEvent> failed = failedEvents(billing);
    assertEquals(List.of("ASSIGNMENT_FAILED:a-042@2026-03-01"), failed.stream().map(e -> e.event().id()).toList());
    assertTrue(failed.get(0).event().payload().contains("\"stage\":\"WRITING\"")
        && failed.get(0).event().payload().contains("SQL state 22003"), failed.get(0).event().payload());
    assertEquals(1, report.summary().events().get(EventType.ASSIGNMENT_FAILED));

    // Still poisoned: the next run tries it again, and charges nothing of the others twice.
    RunReport again = billing.run(MAR_1, RunMode.CHARGE);
    assertEquals(0, again.summary().count(LineStatus.CHARGED));
    assertEquals(List.of("a-042"), again.summary().failures().stream().map(RunFailure::assignmentId).toList());
    assertEquals(failed, failedEvents(billing), "the same date's failure is announced once");
    RunReport simulated = billing.run(MAR_1, RunMode.SIMULATE);
    assertEquals(List.of(), simulated.summary().failures(), "a simulation writes nothing, so no store refuses it");
    assertEquals(failed, failedEvents(billing));

    unitOfWork.poisoned.clear(); // the poison is fixed
    RunReport fixed = billing.run(MAR_1, RunMode.CHARGE);
    assertEquals(3, fixed.summary().count(LineStatus.CHARGED));
    assertEquals(List.of(), fixed.summary().failures());
    List<String> keys = journalKeys();
    assertEquals(300, keys.size());
    assertEquals(300, new HashSet<>(keys).size(), "nothing charged twice");
    // a-042 debits c0 once per month, like every auto-decrement assignment of c0 (0, 14, 28, 42, 56, 70, 84, 98).
    assertEquals(Fixtures.usd("-720.00"), stores.creditLedger().balance("c0", Fixtures.USD));
  }

  @Test
  void twoPoisonedAssignmentsInOneBatchAreBothFoundAndALongOneFailsAlone() {
    PoisonedUnitOfWork unitOfWork = new PoisonedUnitOfWork(stores.unitOfWork());
    PackageBilling billing = engine(unitOfWork, 500);
    assignMonthly(billing, 60);
    unitOfWork.poisoned.addAll(List.of("a-003", "a-057"));

    RunReport report = billing.run(MAR_1, RunMode.CHARGE);

    assertEquals(List.of("a-003", "a-057"), report.summary().failures().stream().map(RunFailure::assignmentId)
        .sorted().toList());
    assertEquals(58 * 3, report.summary().count(LineStatus.CHARGED));
    assertEquals(58 * 3, journalKeys().size());
  }

  @Test
  void aStoreFailureThatIsNotAboutTheValuesStillEndsTheRun() {
    PoisonedUnitOfWork unitOfWork = new PoisonedUnitOfWork(stores.unitOfWork());
    PackageBilling billing = engine(unitOfWork, 50);
    assignMonthly(billing, 10);
    unitOfWork.crash.set(true);

    assertThrows(IllegalStateException.class, () -> billing.run(MAR_1, RunMode.CHARGE));
    assertEquals(1, unitOfWork.commits.get(), "no retries: a crash is not bisected");
    assertEquals(List.of(), journalKeys());
  }

  @Test
  void anAssignmentThatCannotBePlannedIsReportedAndTheOthersAreChargedInBothModes() {
    PackageBilling billing = engine(stores.unitOfWork(), 500);
    assignMonthly(billing, 5);
    billing.define(ServicePackage.builder("d").name("Daily").currency("USD").retail("1.00")
        .frequency(Frequency.DAILY).build());
    // Eleven years of daily lines due at once: more than one plan may hold.
    billing.assign(Assignment.builder("a-daily").customerId("c9").packageId("d").startDate(LocalDate.of(2015, 1, 1))
        .build());

    RunReport simulated = billing.run(MAR_1, RunMode.SIMULATE);
    assertEquals(List.of(), failedEvents(billing), "a simulation counts the event and writes none");
    RunReport charged = billing.run(MAR_1, RunMode.CHARGE);
    assertEquals(List.of("ASSIGNMENT_FAILED:a-daily@2026-03-01"), failedEvents(billing).stream()
        .map(e -> e.event().id()).toList());
    assertTrue(failedEvents(billing).get(0).event().payload().contains("\"stage\":\"PLANNING\""));

    for (RunReport report : List.of(simulated, charged)) {
      assertEquals(1, report.summary().events().get(EventType.ASSIGNMENT_FAILED), report.mode().toString());
      assertEquals(1, report.summary().failures().size(), report.mode().toString());
      RunFailure failure = report.summary().failures().get(0);
      assertEquals(RunFailure.Stage.PLANNING, failure.stage());
      assertEquals("a-daily", failure.assignmentId());
      assertTrue(failure.error().contains("more than " + Planner.MAX_DUE_LINES + " lines due by 2026-03-01")
          && failure.error().contains("run for an earlier date first"), failure.error());
      assertEquals(15, report.summary().charged(), "the five monthly assignments' lines");
    }

    // Caught up in steps, as the failure says: every line once.
    billing.run(LocalDate.of(2020, 1, 1), RunMode.CHARGE);
    RunReport caughtUp = billing.run(MAR_1, RunMode.CHARGE);
    assertEquals(List.of(), caughtUp.summary().failures());
    assertEquals(LocalDate.of(2015, 1, 1).datesUntil(MAR_1.plusDays(1)).count(),
        stores.journal().lines("a-daily").size());
  }
}
