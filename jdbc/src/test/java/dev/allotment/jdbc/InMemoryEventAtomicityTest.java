package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import dev.allotment.core.Consumption;
import dev.allotment.core.FreeMinuteRules;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.EventPayload;
import dev.allotment.spi.EventType;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.UnitOfWork;
import dev.allotment.spi.UsageAllocator;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link EventAtomicityChecks} for the in-memory stores, whose writes cannot fail half-way (a unit of
 * work runs under one lock, and nothing in it can fail once its checks passed): the failures are
 * injected at the SPI instead, before and after each write (Mockito), and the events stay those of
 * the effects.
 */
final class InMemoryEventAtomicityTest {
  private final InMemoryStores memory = new InMemoryStores();
  private final List<String> heard = new ArrayList<>();

  InMemoryEventAtomicityTest() {
    EventScenario.prepare(memory);
  }

  private BillingStores with(UnitOfWork unitOfWork, AssignmentStore assignments) {
    return BillingStores.builder().catalog(memory.catalog()).assignments(assignments).journal(memory.journal())
        .creditLedger(memory.creditLedger()).spend(memory.spend()).freeMinutes(memory.freeMinutes())
        .unitOfWork(unitOfWork).events(memory.events()).build();
  }

  private PackageBilling engine(BillingStores stores) {
    PackageBilling billing = EventScenario.engine(stores, EventScenario.clock());
    billing.events().addListener(events -> events.forEach(e -> heard.add(e.id())));
    return billing;
  }

  @Test
  void aUnitOfWorkFailingBeforeOrAfterItsWritesLeavesEveryEventWithItsEffect() {
    PackageBilling setUp = engine(memory);
    setUp.assign(EventScenario.plain());
    setUp.assign(EventScenario.minutes());
    heard.clear();

    UnitOfWork failsBefore = batch -> {
      throw new IllegalStateException("the database is gone before the commit");
    };
    assertThrows(IllegalStateException.class, () -> engine(with(failsBefore, memory.assignments()))
        .run(EventScenario.RUN, RunMode.CHARGE));
    EventScenario.assertEventsMatchEffects(memory);
    assertEquals(List.of(), heard, "nothing committed, nothing heard");

    UnitOfWork failsAfter = batch -> {
      BatchResult result = memory.unitOfWork().commit(batch);
      throw new IllegalStateException("the answer to a commit of " + result.linesAdded() + " lines was lost");
    };
    assertThrows(IllegalStateException.class, () -> engine(with(failsAfter, memory.assignments()))
        .run(EventScenario.RUN, RunMode.CHARGE));
    EventScenario.assertEventsMatchEffects(memory);
    assertEquals(12, EventScenario.events(memory).size(), "2 assignments, 3 lines, a grant, 2 postings, 3"
        + " announcements, a low balance");
    assertEquals(List.of(), heard, "a commit whose answer was lost is heard by nobody, but is in the outbox");

    engine(memory).run(EventScenario.RUN, RunMode.CHARGE);
    EventScenario.assertEventsMatchEffects(memory);
    EventScenario.assertCreditLowPayload(memory);
    assertEquals(12, EventScenario.events(memory).size(), "the run again wrote no event twice");
  }

  @Test
  void anAssignmentStoreFailingWritesNeitherTheAssignmentNorItsEvent() {
    AssignmentStore failing = spy(memory.assignments());
    doThrow(new IllegalStateException("the store is down")).when(failing).add(any(), anyList());

    assertThrows(IllegalStateException.class,
        () -> engine(with(memory.unitOfWork(), failing)).assign(EventScenario.plain()));

    EventScenario.assertEventsMatchEffects(memory);
    assertEquals(List.of(), EventScenario.events(memory));
    assertEquals(List.of(), heard);
  }

  @Test
  void aConsumptionWhoseEventsFailTakesNothing() {
    Grant grant = Grant.builder("g1").assignmentId("a").customerId("c1").allocatedSeconds(600)
        .validFrom(EventScenario.JAN_1.atStartOfDay(ZoneOffset.UTC).toInstant()).lowBalancePercent(50).build();
    assertEquals(BatchResult.committed(0), memory.unitOfWork().commit(ChargeBatch.ofGrants(List.of(grant))));
    UsageAllocator failingEvents = new UsageAllocator() {
      @Override
      public Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker) {
        return FreeMinuteRules.allocate(usage, grants, taker);
      }

      @Override
      public List<BillingEvent> events(Consumption consumption, List<GrantBalance> takenFrom) {
        throw new IllegalStateException("the events could not be made");
      }
    };
    UsageRecord call = UsageRecord.of("u1", "c1", "4420", EventScenario.IN_JANUARY, 500);

    assertThrows(IllegalStateException.class, () -> memory.freeMinutes().consume(call, failingEvents));

    assertEquals(0, memory.freeMinutes().balances("c1", EventScenario.IN_JANUARY).get(0).usedSeconds());
    assertTrue(memory.freeMinutes().consumption("u1").isEmpty());
    assertEquals(List.of(), EventScenario.events(memory));

    UsageAllocator withAnEvent = new UsageAllocator() {
      @Override
      public Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker) {
        return FreeMinuteRules.allocate(usage, grants, taker);
      }

      @Override
      public List<BillingEvent> events(Consumption consumption, List<GrantBalance> takenFrom) {
        assertEquals(List.of(new GrantBalance(grant, 500)), takenFrom, "the used seconds right after the take");
        return List.of(new BillingEvent("GRANT_LOW:g1", EventType.GRANT_LOW, "c1", EventScenario.IN_JANUARY,
            EventPayload.builder().put("grantId", "g1").build()));
      }
    };
    memory.freeMinutes().consume(call, withAnEvent);
    assertEquals(500, memory.freeMinutes().balances("c1", EventScenario.IN_JANUARY).get(0).usedSeconds());
    assertEquals(List.of("GRANT_LOW:g1"), EventScenario.events(memory).stream().map(e -> e.event().id()).toList());
  }
}
