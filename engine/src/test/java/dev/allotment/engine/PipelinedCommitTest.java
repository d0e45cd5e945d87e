package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.LineStatus;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A CHARGE committing several batches at once (the default, two) charges what one committing them
 * one at a time charges, and never has two batches of one assignment in flight together, though
 * assignments here span batches.
 */
final class PipelinedCommitTest {
  private static final LocalDate RUN = LocalDate.of(2026, 8, 1);

  /** A unit of work that notes every assignment two commits in flight shared. */
  private static final class Overlaps implements UnitOfWork {
    private final UnitOfWork stores;
    private final Set<String> inFlight = new HashSet<>();
    final List<String> shared = new CopyOnWriteArrayList<>();
    int commits;

    Overlaps(UnitOfWork stores) {
      this.stores = stores;
    }

    @Override
    public BatchResult commit(ChargeBatch batch) {
      Set<String> ids = batch.linesByAssignment().keySet();
      synchronized (this) {
        commits++;
        for (String id : ids) {
          if (!inFlight.add(id)) {
            shared.add(id);
          }
        }
      }
      try {
        return stores.commit(batch);
      } finally {
        synchronized (this) {
          inFlight.removeAll(ids);
        }
      }
    }
  }

  private static World world() {
    World world = new World(CreditPolicy.ALLOW_NEGATIVE, 5);
    List<Assignment> assignments = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Eight months of lines each, batches of five: every assignment spans two batches.
      assignments.add(Assignment.builder(String.format("a%02d", i)).customerId("c" + i % 7).packageId("m")
          .startDate(JAN_1).autoDecrementCredit(i % 2 == 0).build());
    }
    return world.define(List.of(Fixtures.monthly("m")), assignments);
  }

  @Test
  void batchesInFlightTogetherChargeWhatOneAtATimeCharges() {
    World sequential = world();
    RunReport expected = sequential.through(sequential.memory.unitOfWork()).run(RUN, RunMode.CHARGE);
    World pipelined = world();
    Overlaps overlaps = new Overlaps(pipelined.memory.unitOfWork());
    PackageBilling engine = PackageBilling.builder().clock(pipelined.clock).stores(BillingStores.builder()
        .catalog(pipelined.memory.catalog()).assignments(pipelined.memory.assignments())
        .journal(pipelined.memory.journal()).creditLedger(pipelined.memory.creditLedger())
        .spend(pipelined.memory.spend()).freeMinutes(pipelined.memory.freeMinutes()).unitOfWork(overlaps)
        .events(pipelined.memory.events()).build()).batchSize(5).pageSize(13).build();

    RunReport report = engine.run(RUN, RunMode.CHARGE);

    assertEquals(2, engine.runSettings().commitsInFlight());
    assertEquals(List.of(), overlaps.shared, "assignments of two commits in flight together");
    assertTrue(overlaps.commits >= 64, "320 lines in batches of 5, was " + overlaps.commits);
    assertEquals(320, report.summary().count(LineStatus.CHARGED));
    assertEquals(expected.summary(), report.summary());
    assertEquals(expected.lines(), report.lines());
    World.assertSameOutcome(sequential.outcome(), pipelined.outcome(), "two batches in flight");
  }
}
