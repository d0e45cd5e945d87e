package dev.allotment.jdbc;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Money;
import dev.allotment.core.Proration;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditFloor;
import dev.allotment.spi.CreditLedger.Posting;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several nodes committing batches over the same keys at once, in different orders, with top-ups
 * and assignment changes racing them: every line, grant and posting is stored once, no deadlock
 * surfaces as an error, balances come out exact, and the checks hold until the commit.
 */
abstract class ConcurrencyChecks {
  private static final int ASSIGNMENTS = 30;
  private static final int MONTHS = 6;
  private static final Currency USD = Currency.getInstance("USD");

  private JdbcStores stores;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    stores = Fixtures.withContractPackages(db().freshStores());
  }

  /** Month m of assignment a: auto-decrement for even a, of customer "c" + a % 5. */
  private static ChargeLine line(int a, int m) {
    LocalDate start = JAN_1.plusMonths(m);
    return ChargeLine.recurring(new LineSubject("a-" + a, "c" + a % 5, Optional.empty(), "p1", 1, a % 2 == 0),
        new BillingPeriod(start, start.plusMonths(1)), usd("1.25"), usd("0"), Proration.WHOLE);
  }

  private static Grant grant(ChargeLine line) {
    return Grant.builder(line.key().toString()).assignmentId(line.assignmentId()).customerId(line.customerId())
        .allocatedSeconds(600).validFrom(line.period().start().atStartOfDay(ZoneOffset.UTC).toInstant())
        .build();
  }

  /** A batch of {@code lines}, each with its grant and, when auto-decrement, its debit. */
  private static ChargeBatch batch(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    List<Grant> grants = new ArrayList<>();
    List<Posting> postings = new ArrayList<>();
    for (ChargeLine line : lines) {
      grants.add(grant(line));
      if (line.autoDecrement()) {
        postings.add(new Posting(new CreditEntry(line.key().toString(), line.customerId(), line.retail()), true));
      }
    }
    return ChargeBatch.builder().lines(lines).watermarks(watermarks).grants(grants).postings(postings).build();
  }

  @Test
  void overlappingBatchesStoreEachLineGrantAndPostingOnceAndKeepTheLatestWatermark() throws Exception {
    List<ChargeLine> lines = new ArrayList<>();
    Map<String, Money> expected = new HashMap<>();
    for (int a = 0; a < ASSIGNMENTS; a++) {
      for (int m = 0; m < MONTHS; m++) {
        ChargeLine line = line(a, m);
        lines.add(line);
        if (line.autoDecrement()) {
          expected.merge(line.customerId(), line.retail().negate(), Money::plus);
        }
      }
    }
    AtomicInteger added = new AtomicInteger();
    Map<String, LocalDate> latest = new ConcurrentHashMap<>();
    ConcurrentRunner.run(4, 5, (thread, i) -> {
      Random random = new Random(thread * 1000L + i);
      // Every batch a shuffled overlapping subset (the first thread's first batch all of it).
      List<ChargeLine> mine = new ArrayList<>(lines.subList(thread == 0 && i == 0 ? 0 : random.nextInt(90),
          lines.size()));
      Collections.shuffle(mine, random);
      Map<String, LocalDate> watermarks = new HashMap<>();
      for (int a = 0; a < ASSIGNMENTS; a++) {
        LocalDate watermark = JAN_1.plusMonths(random.nextInt(MONTHS));
        watermarks.put("a-" + a, watermark);
        latest.merge("a-" + a, watermark, (x, y) -> x.isAfter(y) ? x : y);
      }
      added.addAndGet(stores.unitOfWork().commit(batch(mine, watermarks)).linesAdded());
      // A top-up racing the batches' postings to the same balances.
      stores.creditLedger().credit(new CreditEntry("top-" + thread + "-" + i, "c" + thread, usd("1")));
    });
    assertEquals(lines.size(), added.get());
    List<HistoryRequest> requests = new ArrayList<>();
    for (int a = 0; a < ASSIGNMENTS; a++) {
      assertEquals(MONTHS, stores.journal().lines("a-" + a).size());
      requests.add(new HistoryRequest("a-" + a, Optional.empty()));
    }
    Map<String, ChargeHistory> histories = stores.journal().histories(requests);
    for (int a = 0; a < ASSIGNMENTS; a++) {
      assertEquals(Optional.of(latest.get("a-" + a)), histories.get("a-" + a).decidedThrough(), "a-" + a);
    }
    for (int c = 0; c < 5; c++) {
      Money topUps = usd(c < 4 ? "5" : "0");
      assertEquals(expected.getOrDefault("c" + c, usd("0")).plus(topUps), stores.creditLedger().balance("c" + c, USD),
          "c" + c);
    }
    assertEquals(lines.size(), MigrationChecks.count(db().dataSource(), "SELECT COUNT(*) FROM "
        + FreeMinuteSql.GRANTS));
  }

  /**
   * Batches racing to debit one customer, each with the floor its debit needs: the floor check and
   * the debits are one unit, so exactly as many commit as the credit covers, and the balance never
   * goes below zero.
   */
  @Test
  void floorsHoldUntilTheCommitSoRacingDebitsNeverOverdraw() throws Exception {
    stores.creditLedger().credit(new CreditEntry("top", "c1", usd("100.00")));
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ConcurrentRunner.run(4, 10, (thread, i) -> {
      ChargeLine line = ContractFixtures.recurring("a-" + thread + "-" + i, JAN_1, "7.00");
      BatchResult result = stores.unitOfWork().commit(ChargeBatch.builder().lines(List.of(line))
          .floors(List.of(new CreditFloor("c1", usd("7.00"))))
          .postings(List.of(new Posting(new CreditEntry(line.key().toString(), "c1", usd("7.00")), true))).build());
      (result.isCommitted() ? committed : refused).incrementAndGet();
      if (!result.isCommitted()) {
        assertEquals(Set.of("c1"), result.shortOfCredit());
        assertEquals(0, result.linesAdded());
      }
    });
    assertEquals(14, committed.get(), "100.00 covers fourteen debits of 7.00");
    assertEquals(26, refused.get());
    assertEquals(usd("2.00"), stores.creditLedger().balance("c1", USD));
    assertEquals(14, MigrationChecks.count(db().dataSource(), "SELECT COUNT(*) FROM " + JdbcChargeJournal.LINES));
  }

  /**
   * A batch clearing a reprice marker and a replace of the same assignment, both from the version
   * they read, race many times: the version check holds until the commit, so exactly one of them
   * wins each round, and the version counts the winners.
   */
  @Test
  void aBatchAndAReplaceFromTheSameVersionNeverBothWin() throws Exception {
    int rounds = 40;
    Assignment original = ContractFixtures.assignment("a1", "c1", "p1");
    stores.assignments().add(original);
    AtomicInteger batchWins = new AtomicInteger();
    AtomicInteger replaceWins = new AtomicInteger();
    for (int round = 0; round < rounds; round++) {
      Assignment current = stores.assignments().find("a1").orElseThrow();
      Assignment marked = current.withEndDate(JAN_1.plusMonths(3), ContractFixtures.P1);
      Assignment stored = stores.assignments().replace(current, marked).orElseThrow();
      ChargeLine line = ContractFixtures.recurring("a1", JAN_1.plusMonths(round), "1.00");
      ChargeBatch batch = ChargeBatch.builder().expectedVersionsOf(List.of(stored)).lines(List.of(line))
          .repriced(Set.of("a1")).build();
      boolean[] won = new boolean[2];
      ConcurrentRunner.run(2, 1, (thread, i) -> {
        if (thread == 0) {
          won[0] = stores.unitOfWork().commit(batch).isCommitted();
        } else {
          won[1] = stores.assignments().replace(stored, stored.withEndDate(JAN_1.plusMonths(4),
              ContractFixtures.P1)).isPresent();
        }
      });
      assertNotEquals(won[0], won[1], "round " + round + ": exactly one wins");
      (won[0] ? batchWins : replaceWins).incrementAndGet();
      assertEquals(stored.version() + 1, stores.assignments().find("a1").orElseThrow().version());
      assertEquals(won[0] ? 1 : 0, stores.journal().lines("a1").stream().filter(l -> l.key().equals(line.key()))
          .count());
    }
    assertEquals(rounds, batchWins.get() + replaceWins.get());
  }

  /** Balance rows created by the first posting of a customer, by many batches at once: created once, summed exactly. */
  @Test
  void firstPostingsOfNewCustomersRacingCreateEachBalanceOnce() throws Exception {
    ConcurrentRunner.run(4, 5, (thread, i) -> {
      List<Posting> postings = new ArrayList<>();
      for (int c = 0; c < 20; c++) {
        postings.add(new Posting(new CreditEntry("p-" + thread + "-" + i + "-" + c, "new-" + c, usd("0.10")),
            (thread + c) % 2 == 0));
      }
      Collections.shuffle(postings, new Random(thread * 7L + i));
      assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(ChargeBatch.builder().postings(postings)
          .build()));
    });
    for (int c = 0; c < 20; c++) {
      // Two threads debit, two credit, five times each: the sum is zero.
      assertEquals(usd("0"), stores.creditLedger().balance("new-" + c, USD), "new-" + c);
    }
    assertEquals(20, MigrationChecks.count(db().dataSource(), "SELECT COUNT(*) FROM " + JdbcCreditLedger.BALANCES));
  }
}
