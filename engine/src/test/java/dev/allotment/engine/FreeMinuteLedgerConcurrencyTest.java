package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.InMemoryFreeMinuteStore;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four threads report 250,000 calls each for 100 customers whose grants overlap (destinations,
 * DIDs, validity windows), a fifth of them under ids every thread reports: afterwards every grant
 * has used exactly what the results say was taken from it, never more than allocated, and every
 * replay got the first result.
 */
final class FreeMinuteLedgerConcurrencyTest {
  private static final int THREADS = 4;
  private static final int CALLS_PER_THREAD = 250_000;
  private static final int CUSTOMERS = 100;
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final String[] NUMBERS = {"442071", "44161", "4420", "919820", "9122", "3312", "1212555"};

  /** Three grants per customer that compete for the same calls, sized to run dry partway through. */
  private static List<Grant> grantsOf(int customer) {
    String id = "c" + customer;
    return List.of(
        Grant.builder(id + "/uk").assignmentId("a-uk-" + customer).customerId(id).destination("^44|^4420")
            .allocatedSeconds(60_000 + customer * 500L).validFrom(MAR_1).validUntil(MAR_1.plus(Duration.ofDays(31)))
            .roundingIncrementSeconds(60).build(),
        Grant.builder(id + "/any").assignmentId("a-any-" + customer).customerId(id)
            .allocatedSeconds(150_000).validFrom(MAR_1.minus(Duration.ofDays(10))).validUntil(MAR_1.plus(Duration.ofDays(20)))
            .build(),
        Grant.builder(id + "/did").assignmentId("a-did-" + customer).customerId(id).did("100" + customer)
            .destination("^4|^9").allocatedSeconds(40_000).validFrom(MAR_1).build());
  }

  /** The call behind an id: the same id always yields the same record, whichever thread makes it. */
  private static UsageRecord call(String usageId, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int customer = random.nextInt(CUSTOMERS);
    Optional<String> did = random.nextInt(3) == 0 ? Optional.of("100" + customer) : Optional.empty();
    Instant start = MAR_1.plusSeconds(random.nextLong(35L * 86_400));
    return new UsageRecord(usageId, "c" + customer, did, NUMBERS[random.nextInt(NUMBERS.length)], start,
        random.nextLong(0, 300));
  }

  @Test
  @Timeout(120)
  void concurrentCallsAndReplaysNeverOverAllocateAndAccountForEverySecond() throws Exception {
    InMemoryStores stores = new InMemoryStores(new InMemoryFreeMinuteStore(THREADS * CALLS_PER_THREAD));
    InMemoryFreeMinuteStore store = stores.freeMinutes();
    FreeMinuteLedger ledger = FreeMinuteLedger.of(store, stores.unitOfWork(), MutableBillingClock.at(MAR_1,
        ZoneOffset.UTC));
    List<Grant> grants = new ArrayList<>();
    for (int c = 0; c < CUSTOMERS; c++) {
      grants.addAll(grantsOf(c));
    }
    ledger.addGrants(grants);

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Consumption[]> perThread;
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Consumption[]>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          Consumption[] results = new Consumption[CALLS_PER_THREAD];
          start.await();
          for (int j = 0; j < CALLS_PER_THREAD; j++) {
            // Every fifth call is shared: all four threads report it, at about the same time.
            boolean shared = j % 5 == 0;
            String id = shared ? "s-" + j : "t" + thread + "-" + j;
            results[j] = ledger.consume(call(id, shared ? j : ((long) thread << 32) | j));
          }
          return results;
        }));
      }
      start.countDown();
      perThread = new ArrayList<>();
      for (Future<Consumption[]> future : futures) {
        perThread.add(future.get(100, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    Map<String, Consumption> byId = new HashMap<>();
    for (Consumption[] results : perThread) {
      for (Consumption c : results) {
        Consumption first = byId.putIfAbsent(c.usageId(), c);
        if (first != null) {
          assertEquals(first, c, "a replay of " + c.usageId() + " got another result");
        }
        assertEquals(c.roundedSeconds(), c.coveredSeconds() + c.uncoveredSeconds());
        assertTrue(c.roundedSeconds() >= c.usage().durationSeconds());
      }
    }
    int sharedIds = CALLS_PER_THREAD / 5;
    assertEquals(THREADS * (CALLS_PER_THREAD - sharedIds) + sharedIds, byId.size());

    Map<String, Long> takenPerGrant = new HashMap<>();
    long covered = 0;
    long uncovered = 0;
    for (Consumption c : byId.values()) {
      for (GrantSeconds take : c.takes()) {
        takenPerGrant.merge(take.grantId(), take.seconds(), Long::sum);
      }
      covered += c.coveredSeconds();
      uncovered += c.uncoveredSeconds();
    }
    int exhausted = 0;
    for (Grant g : grants) {
      GrantBalance balance = store.balances(g.customerId(), g.validFrom()).stream()
          .filter(b -> b.grant().id().equals(g.id())).findFirst().orElseThrow();
      assertEquals(takenPerGrant.getOrDefault(g.id(), 0L), balance.usedSeconds(), g.id());
      assertTrue(balance.usedSeconds() <= g.allocatedSeconds(), g.id());
      if (balance.remainingSeconds() == 0) {
        exhausted++;
      }
    }
    // The scenario must exercise both paths: grants running dry under contention, and coverage.
    assertTrue(exhausted > 0, "no grant ran dry");
    assertTrue(covered > 0 && uncovered > 0, "covered " + covered + ", uncovered " + uncovered);
  }
}
