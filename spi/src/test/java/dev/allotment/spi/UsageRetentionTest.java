package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.RULES;
import static dev.allotment.spi.ContractFixtures.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The in-memory free-minute store with a retention window: replays inside the window stay
 * idempotent, calls older than it are refused (never consumed twice), memory holds one window of
 * calls, and grants that expired before the window are dropped.
 */
final class UsageRetentionTest {
  private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
  private final InMemoryFreeMinuteStore store = new InMemoryFreeMinuteStore(16, Duration.ofHours(1));

  private Consumption call(String id, Instant start, long seconds) {
    return store.consume(UsageRecord.of(id, "c", "44", start, seconds), RULES);
  }

  private long used(String grantId, Instant at) {
    return store.balances("c", at).stream().filter(b -> b.grant().id().equals(grantId)).findFirst().orElseThrow()
        .usedSeconds();
  }

  @Test
  void aReplayInsideTheWindowIsRecognised() {
    store.addGrants(List.of(grant("g", "c", 10_000).build()));
    Consumption first = call("u-1", T0, 60);
    call("u-2", T0.plus(Duration.ofMinutes(59)), 60); // the window reaches back to T0's minute still

    assertEquals(first, call("u-1", T0, 60));
    assertEquals(120, used("g", T0));
    assertEquals(Optional.of(first), store.consumption("u-1"));
  }

  @Test
  void aCallOlderThanTheWindowIsForgottenAndItsReplayRefused() {
    store.addGrants(List.of(grant("g", "c", 10_000).build()));
    call("u-1", T0, 60);
    call("u-2", T0.plus(Duration.ofMinutes(61)), 60); // T0's minute is now more than an hour back

    assertEquals(Optional.empty(), store.consumption("u-1"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call("u-1", T0, 60));
    assertTrue(e.getMessage().startsWith("usage 'u-1' starts at 2026-03-10T12:00:00Z, before the store's retention"
        + " window (calls from 2026-03-10T12:01:00Z on are held, PT1H back from the latest call)"), e.getMessage());
    assertEquals(120, used("g", T0.plus(Duration.ofMinutes(61))), "the refused replay took nothing");
    assertEquals(1, store.heldUsages());
  }

  @Test
  void memoryHoldsOneWindowOfCalls() {
    store.addGrants(List.of(grant("g", "c", 100_000_000).build()));
    for (int i = 0; i < 6_000; i++) {
      call("u-" + i, T0.plusSeconds(6L * i), 1); // ten hours of calls, ten a minute
    }
    // The latest call's minute and the 60 before it: at most 61 minutes of ten calls.
    assertTrue(store.heldUsages() <= 610, "held " + store.heldUsages());
    assertTrue(store.heldUsages() >= 600, "held " + store.heldUsages());
    assertEquals(6_000, used("g", T0.plusSeconds(36_000)), "every call took its second once");
  }

  @Test
  void grantsThatExpiredBeforeTheWindowAreDropped() {
    store.addGrants(List.of(grant("old", "c", 600).validUntil(T0.plus(Duration.ofMinutes(30))).build(),
        grant("open", "c", 100_000).build()));
    call("u-1", T0, 60);
    assertEquals(2, store.heldGrants());

    call("u-2", T0.plus(Duration.ofHours(3)), 60);

    assertEquals(1, store.heldGrants());
    assertEquals(List.of("open"), store.balances("c", T0).stream().map(b -> b.grant().id()).toList());
  }

  @Test
  void aWindowUnderAMinuteIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new InMemoryFreeMinuteStore(16, Duration.ofSeconds(59)));
    assertThrows(NullPointerException.class, () -> new InMemoryFreeMinuteStore(16, null));
  }

  /**
   * One thread replays an old call over and over while another moves the window past it: every
   * replay is either recognised or refused, and the grant shows the call's seconds once.
   */
  @Test
  void aReplayRacingTheWindowIsNeverConsumedTwice() throws Exception {
    store.addGrants(List.of(grant("g", "c", 100_000_000).build()));
    Consumption original = call("old", T0, 7);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong refused = new AtomicLong();
    AtomicBoolean trafficDone = new AtomicBoolean();
    try {
      Future<?> replays = threads.submit(() -> {
        start.await();
        // Until the traffic has moved the window past the call, whatever the scheduling: the race happens.
        for (int i = 0; i < 20_000 || !trafficDone.get(); i++) {
          try {
            assertEquals(original, call("old", T0, 7));
          } catch (IllegalArgumentException e) {
            refused.incrementAndGet();
          }
        }
        return null;
      });
      Future<?> traffic = threads.submit(() -> {
        start.await();
        for (int i = 1; i <= 2_000; i++) {
          call("new-" + i, T0.plusSeconds(3L * i), 1); // 100 minutes: the window passes T0 on the way
        }
        trafficDone.set(true);
        return null;
      });
      start.countDown();
      traffic.get(1, TimeUnit.MINUTES);
      replays.get(1, TimeUnit.MINUTES);
    } finally {
      threads.shutdownNow();
    }
    assertEquals(7 + 2_000, used("g", T0.plusSeconds(6_000)), "the old call counted once");
    assertTrue(refused.get() > 0, "the replays after the window's move were refused");
    assertThrows(IllegalArgumentException.class, () -> call("old", T0, 7));
  }
}
