package dev.allotment.core;

import java.util.Currency;
import java.util.Objects;

/**
 * Sums of retail and cost, and the margin, over the lines of one currency.
 *
 * <p>Immutable and thread-safe.
 *
 * @param currency the currency
 * @param lines how many lines were summed
 * @param retail the sum of retail amounts
 * @param cost the sum of cost amounts
 */
public record CurrencyTotals(Currency currency, long lines, Money retail, Money cost) {
  /**
   * Every component is required.
   *
   * @param currency the currency
   * @param lines how many lines were summed
   * @param retail the sum of retail amounts
   * @param cost the sum of cost amounts
   */
  public CurrencyTotals {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(retail, "retail");
    Objects.requireNonNull(cost, "cost");
  }

  /**
   * No lines yet.
   *
   * @param currency the currency
   * @return zero lines, zero amounts
   */
  public static CurrencyTotals zero(Currency currency) {
    return new CurrencyTotals(currency, 0, Money.zero(currency), Money.zero(currency));
  }

  /** {@return the margin: retail minus cost} */
  public Money margin() {
    return retail.minus(cost);
  }

  /**
   * These totals plus one line.
   *
   * @param line a line in this currency
   * @return the totals with the line added
   */
  public CurrencyTotals plus(ChargeLine line) {
    return new CurrencyTotals(currency, lines + 1, retail.plus(line.retail()), cost.plus(line.cost()));
  }

  /**
   * These totals plus others of the same currency.
   *
   * @param other totals of the same currency
   * @return the sums of both
   */
  public CurrencyTotals plus(CurrencyTotals other) {
    return new CurrencyTotals(currency, lines + other.lines, retail.plus(other.retail), cost.plus(other.cost));
  }
}
