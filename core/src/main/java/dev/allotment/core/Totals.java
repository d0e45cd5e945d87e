package dev.allotment.core;

import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Totals per currency, in currency-code order.
 *
 * <p>Immutable and thread-safe; {@link Builder} accumulates lines one at a time (not thread-safe).
 */
public final class Totals {
  private static final Comparator<Currency> BY_CODE = Comparator.comparing(Currency::getCurrencyCode);
  private final Map<Currency, CurrencyTotals> byCurrency;

  private Totals(Map<Currency, CurrencyTotals> byCurrency) {
    this.byCurrency = Collections.unmodifiableMap(byCurrency);
  }

  /** {@return a builder of totals, empty} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Totals of the given lines.
   *
   * @param lines the lines
   * @return their count, retail, cost and margin per currency
   */
  public static Totals of(Iterable<ChargeLine> lines) {
    Builder builder = builder();
    lines.forEach(builder::add);
    return builder.build();
  }

  /** {@return the totals per currency, ordered by currency code} */
  public Map<Currency, CurrencyTotals> byCurrency() {
    return byCurrency;
  }

  /**
   * The totals of one currency (zero when no line used it).
   *
   * @param currency the currency
   * @return the totals of that currency
   */
  public CurrencyTotals of(Currency currency) {
    return byCurrency.getOrDefault(currency, CurrencyTotals.zero(currency));
  }

  /**
   * These totals plus others.
   *
   * @param other totals to add
   * @return the totals of both, per currency
   */
  public Totals plus(Totals other) {
    Map<Currency, CurrencyTotals> sum = new TreeMap<>(BY_CODE);
    sum.putAll(byCurrency);
    other.byCurrency.forEach((currency, totals) -> sum.merge(currency, totals, CurrencyTotals::plus));
    return new Totals(sum);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Totals t && byCurrency.equals(t.byCurrency);
  }

  @Override
  public int hashCode() {
    return byCurrency.hashCode();
  }

  @Override
  public String toString() {
    return byCurrency.values().toString();
  }

  /** Accumulates lines. Not thread-safe. */
  public static final class Builder {
    private final Map<Currency, CurrencyTotals> byCurrency = new TreeMap<>(BY_CODE);

    private Builder() {}

    /**
     * Adds a line to its currency's totals.
     *
     * @param line the line
     * @return this builder
     */
    public Builder add(ChargeLine line) {
      Objects.requireNonNull(line, "line");
      byCurrency.merge(line.retail().currency(), CurrencyTotals.zero(line.retail().currency()).plus(line),
          CurrencyTotals::plus);
      return this;
    }

    /** {@return the totals of the lines added} */
    public Totals build() {
      // TreeMap(Map) would re-sort by natural order, and Currency is not Comparable: every
      // non-empty build threw ClassCastException. Copy into a map that keeps BY_CODE.
      Map<Currency, CurrencyTotals> copy = new TreeMap<>(BY_CODE);
      copy.putAll(byCurrency);
      return new Totals(copy);
    }
  }
}
