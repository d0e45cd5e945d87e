package dev.allotment.jdbc;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.recurring;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Money;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.DebitResult;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several nodes writing the same keys at once, in different orders and mixing single and bulk
 * calls: every key is stored once, no deadlock surfaces as an error, and the sums come out exact.
 */
abstract class ConcurrencyChecks {
  private static final int ASSIGNMENTS = 30;
  private static final int MONTHS = 6;

  private JdbcStores stores;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    stores = Fixtures.withContractPackages(db().freshStores());
  }

  @Test
  void overlappingCommitsWithWatermarksStoreEachLineOnceAndKeepTheLatestWatermark() throws Exception {
    List<ChargeLine> lines = new ArrayList<>();
    for (int a = 0; a < ASSIGNMENTS; a++) {
      for (int m = 0; m < MONTHS; m++) {
        lines.add(recurring("a-" + a, JAN_1.plusMonths(m), "1.00"));
      }
    }
    AtomicInteger added = new AtomicInteger();
    Map<String, LocalDate> latest = new ConcurrentHashMap<>();
    ConcurrentRunner.run(4, 5, (thread, i) -> {
      Random random = new Random(thread * 1000L + i);
      // Every commit a shuffled overlapping subset (the first thread's first commit all of it).
      List<ChargeLine> mine = new ArrayList<>(lines.subList(thread == 0 && i == 0 ? 0 : random.nextInt(90),
          lines.size()));
      Collections.shuffle(mine, random);
      Map<String, LocalDate> watermarks = new HashMap<>();
      for (int a = 0; a < ASSIGNMENTS; a++) {
        LocalDate watermark = JAN_1.plusMonths(random.nextInt(MONTHS));
        watermarks.put("a-" + a, watermark);
        latest.merge("a-" + a, watermark, (x, y) -> x.isAfter(y) ? x : y);
      }
      added.addAndGet(stores.journal().commit(mine, watermarks));
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
  }

  @Test
  void bulkAndSingleDebitsOfOverlappingKeysApplyEachKeyOnce() throws Exception {
    Currency usd = Currency.getInstance("USD");
    Currency eur = Currency.getInstance("EUR");
    List<CreditEntry> entries = new ArrayList<>();
    Map<String, Money> expected = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      Money amount = Money.of(BigDecimal.valueOf(i % 7 + 1, 2), i % 3 == 0 ? eur : usd);
      CreditEntry entry = new CreditEntry("d-" + i, "c" + (i % 5), amount);
      entries.add(entry);
      expected.merge(entry.customerId() + " " + amount.currency(), amount.negate(), Money::plus);
    }
    AtomicInteger debited = new AtomicInteger();
    ConcurrentRunner.run(4, 3, (thread, i) -> {
      List<CreditEntry> mine = new ArrayList<>(entries);
      Collections.shuffle(mine, new Random(thread * 31L + i));
      if (thread % 2 == 0) {
        // The bulk callers post every entry, so each key is posted by someone.
        for (DebitResult result : stores.creditLedger().debitAll(mine)) {
          debited.addAndGet(result == DebitResult.DEBITED ? 1 : 0);
        }
      } else {
        for (CreditEntry entry : mine.subList(0, 60)) {
          debited.addAndGet(stores.creditLedger().debit(entry, false) == DebitResult.DEBITED ? 1 : 0);
        }
      }
      CreditEntry topUp = new CreditEntry("top-" + thread + "-" + i, "c" + thread, Money.of("1", "USD"));
      stores.creditLedger().credit(topUp);
      expected.merge(topUp.customerId() + " " + usd, topUp.amount(), Money::plus);
    });
    assertEquals(entries.size(), debited.get());
    for (int c = 0; c < 5; c++) {
      for (Currency currency : List.of(usd, eur)) {
        assertEquals(expected.getOrDefault("c" + c + " " + currency, Money.zero(currency)),
            stores.creditLedger().balance("c" + c, currency), "c" + c + " " + currency);
      }
    }
  }
}
