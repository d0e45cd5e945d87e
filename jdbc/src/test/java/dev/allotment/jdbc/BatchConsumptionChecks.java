package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.spi.EventType;
import dev.allotment.spi.MutableBillingClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch of calls is one transaction on the JDBC stores ({@code consumeAll}): a held id of another
 * call rolls back the whole batch, and the batch's threshold events are written with it.
 */
abstract class BatchConsumptionChecks {
  private static final Instant CALL = Instant.parse("2026-03-10T09:00:00Z");

  private JdbcStores stores;
  private PackageBilling billing;

  abstract TestDatabase db();

  @BeforeEach
  void setUp() {
    stores = db().freshStores();
    billing = PackageBilling.builder().clock(MutableBillingClock.startOf(LocalDate.of(2026, 3, 10), ZoneOffset.UTC))
        .stores(stores).build();
    billing.freeMinutes().addGrants(List.of(Grant.builder("g").assignmentId("a-g").customerId("c")
        .allocatedSeconds(100).validFrom(Instant.parse("2026-03-01T00:00:00Z")).lowBalancePercent(50).build()));
  }

  private static UsageRecord call(String id, long seconds) {
    return UsageRecord.of(id, "c", "4420", CALL, seconds);
  }

  private long used() {
    return stores.freeMinutes().balances("c", CALL).get(0).usedSeconds();
  }

  @Test
  void aHeldIdOfAnotherCallRollsTheWholeBatchBack() {
    billing.freeMinutes().consume(call("u-1", 40));

    UsageConflictException e = assertThrows(UsageConflictException.class,
        () -> billing.freeMinutes().consumeAll(List.of(call("u-5", 10), call("u-1", 41))));

    assertEquals("u-1", e.usageId());
    assertEquals(Optional.empty(), billing.freeMinutes().consumption("u-5"), "nothing of the batch is recorded");
    assertEquals(40, used(), "nothing of the batch is taken");
  }

  /** 30 + 30 leave 40 of 100 s (at or below half: GRANT_LOW), then 40 more use it up (GRANT_EXHAUSTED). */
  @Test
  void theBatchsThresholdEventsAreWrittenWithIt() {
    List<Consumption> consumed = billing.freeMinutes().consumeAll(List.of(call("u-1", 30), call("u-2", 30),
        call("u-3", 40), call("u-4", 5)));

    assertEquals(List.of(30L, 30L, 40L, 0L), consumed.stream().map(Consumption::coveredSeconds).toList());
    assertEquals(100, used());
    assertEquals(List.of("GRANT_LOW:g", "GRANT_EXHAUSTED:g"), billing.events().read(0, 100).stream()
        .filter(ev -> ev.event().type() == EventType.GRANT_LOW || ev.event().type() == EventType.GRANT_EXHAUSTED)
        .map(ev -> ev.event().id()).toList());
    assertEquals(consumed, billing.freeMinutes().consumeAll(List.of(call("u-1", 30), call("u-2", 30),
        call("u-3", 40), call("u-4", 5))), "a replayed batch returns the recorded consumptions");
    assertEquals(100, used());
  }
}
