package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.CALL;
import static dev.allotment.spi.ContractFixtures.MAR_1;
import static dev.allotment.spi.ContractFixtures.RULES;
import static dev.allotment.spi.ContractFixtures.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link FreeMinuteStore} must meet, with its grants added through the stores'
 * {@link UnitOfWork}. Extend it and return fresh stores with an empty free-minute store from
 * {@link #newStores()}, called once per test.
 *
 * <p>A store records what its allocator returns; checking that result against the takes is the
 * engine's allocator's business, so this kit never hands a store an inconsistent one.
 *
 * <p>Test methods are public: a store in another package extends this class, and JUnit's handling
 * of package-private test methods inherited across packages has had bugs (junit-framework#5098).
 */
public abstract class FreeMinuteStoreContract {
  protected static final Instant MAR_20 = Instant.parse("2026-03-20T00:00:00Z");
  protected static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");
  private static final int THREADS = 4;

  private FreeMinuteStore store;
  private UnitOfWork unitOfWork;

  /** Fresh stores with an empty free-minute store. */
  protected abstract BillingStores newStores();

  @BeforeEach
  public final void setUpStore() {
    BillingStores stores = newStores();
    store = stores.freeMinutes();
    unitOfWork = stores.unitOfWork();
  }

  private void add(Grant... grants) {
    assertEquals(BatchResult.committed(0), unitOfWork.commit(ChargeBatch.ofGrants(List.of(grants))));
  }

  /** The used seconds of a grant of customer "c" valid at {@link ContractFixtures#CALL}. */
  private long used(String grantId) {
    return store.balances("c", CALL).stream().filter(b -> b.grant().id().equals(grantId)).findFirst()
        .orElseThrow(() -> new AssertionError("grant '" + grantId + "' is not listed")).usedSeconds();
  }

  private static UsageRecord call(String usageId, long seconds) {
    return UsageRecord.of(usageId, "c", "4420", CALL, seconds);
  }

  private static List<String> ids(List<GrantBalance> balances) {
    return balances.stream().map(b -> b.grant().id()).toList();
  }

  // ---- grants and balances

  @Test
  public void anAddedGrantIsListedWithEveryFieldAndNothingUsed() {
    Grant g = Grant.builder("a-1/FREE_MINUTES/2026-03-01").assignmentId("a-1").customerId("c").did("4420123")
        .destination("^44|^4420").allocatedSeconds(6_000).validFrom(MAR_1).validUntil(APR_1)
        .roundingIncrementSeconds(60).build();
    add(g);
    assertEquals(List.of(new GrantBalance(g, 0)), store.balances("c", CALL));
  }

  @Test
  public void aHeldGrantIsLeftAsItIsWhateverItIsAddedWith() {
    Grant g = grant("g", "c", 100).build();
    add(g);
    store.consume(call("u-1", 30), RULES);
    add(g, grant("g", "c", 999).did("4420").build());
    assertEquals(List.of(new GrantBalance(g, 30)), store.balances("c", CALL));
  }

  @Test
  public void aCustomerWithoutGrantsHasNoBalances() {
    add(grant("g", "c", 100).build());
    assertEquals(List.of(), store.balances("nobody", CALL));
  }

  /** Grants of "c" added in two batches, out of order, besides one of another customer. */
  private void addScrambledGrants() {
    add(grant("b-late", "c", 10).build(), grant("o", "other", 10).build(),
        Grant.builder("future").assignmentId("a").customerId("c").allocatedSeconds(10).validFrom(APR_1).build(), grant("a-late", "c", 10).build());
    add(Grant.builder("z-early").assignmentId("a").customerId("c").allocatedSeconds(10)
        .validFrom(MAR_1.minusSeconds(86_400)).validUntil(MAR_20).build());
  }

  public static Stream<Arguments> validity() {
    return Stream.of(
        Arguments.of("before every grant", MAR_1.minusSeconds(2 * 86_400), List.of()),
        Arguments.of("before the late ones", MAR_1.minusSeconds(1), List.of("z-early")),
        Arguments.of("from the late ones", MAR_1, List.of("z-early", "a-late", "b-late")),
        Arguments.of("at the call", CALL, List.of("z-early", "a-late", "b-late")),
        Arguments.of("at the early one's end", MAR_20, List.of("a-late", "b-late")),
        Arguments.of("from the future one", APR_1, List.of("a-late", "b-late", "future")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validity")
  public void balancesHoldTheGrantsValidAtTheInstantByValidFromThenId(String when, Instant at, List<String> ids) {
    addScrambledGrants();
    assertEquals(ids, ids(store.balances("c", at)));
  }

  // ---- consumption

  /** The free-minute rules, counting how often a store runs them, lingering a little after taking. */
  private static final class CountingAllocator implements UsageAllocator {
    final AtomicInteger calls = new AtomicInteger();
    private final int lingerSpins;

    CountingAllocator(int lingerSpins) {
      this.lingerSpins = lingerSpins;
    }

    @Override
    public Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker) {
      calls.incrementAndGet();
      Consumption result = RULES.allocate(usage, grants, taker);
      // Holds the unit of work open, so a store letting a second consumption of the id in is caught.
      for (int i = 0; i < lingerSpins; i++) {
        Thread.onSpinWait();
      }
      return result;
    }
  }

  @Test
  public void consumeRecordsTheResultAndAReplayTakesNothing() {
    add(grant("g", "c", 100).build());
    CountingAllocator allocator = new CountingAllocator(0);

    Consumption first = store.consume(call("u-1", 40), allocator);
    Consumption replay = store.consume(call("u-1", 40), allocator);

    assertEquals(List.of(new GrantSeconds("g", 40)), first.takes());
    assertEquals(first, replay);
    assertEquals(1, allocator.calls.get());
    assertEquals(40, used("g"));
    assertEquals(Optional.of(first), store.consumption("u-1"));
    assertEquals(Optional.empty(), store.consumption("u-2"));
  }

  @Test
  public void aKnownIdWithDifferentContentReturnsTheStoredResultAndTakesNothing() {
    add(grant("g", "c", 100).build());
    Consumption first = store.consume(call("u-1", 40), RULES);
    Consumption other = store.consume(call("u-1", 50), RULES);
    assertEquals(first, other);
    assertEquals(40, used("g"));
  }

  @Test
  public void theAllocatorGetsTheCustomersValidGrantsByValidFromThenId() {
    addScrambledGrants();
    List<List<Grant>> seen = new ArrayList<>();
    store.consume(call("u-1", 5), (usage, grants, taker) -> {
      seen.add(List.copyOf(grants));
      return RULES.allocate(usage, grants, taker);
    });
    List<Grant> given = seen.get(0);
    List<String> validAtCall = List.of("z-early", "a-late", "b-late");
    assertTrue(given.stream().map(Grant::id).toList().containsAll(validAtCall), given.toString());
    assertTrue(given.stream().allMatch(g -> g.customerId().equals("c")), given.toString());
    assertEquals(given.stream().sorted(Comparator.comparing(Grant::validFrom).thenComparing(Grant::id)).toList(), given);
  }

  @Test
  public void aCustomerWithoutGrantsIsConsumedWithEverythingUncoveredAndRecorded() {
    Consumption c = store.consume(UsageRecord.of("u-1", "nobody", "4420", CALL, 61), RULES);
    assertEquals(61, c.uncoveredSeconds());
    assertEquals(List.of(), c.takes());
    assertEquals(Optional.of(c), store.consumption("u-1"));
  }

  @Test
  public void theTakerTakesUpToWhatIsLeftAndNeverBelowZero() {
    Grant g = grant("g", "c", 100).build();
    add(g);
    List<Long> got = new ArrayList<>();
    store.consume(call("u-1", 200), (usage, grants, taker) -> {
      for (long asked : new long[] {30, 100, 5, 0}) {
        got.add(taker.take(g, asked));
      }
      return new Consumption(usage, usage.durationSeconds(), List.of(new GrantSeconds("g", 100)));
    });
    assertEquals(List.of(30L, 70L, 0L, 0L), got);
    assertEquals(100, used("g"));
  }

  /** Failures an allocator may throw; the store rethrows each as it was. */
  public static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("IllegalStateException", (Supplier<Throwable>) () -> new IllegalStateException("allocator broke")),
        Arguments.of("a RuntimeException of its own", (Supplier<Throwable>) () -> new RuntimeException("own") { }),
        Arguments.of("an Error", (Supplier<Throwable>) () -> new AssertionError("allocator asserted")),
        Arguments.of("a checked exception thrown sneakily",
            (Supplier<Throwable>) () -> new java.io.IOException("allocator's disk")));
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  public void anAllocatorFailureUndoesItsTakesAndRecordsNothing(String what, Supplier<Throwable> failure) {
    add(grant("g", "c", 100).build(), grant("h", "c", 100).build());
    Throwable thrown = failure.get();
    Throwable caught = assertThrows(Throwable.class, () -> store.consume(call("u-1", 40), (usage, grants, taker) -> {
      taker.take(grants.get(0), 25);
      taker.take(grants.get(1), 100);
      throw FreeMinuteStoreContract.<RuntimeException>sneaky(thrown);
    }));
    // A store may wrap a checked exception, never lose it.
    assertTrue(caught == thrown || caught.getCause() == thrown, what + " rethrown: " + caught);
    assertEquals(0, used("g"));
    assertEquals(0, used("h"));
    assertEquals(Optional.empty(), store.consumption("u-1"));
    assertEquals(40, store.consume(call("u-1", 40), RULES).coveredSeconds(), "the id is consumed afresh");
  }

  @Test
  @Timeout(120)
  public void concurrentConsumptionNeverOverConsumes() throws Exception {
    add(grant("g1", "c", 20_000).build(), grant("g2", "c", 7_000).build());
    int calls = 400;
    AtomicReferenceArray<Consumption> results = new AtomicReferenceArray<>(THREADS * calls);
    ConcurrentRunner.run(THREADS, calls, (thread, i) -> {
      int n = thread * calls + i;
      results.set(n, store.consume(call("u-" + n, 1 + n % 120), RULES));
    });
    long fromG1 = 0;
    long fromG2 = 0;
    for (int n = 0; n < results.length(); n++) {
      fromG1 += results.get(n).takenFrom("g1");
      fromG2 += results.get(n).takenFrom("g2");
    }
    // 1600 calls of 60.5 s on average ask far more than the 27,000 s granted: both are used up, exactly.
    assertEquals(20_000, fromG1);
    assertEquals(7_000, fromG2);
    assertEquals(20_000, used("g1"));
    assertEquals(7_000, used("g2"));
  }

  @Test
  @Timeout(120)
  public void concurrentConsumptionsOfOneIdConsumeOnceAndAgreeOnTheResult() throws Exception {
    int ids = 2_000;
    add(grant("g1", "c", 100_000).destination("^44").build(), grant("g2", "c", 100_000).build());
    CountingAllocator allocator = new CountingAllocator(500);
    AtomicReferenceArray<Consumption> first = new AtomicReferenceArray<>(ids);
    AtomicInteger disagreements = new AtomicInteger();
    // Every thread consumes the same id in the same round, released together onto it.
    ConcurrentRunner.StartLine round = new ConcurrentRunner.StartLine(THREADS);
    ConcurrentRunner.run(THREADS, ids, (thread, i) -> {
      round.await(i);
      Consumption c = store.consume(UsageRecord.of("u-" + i, "c", i % 2 == 0 ? "4420" : "3312", CALL, 1 + i % 90),
          allocator);
      if (!first.compareAndSet(i, null, c) && !first.get(i).equals(c)) {
        disagreements.incrementAndGet();
      }
    });
    assertEquals(0, disagreements.get());
    assertEquals(ids, allocator.calls.get());
    long fromG1 = 0;
    long fromG2 = 0;
    for (int i = 0; i < ids; i++) {
      fromG1 += first.get(i).takenFrom("g1");
      fromG2 += first.get(i).takenFrom("g2");
    }
    assertEquals(fromG1, used("g1"));
    assertEquals(fromG2, used("g2"));
  }

  // ---- batches

  @Test
  public void consumeAllConsumesInOrderAndAReplayedBatchTakesNothing() {
    add(grant("g", "c", 100).build());
    CountingAllocator allocator = new CountingAllocator(0);

    List<Consumption> first = store.consumeAll(List.of(call("u-1", 40), call("u-2", 50), call("u-3", 30)), allocator);
    List<Consumption> again = store.consumeAll(List.of(call("u-2", 50), call("u-4", 20)), allocator);

    // 40 + 50 leave 10 of the 100 for u-3; u-4 finds nothing left; u-2 is a replay.
    assertEquals(List.of(40L, 50L, 10L), first.stream().map(Consumption::coveredSeconds).toList());
    assertEquals(first.get(1), again.get(0));
    assertEquals(0, again.get(1).coveredSeconds());
    assertEquals(4, allocator.calls.get(), "the replayed call is not allocated again");
    assertEquals(100, used("g"));
    assertEquals(Optional.of(first.get(2)), store.consumption("u-3"));
    assertEquals(List.of(), store.consumeAll(List.of(), allocator));
  }

  @Test
  public void aBatchNamingAnIdTwiceIsRefusedBeforeAnythingIsConsumed() {
    add(grant("g", "c", 100).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.consumeAll(List.of(call("u-1", 10), call("u-2", 10), call("u-1", 10)), RULES));
    assertTrue(e.getMessage().contains("'u-1'"), e.getMessage());
    assertEquals(0, used("g"));
    assertEquals(Optional.empty(), store.consumption("u-1"));
  }

  @Test
  @Timeout(120)
  public void concurrentBatchesNeverOverConsumeAndConsumeEachIdOnce() throws Exception {
    add(grant("g1", "c", 20_000).build(), grant("g2", "c", 7_000).build());
    int batches = 20;
    int size = 50;
    // Every thread reports the same calls (a switch's stream replayed by several workers), in batches.
    Map<String, Consumption> seen = new ConcurrentHashMap<>();
    AtomicInteger disagreements = new AtomicInteger();
    ConcurrentRunner.run(THREADS, batches, (thread, b) -> {
      List<UsageRecord> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        int n = b * size + i;
        batch.add(call("u-" + n, 1 + n % 120));
      }
      for (Consumption c : store.consumeAll(batch, RULES)) {
        Consumption earlier = seen.putIfAbsent(c.usageId(), c);
        if (earlier != null && !earlier.equals(c)) {
          disagreements.incrementAndGet();
        }
      }
    });
    assertEquals(0, disagreements.get(), "every worker got the one result of each id");
    long fromG1 = seen.values().stream().mapToLong(c -> c.takenFrom("g1")).sum();
    long fromG2 = seen.values().stream().mapToLong(c -> c.takenFrom("g2")).sum();
    assertEquals(fromG1, used("g1"), "each id consumed once");
    assertEquals(fromG2, used("g2"));
    assertTrue(used("g1") <= 20_000 && used("g2") <= 7_000);
    // 1,000 calls of 60.5 s on average ask more than the 27,000 s granted: both are used up, exactly.
    assertEquals(20_000, used("g1"));
    assertEquals(7_000, used("g2"));
  }

  // ---- refunds

  @Test
  public void aRefundGivesBackToGrantsStillValidAndForgetsTheId() {
    add(grant("short", "c", 30).validUntil(MAR_20).build(), grant("long", "c", 100).build());
    Consumption consumed = store.consume(call("u-1", 50), RULES);
    assertEquals(List.of(new GrantSeconds("short", 30), new GrantSeconds("long", 20)), consumed.takes());

    Refund refund = store.refund("u-1", MAR_20).orElseThrow();

    assertEquals(consumed, refund.consumption());
    assertEquals(MAR_20, refund.at());
    assertEquals(List.of(new GrantSeconds("long", 20)), refund.returned());
    assertEquals(30, refund.lapsedSeconds());
    assertEquals(30, used("short"));
    assertEquals(0, used("long"));
    assertEquals(Optional.empty(), store.consumption("u-1"));
    assertEquals(Optional.empty(), store.refund("u-1", MAR_20));
  }

  @Test
  public void aRefundWhileEveryGrantIsValidGivesEverythingBack() {
    add(grant("short", "c", 30).validUntil(MAR_20).build(), grant("long", "c", 100).build());
    store.consume(call("u-1", 50), RULES);
    Refund refund = store.refund("u-1", CALL).orElseThrow();
    assertEquals(List.of(new GrantSeconds("short", 30), new GrantSeconds("long", 20)), refund.returned());
    assertEquals(0, used("short"));
    assertEquals(0, used("long"));
  }

  @Test
  public void aRefundOfAnIdNeverConsumedIsEmpty() {
    add(grant("g", "c", 100).build());
    assertEquals(Optional.empty(), store.refund("never-consumed", CALL));
    assertEquals(0, used("g"));
  }

  @Test
  public void aRefundedIdMayBeConsumedAgain() {
    add(grant("g", "c", 100).build());
    Consumption first = store.consume(call("u-1", 40), RULES);
    store.refund("u-1", CALL);
    Consumption again = store.consume(call("u-1", 40), RULES);
    assertEquals(first, again);
    assertEquals(40, used("g"));
  }

  @Test
  @Timeout(120)
  public void concurrentRefundsOfOneIdRefundOnce() throws Exception {
    add(grant("g", "c", 100_000).build());
    int ids = 2_000;
    for (int i = 0; i < ids; i++) {
      store.consume(call("u-" + i, 10), RULES);
    }
    AtomicLong refunds = new AtomicLong();
    AtomicLong returned = new AtomicLong();
    ConcurrentRunner.StartLine round = new ConcurrentRunner.StartLine(THREADS);
    ConcurrentRunner.run(THREADS, ids, (thread, i) -> {
      round.await(i);
      store.refund("u-" + i, CALL).ifPresent(r -> {
        refunds.incrementAndGet();
        returned.addAndGet(r.returnedSeconds());
      });
    });
    assertEquals(ids, refunds.get());
    assertEquals(ids * 10L, returned.get());
    assertEquals(0, used("g"));
  }
}
