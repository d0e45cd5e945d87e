package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.Money;
import java.time.LocalDate;
import java.util.Currency;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spend table: keyed records, summed over a half-open period in one currency. */
abstract class SpendStoreChecks {
  private static final Currency USD = Currency.getInstance("USD");
  private static final LocalDate MARCH = LocalDate.of(2026, 3, 1);
  private static final BillingPeriod PERIOD = new BillingPeriod(MARCH, MARCH.plusMonths(1));

  private SpendStore spend;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStore() {
    spend = db().freshStores().spendSource();
  }

  @Test
  void nothingSpentIsZero() {
    assertEquals(Money.zero(USD), spend.spend("c1", USD, PERIOD));
  }

  @Test
  void theSpendOfAPeriodCountsItsFirstDayAndNotTheDayAfterIt() {
    spend.record("before", "c1", MARCH.minusDays(1), Money.of("1000", "USD"));
    spend.record("first", "c1", MARCH, Money.of("10.25", "USD"));
    spend.record("mid", "c1", MARCH.plusDays(15), Money.of("4.75", "USD"));
    spend.record("last", "c1", MARCH.plusMonths(1).minusDays(1), Money.of("0.001", "USD"));
    spend.record("after", "c1", MARCH.plusMonths(1), Money.of("1000", "USD"));
    spend.record("other customer", "c2", MARCH, Money.of("1000", "USD"));
    assertEquals(Money.of("15.001", "USD"), spend.spend("c1", USD, PERIOD));
  }

  @Test
  void aKeyIsRecordedOnceWhateverTheAmount() {
    assertTrue(spend.record("call-1", "c1", MARCH, Money.of("2.00", "USD")));
    assertFalse(spend.record("call-1", "c1", MARCH, Money.of("2.00", "USD")));
    assertFalse(spend.record("call-1", "c1", MARCH, Money.of("9.00", "USD")));
    assertEquals(Money.of("2", "USD"), spend.spend("c1", USD, PERIOD));
  }

  @Test
  void spendInAnotherCurrencyIsAnErrorNotAConversion() {
    spend.record("eur", "c1", MARCH, Money.of("2.00", "EUR"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spend.spend("c1", USD, PERIOD));
    assertTrue(e.getMessage().contains("EUR"), e.getMessage());
  }

  @Test
  void badRecordsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> spend.record("neg", "c1", MARCH, Money.of("-1", "USD")));
    assertThrows(IllegalArgumentException.class,
        () -> spend.record("huge", "c1", MARCH, Money.of("12345678901234", "USD")));
    assertThrows(IllegalArgumentException.class, () -> spend.record("k".repeat(201), "c1", MARCH, Money.of("1", "USD")));
    assertThrows(IllegalArgumentException.class, () -> spend.record(" ", "c1", MARCH, Money.of("1", "USD")));
    assertEquals(Money.zero(USD), spend.spend("c1", USD, PERIOD));
  }
}
