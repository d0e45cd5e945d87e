package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.EventType;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.MutableBillingClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FreeMinuteLedger#consumeAll}: a batch of calls, each as a single consumption would be. */
final class FreeMinuteBatchTest {
  private static final Instant CALL = Instant.parse("2026-03-10T09:00:00Z");

  private final PackageBilling billing = PackageBilling.inMemory(
      MutableBillingClock.startOf(LocalDate.of(2026, 3, 10), ZoneOffset.UTC));
  private final List<BillingEvent> heard = new ArrayList<>();

  @BeforeEach
  void grant() {
    billing.freeMinutes().addGrants(List.of(Grant.builder("g").assignmentId("a-g").customerId("c")
        .allocatedSeconds(100).validFrom(Instant.parse("2026-03-01T00:00:00Z")).lowBalancePercent(50).build()));
    billing.events().addListener(heard::addAll);
  }

  private static UsageRecord call(String id, long seconds) {
    return UsageRecord.of(id, "c", "4420", CALL, seconds);
  }

  /** 30 + 30 leave 40 of 100 s (GRANT_LOW), 40 more use it up (GRANT_EXHAUSTED), 5 find nothing. */
  @Test
  void aBatchConsumesLikeSingleCallsAndItsThresholdEventsAreHeardOnce() {
    List<Consumption> consumed = billing.freeMinutes().consumeAll(
        List.of(call("u-1", 30), call("u-2", 30), call("u-3", 40), call("u-4", 5)));

    assertEquals(List.of(30L, 30L, 40L, 0L), consumed.stream().map(Consumption::coveredSeconds).toList());
    assertEquals(List.of("GRANT_LOW:g", "GRANT_EXHAUSTED:g"), heard.stream()
        .filter(e -> e.type() == EventType.GRANT_LOW || e.type() == EventType.GRANT_EXHAUSTED).map(BillingEvent::id)
        .toList());
    assertEquals(consumed, billing.freeMinutes().consumeAll(
        List.of(call("u-1", 30), call("u-2", 30), call("u-3", 40), call("u-4", 5))), "a replay returns the same");
    assertEquals(2, heard.stream().filter(e -> e.type() != EventType.GRANT_ISSUED).count(), "and is heard no more");
  }

  @Test
  void aHeldIdOfAnotherCallIsAConflictNamingIt() {
    billing.consume(call("u-1", 40));
    UsageConflictException e = assertThrows(UsageConflictException.class,
        () -> billing.freeMinutes().consumeAll(List.of(call("u-1", 41))));
    assertEquals("u-1", e.usageId());
    assertEquals(40, billing.balances("c", CALL).get(0).usedSeconds());
  }

  @Test
  void badBatchesAreRefusedNamingTheFaultWithNothingConsumed() {
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> billing.freeMinutes().consumeAll(List.of(call("u-7", 10), call("u-7", 10))));
    assertTrue(twice.getMessage().contains("'u-7'"), twice.getMessage());
    List<UsageRecord> tooMany = IntStream.rangeClosed(0, FreeMinuteStore.MAX_BATCH)
        .mapToObj(i -> call("x-" + i, 1)).toList();
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> billing.freeMinutes().consumeAll(tooMany));
    assertTrue(size.getMessage().contains("10001"), size.getMessage());
    assertEquals(Optional.empty(), billing.freeMinutes().consumption("u-7"));
    assertEquals(0, billing.balances("c", CALL).get(0).usedSeconds());
  }
}
