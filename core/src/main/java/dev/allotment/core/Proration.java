package dev.allotment.core;

/**
 * The share of a whole period a line bills: {@code days} of {@code ofDays}, kept as a fraction so
 * the line's amount is computed exactly and rounded once.
 *
 * <p>Immutable and thread-safe.
 *
 * @param days billed days, 1..ofDays
 * @param ofDays days of the whole period the billed days are cut from
 */
public record Proration(long days, long ofDays) {
  /** A whole period. */
  public static final Proration WHOLE = new Proration(1, 1);

  /**

   * Checks {@code 1 <= days <= ofDays}.

   *

   * @param days billed days, 1..ofDays

   * @param ofDays days of the whole period the billed days are cut from

   */
  public Proration {
    if (ofDays < 1 || days < 1 || days > ofDays) {
      throw new IllegalArgumentException("proration must satisfy 1 <= days <= ofDays, was " + days + "/" + ofDays);
    }
  }

  /** {@return whether the whole period is billed} */
  public boolean isWhole() {
    return days == ofDays;
  }

  /**
   * {@code unit x quantity x days / ofDays}, rounded once, HALF_UP, to the currency's fraction
   * digits.
   *
   * @param unit the price of one unit for a whole period
   * @param quantity the quantity
   * @return the amount
   */
  public Money apply(Money unit, long quantity) {
    return unit.times(quantity).times(days).dividedAndRounded(ofDays);
  }

  /**
   * {@code seconds x days / ofDays}, rounded down to the whole second.
   *
   * @param seconds seconds for a whole period
   * @return the prorated seconds
   */
  public long applyToSeconds(long seconds) {
    return Math.multiplyExact(seconds, days) / ofDays;
  }

  @Override
  public String toString() {
    return isWhole() ? "1" : days + "/" + ofDays;
  }
}
