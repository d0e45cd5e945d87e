package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.FreeMinuteRules;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.UsageAllocator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four threads (as four billing nodes would) consuming calls of many customers at once, against grants that
 * overlap in validity and destination and are small enough to run dry, with every call reported by
 * three threads at about the same moment: no grant is ever over-consumed, each call is consumed
 * once, and every grant's used seconds are exactly what the stored consumptions say they took.
 *
 * <p>Size: {@value #CUSTOMERS} customers with {@value #GRANTS_PER_CUSTOMER} grants each,
 * {@value #CALLS} calls reported 3 times each (18,000 consumptions), and a second run of
 * {@value #RACING_CALLS} calls consumed and refunded concurrently.
 */
abstract class FreeMinuteConcurrencyChecks {
  static final int THREADS = 4;
  static final int CUSTOMERS = 40;
  static final int GRANTS_PER_CUSTOMER = 8;
  static final int CALLS = 6_000;
  static final int RACING_CALLS = 1_500;

  private static final Instant FEB_15 = Instant.parse("2026-02-15T00:00:00Z");
  private static final Instant FEB_20 = Instant.parse("2026-02-20T00:00:00Z");
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant MAR_10 = Instant.parse("2026-03-10T00:00:00Z");
  private static final Instant MAR_20 = Instant.parse("2026-03-20T00:00:00Z");
  private static final Instant MAR_25 = Instant.parse("2026-03-25T00:00:00Z");
  private static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");
  /** Numbers for which the first two grants' prefixes rank them in opposite orders, and others. */
  private static final List<String> NUMBERS = List.of("4420", "3312", "4912", "1202", "4409", "3399");

  private FreeMinuteStore store;
  private final List<Grant> grants = new ArrayList<>();

  abstract TestDatabase db();

  @BeforeEach
  void setUpGrants() {
    JdbcStores stores = db().freshStores();
    store = stores.freeMinutes();
    for (int k = 0; k < CUSTOMERS; k++) {
      String c = "c" + k;
      // "^44|^3" outranks "^4|^33" for 44..., the other way round for 33...: calls take from the two
      // kinds in both orders, which would deadlock a store that locked grants as it took them. Two
      // of each kind, with different validity, and grants small enough to run dry one after another.
      grants.add(grant(c + "/short-1", c).destination("^44|^3").allocatedSeconds(1200).validFrom(MAR_1)
          .validUntil(MAR_20).roundingIncrementSeconds(60).build());
      grants.add(grant(c + "/short-2", c).destination("^44|^3").allocatedSeconds(1200).validFrom(FEB_15)
          .validUntil(MAR_25).build());
      grants.add(grant(c + "/long-1", c).destination("^4|^33").allocatedSeconds(1800).validFrom(MAR_1).build());
      grants.add(grant(c + "/long-2", c).destination("^4|^33").allocatedSeconds(1800).validFrom(FEB_20)
          .validUntil(APR_1).roundingIncrementSeconds(30).build());
      grants.add(grant(c + "/any-1", c).allocatedSeconds(2400).validFrom(FEB_15).validUntil(APR_1).build());
      grants.add(grant(c + "/any-2", c).allocatedSeconds(2400).validFrom(MAR_1).build());
      grants.add(grant(c + "/did", c).did("100" + k).allocatedSeconds(600).validFrom(MAR_1)
          .roundingIncrementSeconds(60).build());
      grants.add(grant(c + "/regex", c).destination("4[0-9]*9$").allocatedSeconds(800).validFrom(MAR_1)
          .validUntil(APR_1).build());
    }
    assertEquals(CUSTOMERS * GRANTS_PER_CUSTOMER, grants.size());
    stores.unitOfWork().commit(ChargeBatch.ofGrants(grants));
  }

  private static Grant.Builder grant(String id, String customerId) {
    return Grant.builder(id).assignmentId("a-" + id.substring(id.indexOf('/') + 1)).customerId(customerId);
  }

  /** The calls, in a shuffled order every thread follows; starts from before to after most grants. */
  private static List<UsageRecord> calls(String prefix, int count, Instant from, Instant until, long seed) {
    Random random = new Random(seed);
    long span = Duration.between(from, until).toSeconds();
    List<UsageRecord> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int k = random.nextInt(CUSTOMERS);
      String number = NUMBERS.get(random.nextInt(NUMBERS.size())) + (1000 + random.nextInt(9000));
      Instant start = from.plusSeconds(random.nextLong(span));
      long duration = 1 + random.nextInt(300);
      calls.add(random.nextInt(3) == 0
          ? UsageRecord.onDid(prefix + i, "c" + k, "100" + k, number, start, duration)
          : UsageRecord.of(prefix + i, "c" + k, number, start, duration));
    }
    Collections.shuffle(calls, random);
    return calls;
  }

  /** The standard rules, counting how often each usage id is allocated. */
  private static final class CountingAllocator implements UsageAllocator {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker) {
      calls.computeIfAbsent(usage.usageId(), id -> new AtomicInteger()).incrementAndGet();
      return ContractFixtures.RULES.allocate(usage, grants, taker);
    }

    int of(String usageId) {
      AtomicInteger count = calls.get(usageId);
      return count == null ? 0 : count.get();
    }
  }

  /** Checks every grant against the consumptions the store holds, and returns what they took per grant. */
  private Map<String, Long> assertGrantsMatchStoredTakes(List<UsageRecord> calls) {
    Map<String, Long> taken = new HashMap<>();
    for (UsageRecord call : calls) {
      store.consumption(call.usageId()).ifPresent(stored -> {
        for (GrantSeconds take : stored.takes()) {
          taken.merge(take.grantId(), take.seconds(), Long::sum);
        }
      });
    }
    Map<String, Long> used = Fixtures.usedSeconds(db().dataSource());
    for (Grant grant : grants) {
      long seconds = used.get(grant.id());
      assertTrue(seconds <= grant.allocatedSeconds(), grant.id() + " over-consumed: " + seconds);
      assertEquals(taken.getOrDefault(grant.id(), 0L), seconds, grant.id());
    }
    return taken;
  }

  @Test
  @Timeout(120)
  void concurrentCallsAndReplaysNeverOverConsumeAndConsumeEachCallOnce() throws Exception {
    List<UsageRecord> calls = calls("u-", CALLS, FEB_20, Instant.parse("2026-03-30T00:00:00Z"), 42);
    CountingAllocator allocator = new CountingAllocator();
    Map<String, Queue<Consumption>> results = new ConcurrentHashMap<>();
    ConcurrentRunner.run(THREADS, CALLS, (thread, i) -> {
      // Every call is reported by three of the four threads, which walk the calls in the same order.
      if (i % THREADS != thread) {
        UsageRecord call = calls.get(i);
        results.computeIfAbsent(call.usageId(), id -> new ConcurrentLinkedQueue<>())
            .add(store.consume(call, allocator));
      }
    });

    int split = 0;
    int uncovered = 0;
    for (UsageRecord call : calls) {
      Consumption stored = store.consumption(call.usageId()).orElseThrow();
      assertEquals(1, allocator.of(call.usageId()), call.usageId() + " allocated more than once");
      assertEquals(3, results.get(call.usageId()).size());
      for (Consumption result : results.get(call.usageId())) {
        assertEquals(stored, result, call.usageId());
      }
      split += stored.takes().size() > 1 ? 1 : 0;
      uncovered += stored.uncoveredSeconds() > 0 ? 1 : 0;
    }
    assertGrantsMatchStoredTakes(calls);
    // The run exercised what it is meant to: calls whose grants rank in opposite orders, calls split
    // across grants, grants run dry, and later calls left uncovered.
    assertTrue(ranked(calls, "/short", "/long") > 0 && ranked(calls, "/long", "/short") > 0);
    Map<String, Long> used = Fixtures.usedSeconds(db().dataSource());
    long dry = grants.stream().filter(g -> used.get(g.id()) == g.allocatedSeconds()).count();
    assertTrue(split > CUSTOMERS, "calls split across grants: " + split);
    assertTrue(dry > 2 * CUSTOMERS, "grants used up: " + dry);
    assertTrue(uncovered > CALLS / 10, "calls not fully covered: " + uncovered);
  }

  /** How many calls the rules would serve from a grant of kind {@code first} before one of kind {@code then}. */
  private long ranked(List<UsageRecord> calls, String first, String then) {
    return calls.stream().filter(call -> {
      List<String> kinds = FreeMinuteRules.eligibleInOrder(grants, call.customerId(), call.did(), call.number(),
          call.start()).stream().map(g -> g.id().substring(g.id().indexOf('/')).replaceFirst("-[0-9]$", "")).toList();
      int a = kinds.indexOf(first);
      int b = kinds.indexOf(then);
      return a >= 0 && b >= 0 && a < b;
    }).count();
  }

  @Test
  @Timeout(120)
  void concurrentRefundsAndConsumptionsKeepEveryGrantEqualToItsStoredTakes() throws Exception {
    // Every grant is valid at the refunds' instant, so a refund gives back all its call took.
    List<UsageRecord> calls = calls("r-", RACING_CALLS, MAR_1, MAR_20, 7);
    CountingAllocator allocator = new CountingAllocator();
    Map<String, AtomicInteger> refunds = new ConcurrentHashMap<>();
    Queue<Refund> partial = new ConcurrentLinkedQueue<>();
    ConcurrentRunner.run(THREADS, RACING_CALLS, (thread, i) -> {
      UsageRecord call = calls.get(i);
      if (i % THREADS == thread) {
        Optional<Refund> refund = store.refund(call.usageId(), MAR_10);
        refund.ifPresent(r -> {
          refunds.computeIfAbsent(call.usageId(), id -> new AtomicInteger()).incrementAndGet();
          if (!r.returned().equals(r.consumption().takes())) {
            partial.add(r);
          }
        });
      } else {
        store.consume(call, allocator);
      }
    });

    assertEquals(List.of(), List.copyOf(partial), "refunds that gave back less than their call took");
    int refunded = 0;
    for (UsageRecord call : calls) {
      int times = refunds.getOrDefault(call.usageId(), new AtomicInteger()).get();
      refunded += times;
      // Each allocation is either still stored or was refunded exactly once: never lost, never twice.
      int stored = store.consumption(call.usageId()).isPresent() ? 1 : 0;
      assertEquals(allocator.of(call.usageId()), times + stored, call.usageId());
    }
    assertGrantsMatchStoredTakes(calls);
    assertTrue(refunded > RACING_CALLS / 10, "refunds that found a consumption: " + refunded);
  }
}
