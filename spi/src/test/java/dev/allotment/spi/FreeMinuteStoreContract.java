package dev.allotment.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link FreeMinuteStore} must meet. An implementation's test extends this class
 * and supplies a fresh, empty store per test.
 *
 * <p>Test methods are public: a store in another package extends this class, and JUnit's handling
 * of package-private test methods inherited across packages has had bugs (junit-framework#5098).
 */
public abstract class FreeMinuteStoreContract {
  protected static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  protected static final Instant MAR_20 = Instant.parse("2026-03-20T00:00:00Z");
  protected static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");
  protected static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");
  private static final int THREADS = 4;

  private FreeMinuteStore store;

  /** A new, empty store; called before every test. */
  protected abstract FreeMinuteStore newStore();

  @BeforeEach
  public final void createStore() {
    store = newStore();
  }

  protected static Grant.Builder grant(String id, String customerId, long seconds) {
    return Grant.builder(id).assignmentId("a-" + id.replace('/', '-')).customerId(customerId)
        .allocatedSeconds(seconds).validFrom(MAR_1);
  }

  private long used(String grantId) {
    return store.balance(grantId).orElseThrow().usedSeconds();
  }

  private static <T> List<T> runConcurrently(int tasks, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Releases threads onto the same id together. A parking barrier wakes them tens of microseconds
   * apart, longer than a consumption takes, so they would rarely meet; spinning (yielding, since
   * there may be fewer cores than threads) keeps them within a few hundred nanoseconds.
   */
  private static final class StartLine {
    private final AtomicInteger arrived = new AtomicInteger();
    private final int parties;

    StartLine(int parties) {
      this.parties = parties;
    }

    void await(int round) {
      arrived.incrementAndGet();
      long everyone = (long) parties * (round + 1);
      for (int spins = 0; arrived.get() < everyone; spins++) {
        if (spins < 1_000) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }
  }

  // ---- grants

  @Test
  public void addingAHeldGrantAgainChangesNothing() {
    Grant g = grant("g", "c", 100).build();
    store.addGrants(List.of(g));
    assertEquals(30, store.take("g", 30));
    store.addGrants(List.of(g, g));
    assertEquals(List.of(new GrantBalance(g, 30)), store.balances("c"));
  }

  @Test
  public void aGrantConflictingWithAHeldOneIsRejectedAndNothingOfTheBatchIsAdded() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    Grant other = grant("h", "c", 50).build();
    Grant changed = grant("g", "c", 101).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.addGrants(List.of(other, changed)));
    assertTrue(e.getMessage().contains("'g'"), e.getMessage());
    assertEquals(Optional.empty(), store.balance("h"));
    assertEquals(100, store.balance("g").orElseThrow().allocatedSeconds());
  }

  @Test
  public void addIfAbsentAddsNewGrantsAndLeavesHeldOnesAsTheyAreWhateverTheirContent() {
    Grant held = grant("g", "c", 100).build();
    store.addGrants(List.of(held));
    assertEquals(30, store.take("g", 30));
    Grant fresh = grant("h", "c", 50).build();

    store.addGrantsIfAbsent(List.of(grant("g", "c", 999).did("4420").build(), fresh, grant("h", "c", 1).build()));

    assertEquals(List.of(new GrantBalance(held, 30), new GrantBalance(fresh, 0)), store.balances("c"));
  }

  @Test
  public void aRevokedGrantNeitherTakesNorTakesBackNorServesCallsButIsStillFound() {
    Grant g = grant("g", "c", 100).build();
    Grant other = grant("h", "c", 100).build(); // after "g" in consumption order (same validity, id)
    store.addGrants(List.of(g, other));
    Consumption before = store.consume(UsageRecord.of("u-1", "c", "4420", CALL, 150), UsageAllocator.STANDARD);
    assertEquals(150, before.coveredSeconds());
    long usedOfG = used("g");

    assertTrue(store.revokeGrant("g"));
    assertEquals(false, store.revokeGrant("g"), "revoking twice");
    assertEquals(false, store.revokeGrant("nope"), "an unknown id is ignored");

    assertEquals(0, store.take("g", 10));
    assertEquals(0, store.giveBack("g", 10));
    assertEquals(usedOfG, used("g"), "seconds taken before stay taken");
    assertEquals(List.of("h"), store.balances("c").stream().map(b -> b.grant().id()).toList());
    assertEquals(List.of("h"), store.balances("c", CALL).stream().map(b -> b.grant().id()).toList());
    Consumption after = store.consume(UsageRecord.of("u-2", "c", "4420", CALL, 500), UsageAllocator.STANDARD);
    assertTrue(after.takes().stream().noneMatch(t -> t.grantId().equals("g")), after.toString());
    // A refund gives nothing back to the revoked grant; the other grant gets its seconds back.
    Refund refund = store.refund("u-1", CALL).orElseThrow();
    assertTrue(refund.returned().stream().noneMatch(t -> t.grantId().equals("g")), refund.toString());
    assertEquals(usedOfG, used("g"));
    assertTrue(store.balance("g").isPresent());
  }

  @Test
  public void addIfAbsentRevivesARevokedGrantWithItsTermsAndUsage() {
    Grant g = grant("g", "c", 100).build();
    store.addGrants(List.of(g));
    assertEquals(30, store.take("g", 30));
    assertTrue(store.revokeGrant("g"));

    // Twice in one batch, with other terms: revived once, terms and usage as they were.
    store.addGrantsIfAbsent(List.of(grant("g", "c", 999).build(), grant("g", "c", 5).build()));

    assertEquals(List.of(new GrantBalance(g, 30)), store.balances("c"));
    assertEquals(List.of(new GrantBalance(g, 30)), store.balances("c", CALL));
    assertEquals(70, store.take("g", 500), "it takes again, up to its allocation");
    assertEquals(10, store.giveBack("g", 10), "and takes back");
    Consumption call = store.consume(UsageRecord.of("u-1", "c", "4420", CALL, 60), UsageAllocator.STANDARD);
    assertEquals(List.of("g"), call.takes().stream().map(t -> t.grantId()).toList());
    assertTrue(store.revokeGrant("g"), "a revived grant can be revoked again");
  }

  @Test
  public void takesRacingARevocationNeverLeaveSecondsTakenAfterIt() throws Exception {
    for (int round = 0; round < 200; round++) {
      String id = "r" + round;
      store.addGrants(List.of(grant(id, "c", 1_000_000).build()));
      AtomicLong takenTotal = new AtomicLong();
      AtomicInteger roles = new AtomicInteger();
      List<Long> usedAtRevoke = runConcurrently(THREADS, () -> {
        if (roles.getAndIncrement() == 0) {
          store.revokeGrant(id);
          return used(id);
        }
        long mine = 0;
        for (int i = 0; i < 50; i++) {
          mine += store.take(id, 7);
        }
        takenTotal.addAndGet(mine);
        return -1L;
      });
      // Every take reported counts in the grant, and nothing changes it once revoked.
      assertEquals(takenTotal.get(), used(id), "round " + round);
      assertEquals(0, store.take(id, 7));
      assertTrue(usedAtRevoke.stream().anyMatch(u -> u >= 0));
    }
  }

  @Test
  public void aConflictWithinOneBatchIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> store.addGrants(List.of(grant("g", "c", 100).build(), grant("g", "c", 100).did("1").build())));
    assertEquals(List.of(), store.balances("c"));
  }

  @Test
  public void balancesAreOrderedByValidFromThenIdAndFilteredByValidity() {
    Grant late = grant("a-late", "c", 10).build();
    Grant lateB = grant("b-late", "c", 10).build();
    Grant early = Grant.builder("z-early").assignmentId("a").customerId("c").allocatedSeconds(10)
        .validFrom(MAR_1.minusSeconds(86_400)).validUntil(MAR_20).build();
    Grant otherCustomer = grant("o", "other", 10).build();
    store.addGrants(List.of(lateB, otherCustomer, late));
    store.addGrants(List.of(early));

    assertEquals(List.of("z-early", "a-late", "b-late"), store.balances("c").stream().map(b -> b.grant().id()).toList());
    assertEquals(List.of("a-late", "b-late"), store.balances("c", MAR_20).stream().map(b -> b.grant().id()).toList());
    assertEquals(List.of("z-early"), store.balances("c", MAR_1.minusSeconds(1)).stream().map(b -> b.grant().id())
        .toList());
    assertEquals(List.of(), store.balances("nobody"));
    assertEquals(Optional.empty(), store.balance("nothing"));
  }

  // ---- the atomic step

  @Test
  public void takeTakesUpToWhatIsLeftAndNeverBelowZero() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    assertEquals(30, store.take("g", 30));
    assertEquals(70, store.take("g", 100));
    assertEquals(0, store.take("g", 5));
    assertEquals(0, store.take("g", 0));
    assertEquals(100, used("g"));
    assertThrows(IllegalArgumentException.class, () -> store.take("unknown", 1));
    assertThrows(IllegalArgumentException.class, () -> store.take("g", -1));
  }

  @Test
  public void giveBackNeverGoesBelowZeroUsed() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    store.take("g", 30);
    assertEquals(30, store.giveBack("g", 50));
    assertEquals(0, store.giveBack("g", 1));
    assertEquals(0, used("g"));
    assertThrows(IllegalArgumentException.class, () -> store.giveBack("unknown", 1));
    assertThrows(IllegalArgumentException.class, () -> store.giveBack("g", -1));
  }

  @Test
  @Timeout(60)
  public void concurrentTakersNeverOverAllocate() throws Exception {
    long allocated = 200_000;
    store.addGrants(List.of(grant("g", "c", allocated).build()));
    List<Long> totals = runConcurrently(THREADS * 2, () -> {
      long total = 0;
      for (;;) {
        long asked = ThreadLocalRandom.current().nextLong(1, 120);
        long got = store.take("g", asked);
        assertTrue(got >= 0 && got <= asked, "took " + got + " of " + asked);
        if (got == 0) {
          return total;
        }
        total += got;
      }
    });
    assertEquals(allocated, totals.stream().mapToLong(Long::longValue).sum());
    assertEquals(allocated, used("g"));
  }

  // ---- consumption

  /**
   * The standard rules, counting how often a store runs them. With {@code lingerSpins > 0} it
   * lingers a few microseconds after taking, holding the unit of work open so that a store letting
   * a second consumption of the same id in is caught in the act; a correct store's results do not
   * depend on it.
   */
  private static final class CountingAllocator implements UsageAllocator {
    final AtomicInteger calls = new AtomicInteger();
    private final int lingerSpins;

    CountingAllocator() {
      this(0);
    }

    CountingAllocator(int lingerSpins) {
      this.lingerSpins = lingerSpins;
    }

    @Override
    public Consumption allocate(UsageRecord usage, List<Grant> grants, dev.allotment.core.GrantTaker taker) {
      calls.incrementAndGet();
      Consumption result = STANDARD.allocate(usage, grants, taker);
      for (int i = 0; i < lingerSpins; i++) {
        Thread.onSpinWait();
      }
      return result;
    }
  }

  @Test
  public void consumeRecordsTheResultAndAReplayTakesNothing() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    CountingAllocator allocator = new CountingAllocator();
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 40);

    Consumption first = store.consume(call, allocator);
    Consumption replay = store.consume(call, allocator);

    assertEquals(List.of(new GrantSeconds("g", 40)), first.takes());
    assertEquals(first, replay);
    assertEquals(1, allocator.calls.get());
    assertEquals(40, used("g"));
    assertEquals(Optional.of(first), store.consumption("u-1"));
    assertEquals(Optional.empty(), store.consumption("u-2"));
  }

  @Test
  public void aKnownIdWithDifferentContentReturnsTheStoredResultAndTakesNothing() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    Consumption first = store.consume(UsageRecord.of("u-1", "c", "4420", CALL, 40), UsageAllocator.STANDARD);
    Consumption other = store.consume(UsageRecord.of("u-1", "c", "4420", CALL, 50), UsageAllocator.STANDARD);
    assertEquals(first, other);
    assertEquals(40, used("g"));
  }

  @Test
  public void theAllocatorSeesTheCustomersGrants() {
    Grant mine = grant("mine", "c", 100).build();
    Grant theirs = grant("theirs", "other", 100).build();
    store.addGrants(List.of(mine, theirs));
    List<List<Grant>> seen = new ArrayList<>();
    store.consume(UsageRecord.of("u-1", "c", "4420", CALL, 40), (usage, grants, taker) -> {
      seen.add(grants);
      return UsageAllocator.STANDARD.allocate(usage, grants, taker);
    });
    assertEquals(List.of(List.of(mine)), seen);
  }

  @Test
  public void aCustomerWithoutGrantsIsConsumedWithEverythingUncoveredAndRecorded() {
    Consumption c = store.consume(UsageRecord.of("u-1", "nobody", "4420", CALL, 61), UsageAllocator.STANDARD);
    assertEquals(61, c.uncoveredSeconds());
    assertEquals(List.of(), c.takes());
    assertEquals(Optional.of(c), store.consumption("u-1"));
  }

  @Test
  @Timeout(60)
  public void concurrentReplaysOfOneIdConsumeOnce() throws Exception {
    int ids = 10_000;
    store.addGrants(List.of(grant("g1", "c", 100_000).destination("^44").build(), grant("g2", "c", 100_000).build()));
    CountingAllocator allocator = new CountingAllocator(500);
    // Every thread consumes the same id in the same round, released together onto it.
    StartLine round = new StartLine(THREADS);
    List<List<Consumption>> perThread = runConcurrently(THREADS, () -> {
      List<Consumption> results = new ArrayList<>();
      for (int i = 0; i < ids; i++) {
        round.await(i);
        results.add(store.consume(UsageRecord.of("u-" + i, "c", i % 2 == 0 ? "4420" : "3312", CALL, 1 + i % 90),
            allocator));
      }
      return results;
    });
    assertEquals(ids, allocator.calls.get());
    long fromG1 = 0;
    long fromG2 = 0;
    for (int i = 0; i < ids; i++) {
      Consumption first = perThread.get(0).get(i);
      for (List<Consumption> results : perThread) {
        assertEquals(first, results.get(i));
      }
      fromG1 += first.takenFrom("g1");
      fromG2 += first.takenFrom("g2");
    }
    assertEquals(fromG1, used("g1"));
    assertEquals(fromG2, used("g2"));
  }

  @Test
  public void anAllocatorFailureUndoesItsTakesAndRecordsNothing() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 40);
    IllegalStateException failure = new IllegalStateException("allocator broke");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> store.consume(call,
        (usage, grants, taker) -> {
          taker.take(grants.get(0), 25);
          throw failure;
        }));
    assertSame(failure, thrown);
    assertEquals(0, used("g"));
    assertEquals(Optional.empty(), store.consumption("u-1"));
    assertEquals(40, store.consume(call, UsageAllocator.STANDARD).coveredSeconds());
  }

  @Test
  public void aResultThatDisagreesWithTheTakesIsRejectedAndUndone() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 40);
    assertThrows(IllegalStateException.class, () -> store.consume(call, (usage, grants, taker) -> {
      long got = taker.take(grants.get(0), 40);
      return new Consumption(usage, usage.durationSeconds(), List.of(new GrantSeconds("g", got / 2)));
    }));
    assertThrows(IllegalStateException.class, () -> store.consume(call, (usage, grants, taker) -> {
      taker.take(grants.get(0), 40);
      return new Consumption(usage, usage.durationSeconds(), List.of());
    }));
    assertThrows(IllegalStateException.class, () -> store.consume(call, (usage, grants, taker) ->
        new Consumption(UsageRecord.of("u-other", "c", "4420", CALL, 40), 40, List.of())));
    assertEquals(0, used("g"));
    assertEquals(Optional.empty(), store.consumption("u-1"));
  }

  // ---- refunds

  @Test
  public void aRefundGivesBackToGrantsStillValidAndForgetsTheId() {
    store.addGrants(List.of(grant("short", "c", 30).validUntil(MAR_20).build(), grant("long", "c", 100).build()));
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 50);
    Consumption consumed = store.consume(call, UsageAllocator.STANDARD);
    assertEquals(List.of(new GrantSeconds("short", 30), new GrantSeconds("long", 20)), consumed.takes());

    Refund refund = store.refund("u-1", MAR_20).orElseThrow();

    assertEquals(consumed, refund.consumption());
    assertEquals(List.of(new GrantSeconds("long", 20)), refund.returned());
    assertEquals(30, refund.lapsedSeconds());
    assertEquals(30, used("short"));
    assertEquals(0, used("long"));
    assertEquals(Optional.empty(), store.consumption("u-1"));
    assertEquals(Optional.empty(), store.refund("u-1", MAR_20));
    assertEquals(Optional.empty(), store.refund("never-consumed", MAR_20));
  }

  @Test
  public void aRefundedIdMayBeConsumedAgain() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 40);
    Consumption first = store.consume(call, UsageAllocator.STANDARD);
    store.refund("u-1", CALL);
    Consumption again = store.consume(call, UsageAllocator.STANDARD);
    assertEquals(first, again);
    assertEquals(40, used("g"));
  }

  @Test
  @Timeout(60)
  public void concurrentRefundsOfOneIdRefundOnce() throws Exception {
    store.addGrants(List.of(grant("g", "c", 100_000).build()));
    int ids = 10_000;
    for (int i = 0; i < ids; i++) {
      store.consume(UsageRecord.of("u-" + i, "c", "4420", CALL, 10), UsageAllocator.STANDARD);
    }
    AtomicLong refunds = new AtomicLong();
    AtomicLong returned = new AtomicLong();
    StartLine round = new StartLine(THREADS);
    runConcurrently(THREADS, () -> {
      for (int i = 0; i < ids; i++) {
        round.await(i);
        store.refund("u-" + i, CALL).ifPresent(r -> {
          refunds.incrementAndGet();
          returned.addAndGet(r.returnedSeconds());
        });
      }
      return null;
    });
    assertEquals(ids, refunds.get());
    assertEquals(ids * 10L, returned.get());
    assertEquals(0, used("g"));
  }
}
