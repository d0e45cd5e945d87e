package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class MoneyTest {

  /** Expected values worked by hand; the HALF_EVEN column shows where the two modes part. */
  @ParameterizedTest(name = "{0} {1} / {2} = {3}")
  @CsvSource({
      // amount, currency, divisor, expected HALF_UP
      "10.00,   USD, 3, 3.33",
      "20.00,   USD, 3, 6.67",
      "0.125,   USD, 1, 0.13", // HALF_EVEN would give 0.12
      "0.135,   USD, 1, 0.14",
      "0.005,   USD, 1, 0.01",
      "0.0049,  USD, 1, 0.00",
      "-0.125,  USD, 1, -0.13", // HALF_UP rounds halves away from zero, also for credits
      "2.5,     JPY, 1, 3", // HALF_EVEN would give 2
      "3.5,     JPY, 1, 4",
      "1000,    JPY, 3, 333",
      "1000,    JPY, 6, 167", // 166.666...
      "500,     JPY, 1000, 1", // 0.5 -> 1
      "1.0005,  KWD, 1, 1.001",
      "1.0004,  KWD, 1, 1.000",
      "10,      KWD, 3, 3.333",
      "20,      KWD, 3, 6.667",
      "2.0005,  KWD, 1, 2.001",
  })
  void roundsHalfUpToTheCurrencyFractionDigits(String amount, String currency, long divisor, String expected) {
    Money rounded = Money.of(amount, currency).dividedAndRounded(divisor);

    assertEquals(new BigDecimal(expected), rounded.amount());
    assertEquals(Currency.getInstance(currency).getDefaultFractionDigits(), rounded.amount().scale());
    assertTrue(rounded.isRounded());
  }

  @ParameterizedTest(name = "{0} {1} -> \"{2}\"")
  @CsvSource({
      "12.5,   USD, 12.50 USD",
      "7,      JPY, 7 JPY",
      "1.5,    KWD, 1.500 KWD",
      "0.125,  USD, 0.125 USD", // not yet rounded: shown exactly, never silently rounded
  })
  void printsAtTheCurrencyScaleOnceRounded(String amount, String currency, String expected) {
    assertEquals(expected, Money.of(amount, currency).toString());
  }

  @Test
  void arithmeticIsExactUntilRounded() {
    Money third = usd("1").dividedAndRounded(3);
    Money exact = usd("0.001").times(3).plus(usd("0.0005"));

    assertEquals(new BigDecimal("0.33"), third.amount());
    assertEquals(0, new BigDecimal("0.0035").compareTo(exact.amount()));
    assertFalse(exact.isRounded());
    assertEquals(usd("0.0035"), exact);
    assertEquals(usd("-1.25"), usd("1.25").negate());
    assertEquals(usd("2.50"), usd("10").minus(usd("7.5")));
    assertEquals(usd("3.75"), usd("1.5").times(new BigDecimal("2.5")));
  }

  @Test
  void equalityIsNumericAndCurrencyAware() {
    assertEquals(usd("2.5"), usd("2.50"));
    assertEquals(usd("2.5").hashCode(), usd("2.50").hashCode());
    assertEquals(usd("0").hashCode(), usd("0.00").hashCode());
    assertNotEquals(usd("2.5"), Money.of("2.5", "EUR"));
    assertEquals(0, usd("2.5").compareTo(usd("2.500")));
    assertTrue(usd("2.51").compareTo(usd("2.5")) > 0);
  }

  @Test
  void mixingCurrenciesIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> usd("1").plus(Money.of("1", "EUR")));
    assertTrue(e.getMessage().contains("USD") && e.getMessage().contains("EUR"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> usd("1").compareTo(Money.of("1", "JPY")));
  }

  @Test
  void rejectsANonPositiveDivisor() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> usd("1").dividedAndRounded(0));
    assertTrue(e.getMessage().contains("divisor") && e.getMessage().contains("0"), e.getMessage());
  }

  private static Money usd(String amount) {
    return Money.of(amount, "USD");
  }
}
