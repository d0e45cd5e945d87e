package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.LineStatus;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Proration;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Two engines on the same in-memory stores charge the same date at the same moment (released by a
 * barrier): every line is journaled once, every debit and credit applied once, every grant added
 * once, and the stores end as after one run.
 */
final class ConcurrentRunTest {
  private static final LocalDate SETUP_RUN = LocalDate.of(2026, 2, 1);
  private static final LocalDate RUN = LocalDate.of(2026, 4, 30);

  private static World prepared() {
    World world = new World(CreditPolicy.ALLOW_NEGATIVE, 5, 9, null);
    List<Assignment> assignments = Fixtures.mixedAssignments(48, JAN_1);
    world.define(Fixtures.mixedCatalog(), assignments);
    world.clean().run(SETUP_RUN, RunMode.CHARGE);
    for (Assignment a : assignments) {
      if (a.endDate().isEmpty() && a.id().hashCode() % 3 == 0 && !a.startDate().isAfter(LocalDate.of(2026, 1, 20))) {
        world.clean().unassign(a.id(), LocalDate.of(2026, 1, 25));
      }
    }
    return world;
  }

  /** A unit of work into the world's that counts the lines its commits added. */
  private static UnitOfWork counting(World world, AtomicInteger linesAdded) {
    return batch -> {
      BatchResult result = world.memory.unitOfWork().commit(batch);
      linesAdded.addAndGet(result.linesAdded());
      return result;
    };
  }

  @RepeatedTest(15)
  void twoEnginesChargingTheSameDateChargeEveryLineOnce() throws Exception {
    World reference = prepared();
    AtomicInteger referenceAdded = new AtomicInteger();
    RunReport single = reference.through(counting(reference, referenceAdded)).run(RUN, RunMode.CHARGE);
    assertTrue(single.summary().count(LineStatus.CHARGED) > 500, single.summary().toString());
    assertEquals(single.summary().count(LineStatus.CHARGED), referenceAdded.get());

    World world = prepared();
    AtomicInteger sharedAdded = new AtomicInteger();
    PackageBilling[] engines = {world.through(counting(world, sharedAdded)), world.through(counting(world,
        sharedAdded))};
    RunReport[] reports = new RunReport[2];
    ConcurrentRunner.run(2, 1, (thread, iteration) -> reports[thread] = engines[thread].run(RUN, RunMode.CHARGE));

    // Journal, balances (every line's posting exactly -retail) and live grants (one per FREE_MINUTES line).
    World.assertSameOutcome(reference.outcome(), world.outcome(), "two engines at once");
    assertEquals(referenceAdded.get(), sharedAdded.get(), "lines added by the two engines together");
    // Between them the two reports charged exactly the single run's lines. (A line both engines
    // committed shows as CHARGED in both reports; the journal holds it once, as the lines added show.)
    Set<String> union = new TreeSet<>();
    for (RunReport report : reports) {
      report.lines(LineStatus.CHARGED).forEach(l -> union.add(l.line().key().toString()));
    }
    assertEquals(single.lines(LineStatus.CHARGED).stream().map(l -> l.line().key().toString())
        .collect(Collectors.toCollection(TreeSet::new)), union);
    assertEquals(0, engines[0].run(RUN, RunMode.CHARGE).summary().count(LineStatus.CHARGED));
  }

  /**
   * The premise of the race: four threads commit the same 200 batches (a line, its debit, a grant)
   * at once; each line, posting and grant is applied once.
   */
  @RepeatedTest(3)
  void theUnitOfWorkAppliesABatchOnceUnderContention() throws Exception {
    InMemoryStores stores = new InMemoryStores();
    AtomicInteger added = new AtomicInteger();
    ConcurrentRunner.run(4, 200, (thread, i) -> {
      ChargeLine line = ChargeLine.recurring(new LineSubject("a" + i, "c1", Optional.empty(), "p1", 1, true),
          new BillingPeriod(JAN_1, JAN_1.plusMonths(1)), Fixtures.usd("1.00"), Fixtures.usd("0"), Proration.WHOLE);
      Grant grant = Grant.builder("g" + i).assignmentId("a" + i).customerId("c1").allocatedSeconds(60)
          .validFrom(Fixtures.clock().startOf(JAN_1)).build();
      added.addAndGet(stores.unitOfWork().commit(ChargeBatch.builder().lines(List.of(line)).grants(List.of(grant))
          .postings(List.of(new Posting(new CreditEntry(line.key().toString(), "c1", Fixtures.usd("1.00")), true)))
          .build()).linesAdded());
    });
    assertEquals(200, added.get());
    assertEquals(Fixtures.usd("-200.00"), stores.creditLedger().balance("c1", Fixtures.USD));
    assertEquals(200, stores.freeMinutes().balances("c1", Fixtures.clock().startOf(JAN_1)).size());
  }
}
