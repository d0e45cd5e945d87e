package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.Frequency;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.spi.EventType;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.StoredEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two engines (each on stores and a pool of its own) charge the same 160 assignments on one
 * PostgreSQL schema at once, in batches of a few lines so their commits interleave, while four
 * threads consume calls all through the charges and after them, using up the grants the charges
 * issue (writing GRANT_LOW and GRANT_EXHAUSTED in their own transactions), and a reader follows the
 * outbox's cursor all along.
 * The reader sees every event exactly once, in rising cursors, never one behind its cursor that
 * committed later (at the end, every event of the table is one it saw), and each grant's GRANT_LOW
 * and GRANT_EXHAUSTED after its GRANT_ISSUED, as the commits happened; the events are those of the
 * effects.
 */
final class PostgresEventFeedTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  private static final LocalDate RUN = LocalDate.of(2026, 3, 1);
  private static final Instant CALL = Instant.parse("2026-03-05T12:00:00Z");
  private static final int CUSTOMERS = 16;
  private static final int CONSUMERS = 4;
  private static final int CALLS = 150;

  private static MutableBillingClock clock() {
    return MutableBillingClock.startOf(RUN, ZoneOffset.UTC);
  }

  private static PackageBilling engine(DataSource pool) {
    return PackageBilling.builder().clock(clock()).stores(JdbcStores.builder(pool).migrateOnStart(false).build())
        .batchSize(5).pageSize(20).build();
  }

  @Test
  void aReaderFollowingTheCursorSeesEveryEventOnceInCommitOrder() throws Exception {
    TestDatabase.Fresh fresh = DB.fresh();
    DataSource setUpPool = fresh.pool();
    JdbcStores.create(setUpPool);
    PackageBilling setUp = engine(setUpPool);
    setUp.define(ServicePackage.builder("plain").name("Plain").currency("USD").retail("9.00")
        .frequency(Frequency.MONTHLY).build());
    setUp.define(ServicePackage.builder("fm").name("Minutes").currency("USD").retail("4.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).lowBalancePercent(30).build());
    for (int i = 0; i < 160; i++) {
      String customer = "c" + i % CUSTOMERS;
      boolean minutes = i % 2 == 0;
      AssignmentBuilder assignment = Assignment.builder(String.format("a%03d", i)).customerId(customer)
          .packageId(minutes ? "fm" : "plain").startDate(JAN_1).autoDecrementCredit(i % 3 == 0);
      if (minutes) {
        assignment.minutes(2);
      }
      setUp.assign(assignment.build());
    }
    long assigned = setUp.events().read(0, 1000).size();
    assertEquals(160, assigned, "an ASSIGNMENT_CHANGED per assignment");

    PackageBilling[] engines = {engine(fresh.pool()), engine(fresh.pool())};
    ExecutorService threads = Executors.newFixedThreadPool(2 + CONSUMERS + 1);
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch writers = new CountDownLatch(2 + CONSUMERS);
    CountDownLatch charges = new CountDownLatch(2);
    List<Future<?>> work = new ArrayList<>();
    try {
      for (PackageBilling engine : engines) {
        work.add(threads.submit(() -> {
          start.await();
          try {
            return engine.run(RUN, RunMode.CHARGE);
          } finally {
            charges.countDown();
            writers.countDown();
          }
        }));
      }
      for (int t = 0; t < CONSUMERS; t++) {
        int thread = t;
        PackageBilling engine = engines[t % 2];
        work.add(threads.submit(() -> {
          start.await();
          try {
            SplittableRandom random = new SplittableRandom(thread);
            // Calls all through the charges (at first, before any grant), then CALLS more.
            int after = 0;
            for (int call = 0; after < CALLS; call++) {
              if (charges.getCount() == 0) {
                after++;
              }
              engine.consume(UsageRecord.of("u" + thread + "-" + call, "c" + random.nextInt(CUSTOMERS), "4420",
                  CALL, 30 + random.nextInt(60)));
            }
            return null;
          } finally {
            writers.countDown();
          }
        }));
      }
      PackageBilling readerEngine = engine(fresh.pool());
      Future<List<StoredEvent>> reader = threads.submit(() -> {
        start.await();
        List<StoredEvent> seen = new ArrayList<>();
        long cursor = 0;
        boolean writing = true;
        while (true) {
          boolean lastRound = !writing;
          List<StoredEvent> page = readerEngine.events().read(cursor, 100);
          for (StoredEvent event : page) {
            assertTrue(event.cursor() > cursor, "cursors rise: " + event.cursor() + " after " + cursor);
            cursor = event.cursor();
            seen.add(event);
          }
          if (page.isEmpty() && lastRound) {
            return seen;
          }
          writing = writers.getCount() > 0;
        }
      });
      start.countDown();
      for (Future<?> each : work) {
        each.get(5, TimeUnit.MINUTES);
      }
      List<StoredEvent> seen = reader.get(5, TimeUnit.MINUTES);

      List<StoredEvent> all = setUp.events().read(0, 10_000);
      assertEquals(all, seen, "the reader saw every event of the table, once, in cursor order");
      Set<String> ids = new HashSet<>();
      seen.forEach(event -> assertTrue(ids.add(event.event().id()), "once: " + event.event().id()));
      Map<String, Long> issuedAt = new HashMap<>();
      int thresholds = 0;
      for (StoredEvent event : seen) {
        String payload = event.event().payload();
        if (event.event().type() == EventType.GRANT_ISSUED) {
          issuedAt.put(event.event().id().substring("GRANT_ISSUED:".length()), event.cursor());
        } else if (event.event().type() == EventType.GRANT_LOW || event.event().type() == EventType.GRANT_EXHAUSTED) {
          String grant = event.event().id().substring(event.event().type().name().length() + 1);
          assertTrue(issuedAt.containsKey(grant), "the grant's issue came before " + event.event().id() + ": "
              + payload);
          thresholds++;
        }
      }
      assertTrue(thresholds > 40, "the calls made grants low and used them up: " + thresholds);
      EventOutcome.assertEventsAreThoseOfTheEffects(setUpPool, "two engines and four consumers");
      assertTrue(seen.size() > 600, "many events: " + seen.size());
    } finally {
      threads.shutdownNow();
    }
  }
}
