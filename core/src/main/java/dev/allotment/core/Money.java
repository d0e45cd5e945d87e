package dev.allotment.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in one currency.
 *
 * <p>Arithmetic is exact: {@link #plus}, {@link #minus} and {@link #times} never round, so a
 * line's amount can be built from unit price, quantity and proration without losing a cent.
 * Rounding happens once, explicitly, through {@link #rounded()} or {@link #dividedAndRounded(long)},
 * always {@link RoundingMode#HALF_UP} to the currency's default fraction digits. Mixing currencies
 * is an error, never a silent conversion.
 *
 * <p>Equality is numeric: {@code 2.5 USD} equals {@code 2.50 USD}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Money implements Comparable<Money> {
  private final BigDecimal amount;
  private final Currency currency;

  private Money(BigDecimal amount, Currency currency) {
    this.amount = amount;
    this.currency = currency;
  }

  /**
   * Returns money of the given amount.
   *
   * @param amount the exact amount, at any scale
   * @param currency the currency
   * @return the money
   * @throws IllegalArgumentException if the currency has no fraction digits defined (pseudo
   *     currencies such as {@code XXX} or {@code XAU} cannot be billed)
   */
  public static Money of(BigDecimal amount, Currency currency) {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    fractionDigits(currency);
    return new Money(amount, currency);
  }

  /**
   * Parses {@code amount} (a plain decimal such as {@code "12.50"}) in the ISO 4217 currency
   * {@code currencyCode}.
   *
   * @param amount a plain decimal
   * @param currencyCode an ISO 4217 code
   * @return the money
   * @throws IllegalArgumentException if the amount is not a decimal number or the currency code is
   *     unknown
   */
  public static Money of(String amount, String currencyCode) {
    Objects.requireNonNull(amount, "amount");
    return of(parseAmount("amount", amount), currency(currencyCode));
  }

  /**
   * Zero in the given currency.
   *
   * @param currency the currency
   * @return zero at the currency's scale ({@code 0.00 GBP}, {@code 0 JPY})
   */
  public static Money zero(Currency currency) {
    Objects.requireNonNull(currency, "currency");
    return of(BigDecimal.ZERO.setScale(fractionDigits(currency)), currency);
  }

  /**
   * Resolves an ISO 4217 code.
   *
   * @param currencyCode an ISO 4217 code, e.g. {@code "GBP"}
   * @return the currency
   * @throws IllegalArgumentException naming the code when it is unknown or not billable
   */
  public static Currency currency(String currencyCode) {
    Objects.requireNonNull(currencyCode, "currency");
    Currency currency;
    try {
      currency = Currency.getInstance(currencyCode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("currency is not an ISO 4217 code: '" + currencyCode + "'");
    }
    fractionDigits(currency);
    return currency;
  }

  static BigDecimal parseAmount(String field, String text) {
    if (text.length() > 100) {
      throw new IllegalArgumentException(field + " is not a decimal number of at most 100 characters, was "
          + text.length() + " characters: '" + text.substring(0, 40) + "...'");
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not a decimal number: '" + text + "'");
    }
  }

  private static int fractionDigits(Currency currency) {
    int digits = currency.getDefaultFractionDigits();
    if (digits < 0) {
      throw new IllegalArgumentException(
          "currency has no minor unit and cannot be billed: " + currency.getCurrencyCode());
    }
    return digits;
  }

  /**
   * The same money at the currency's scale: the currency's fraction digits, or more when the amount
   * has more digits that are not zero. {@code 5}, {@code 5.0} and {@code 5.000000} GBP all become
   * {@code 5.00}; {@code 0.012500} becomes {@code 0.0125}. Catalogs keep prices this way, and
   * stores that keep amounts at a fixed scale (a SQL {@code NUMERIC(19, 6)}) read them back this
   * way, so an amount shows the same whichever store held it.
   *
   * @return equal money (numerically) at that scale
   */
  public Money atCurrencyScale() {
    int digits = fractionDigits(currency);
    BigDecimal stripped = amount.stripTrailingZeros();
    BigDecimal scaled = stripped.scale() <= digits ? stripped.setScale(digits, RoundingMode.UNNECESSARY) : stripped;
    return scaled.equals(amount) ? this : new Money(scaled, currency);
  }

  /** {@return the exact amount, at whatever scale arithmetic produced} */
  public BigDecimal amount() {
    return amount;
  }

  /** {@return the currency} */
  public Currency currency() {
    return currency;
  }

  /**
   * The exact sum.
   *
   * @param other money in the same currency
   * @return this plus other
   * @throws IllegalArgumentException if the currencies differ
   */
  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(amount.add(other.amount), currency);
  }

  /**
   * The exact difference.
   *
   * @param other money in the same currency
   * @return this minus other
   * @throws IllegalArgumentException if the currencies differ
   */
  public Money minus(Money other) {
    requireSameCurrency(other);
    return new Money(amount.subtract(other.amount), currency);
  }

  /** {@return the amount negated, in the same currency} */
  public Money negate() {
    return new Money(amount.negate(), currency);
  }

  /**
   * Exact multiplication; no rounding.
   *
   * @param factor the factor
   * @return the exact product
   */
  public Money times(long factor) {
    return new Money(amount.multiply(BigDecimal.valueOf(factor)), currency);
  }

  /**
   * Exact multiplication; no rounding.
   *
   * @param factor the factor
   * @return the exact product
   */
  public Money times(BigDecimal factor) {
    Objects.requireNonNull(factor, "factor");
    return new Money(amount.multiply(factor), currency);
  }

  /**
   * Divides by {@code divisor} and rounds the result HALF_UP to the currency's fraction digits.
   * This is the single rounding step of a line: callers build the exact numerator first.
   *
   * @param divisor the divisor, positive
   * @return the quotient, rounded to the currency's digits
   * @throws IllegalArgumentException if divisor is not positive
   */
  public Money dividedAndRounded(long divisor) {
    if (divisor <= 0) {
      throw new IllegalArgumentException("divisor must be > 0, was " + divisor);
    }
    return new Money(
        amount.divide(BigDecimal.valueOf(divisor), fractionDigits(currency), RoundingMode.HALF_UP),
        currency);
  }

  /** {@return this amount rounded HALF_UP to the currency's fraction digits} */
  public Money rounded() {
    return dividedAndRounded(1);
  }

  /** {@return true when the amount already has no more fraction digits than the currency allows} */
  public boolean isRounded() {
    return amount.stripTrailingZeros().scale() <= fractionDigits(currency);
  }

  /** {@return -1, 0 or 1 as the amount is negative, zero or positive} */
  public int signum() {
    return amount.signum();
  }

  /** {@return whether the amount is zero, at any scale} */
  public boolean isZero() {
    return amount.signum() == 0;
  }

  /** {@return whether the amount is below zero} */
  public boolean isNegative() {
    return amount.signum() < 0;
  }

  /**
   * Compares amounts numerically.
   *
   * @throws IllegalArgumentException if the currencies differ
   */
  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other);
    return amount.compareTo(other.amount);
  }

  private void requireSameCurrency(Money other) {
    Objects.requireNonNull(other, "other");
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "currency mismatch: " + currency.getCurrencyCode() + " and " + other.currency.getCurrencyCode());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Money m && currency.equals(m.currency) && amount.compareTo(m.amount) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * currency.hashCode() + amount.stripTrailingZeros().hashCode();
  }

  /** {@code "12.50 USD"}, at the currency's scale when the amount is rounded. */
  @Override
  public String toString() {
    if (Math.abs((long) amount.precision() - amount.scale()) > 40 || Math.abs((long) amount.scale()) > 40) {
      return Limits.shown(amount) + " " + currency.getCurrencyCode(); // never expand 1E+999999999
    }
    BigDecimal shown = isRounded() ? amount.setScale(fractionDigits(currency), RoundingMode.UNNECESSARY) : amount;
    return shown.toPlainString() + " " + currency.getCurrencyCode();
  }
}
