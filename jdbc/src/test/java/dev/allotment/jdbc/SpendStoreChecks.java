package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.Money;
import dev.allotment.core.SpendQuery;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spend table: keyed records, summed over half-open periods in one currency, many periods per statement. */
abstract class SpendStoreChecks {
  private static final Currency USD = Currency.getInstance("USD");
  private static final LocalDate MARCH = LocalDate.of(2026, 3, 1);
  private static final BillingPeriod PERIOD = new BillingPeriod(MARCH, MARCH.plusMonths(1));

  private SpendStore spend;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStore() {
    spend = db().freshStores().spend();
  }

  private Money spendOf(String customerId, BillingPeriod period) {
    SpendQuery query = new SpendQuery(customerId, USD, period);
    Map<SpendQuery, Money> answers = spend.spend(List.of(query));
    assertEquals(1, answers.size());
    return answers.get(query);
  }

  @Test
  void nothingSpentIsZero() {
    assertEquals(Money.zero(USD), spendOf("c1", PERIOD));
    assertEquals(Map.of(), spend.spend(List.of()));
  }

  @Test
  void theSpendOfAPeriodCountsItsFirstDayAndNotTheDayAfterIt() {
    spend.record("before", "c1", MARCH.minusDays(1), Money.of("1000", "USD"));
    spend.record("first", "c1", MARCH, Money.of("10.25", "USD"));
    spend.record("mid", "c1", MARCH.plusDays(15), Money.of("4.75", "USD"));
    spend.record("last", "c1", MARCH.plusMonths(1).minusDays(1), Money.of("0.001", "USD"));
    spend.record("after", "c1", MARCH.plusMonths(1), Money.of("1000", "USD"));
    spend.record("other-customer", "c2", MARCH, Money.of("1000", "USD"));
    assertEquals(Money.of("15.001", "USD"), spendOf("c1", PERIOD));
  }

  @Test
  void aKeyIsRecordedOnceWhateverTheAmount() {
    assertTrue(spend.record("call-1", "c1", MARCH, Money.of("2.00", "USD")));
    assertFalse(spend.record("call-1", "c1", MARCH, Money.of("2.00", "USD")));
    assertFalse(spend.record("call-1", "c1", MARCH, Money.of("9.00", "USD")));
    assertEquals(Money.of("2", "USD"), spendOf("c1", PERIOD));
  }

  @Test
  void spendInAnotherCurrencyIsAnErrorNotAConversion() {
    spend.record("eur", "c1", MARCH, Money.of("2.00", "EUR"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spendOf("c1", PERIOD));
    assertTrue(e.getMessage().contains("EUR") && e.getMessage().contains("c1"), e.getMessage());
    SpendQuery euro = new SpendQuery("c1", Currency.getInstance("EUR"), PERIOD);
    assertEquals(Map.of(euro, Money.of("2", "EUR")), spend.spend(List.of(euro)));
  }

  @Test
  void badRecordsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> spend.record("neg", "c1", MARCH, Money.of("-1", "USD")));
    assertThrows(IllegalArgumentException.class,
        () -> spend.record("huge", "c1", MARCH, Money.of("12345678901234", "USD")));
    assertThrows(IllegalArgumentException.class, () -> spend.record("k".repeat(201), "c1", MARCH, Money.of("1", "USD")));
    assertThrows(IllegalArgumentException.class, () -> spend.record(" ", "c1", MARCH, Money.of("1", "USD")));
    assertEquals(Money.zero(USD), spendOf("c1", PERIOD));
  }

  /**
   * A page's worth of queries, over more than a statement's chunk, overlapping periods of many
   * customers, some twice, some with no spend and some outside the years a DATE holds: each is
   * answered with its own sum, in as many statements as chunks.
   */
  @Test
  void manyQueriesAreAnsweredTogetherInOneStatementPerChunk() {
    CountingDataSource counting = new CountingDataSource(db().dataSource());
    SpendStore counted = JdbcStores.builder(counting).migrateOnStart(false).build().spend();
    for (int c = 0; c < 50; c++) {
      for (int d = 0; d < 60; d += 7) {
        spend.record("s-" + c + "-" + d, "c" + c, MARCH.plusDays(d), Money.of(c + "." + d, "USD"));
      }
    }
    List<SpendQuery> queries = new ArrayList<>();
    Map<SpendQuery, Money> expected = new HashMap<>();
    for (int q = 0; q < JdbcSpendStore.CHUNK + 200; q++) {
      int c = q % 60;
      // Distinct periods (q % 30, q / 30), so every query is one of its own.
      BillingPeriod period = new BillingPeriod(MARCH.plusDays(q % 30), MARCH.plusDays(q % 30 + 1 + q / 30));
      SpendQuery query = new SpendQuery("c" + c, USD, period);
      queries.add(query);
      Money sum = Money.zero(USD);
      for (int d = 0; d < 60 && c < 50; d += 7) {
        if (period.contains(MARCH.plusDays(d))) {
          sum = sum.plus(Money.of(c + "." + d, "USD"));
        }
      }
      expected.put(query, sum);
    }
    queries.add(queries.get(0));
    SpendQuery far = new SpendQuery("c1", USD, new BillingPeriod(LocalDate.of(12000, 1, 1), LocalDate.of(12001, 1, 1)));
    queries.add(far);
    expected.put(far, Money.zero(USD));
    counting.drain();
    assertEquals(expected, counted.spend(queries));
    assertEquals(2, counting.drain().size(), "two chunks of queries, one statement each");
  }
}
