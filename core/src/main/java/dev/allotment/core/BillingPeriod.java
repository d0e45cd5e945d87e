package dev.allotment.core;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A half-open range of billing dates {@code [start, endExclusive)}, never empty.
 *
 * <p>Immutable and thread-safe.
 *
 * @param start the first day
 * @param endExclusive the day after the last day
 */
public record BillingPeriod(LocalDate start, LocalDate endExclusive) {
  /**
   * Checks that the period is not empty.
   *
   * @param start the first day
   * @param endExclusive the day after the last day
   */
  public BillingPeriod {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(endExclusive, "endExclusive");
    if (!endExclusive.isAfter(start)) {
      throw new IllegalArgumentException("period end " + endExclusive + " must be after its start " + start);
    }
  }

  /**
   * The one-day period of {@code day}.
   *
   * @param day the day
   * @return the period {@code [day, day + 1)}
   */
  public static BillingPeriod ofDay(LocalDate day) {
    return new BillingPeriod(day, day.plusDays(1));
  }

  /** {@return the number of days in the period (at least 1)} */
  public long days() {
    return FrequencyRule.days(start, endExclusive);
  }

  /** {@return the last day, inclusive} */
  public LocalDate lastDay() {
    return endExclusive.minusDays(1);
  }

  /**
   * Whether the period holds a date.
   *
   * @param date any date
   * @return true when {@code start <= date < endExclusive}
   */
  public boolean contains(LocalDate date) {
    return !date.isBefore(start) && date.isBefore(endExclusive);
  }

  @Override
  public String toString() {
    return "[" + start + ", " + endExclusive + ")";
  }
}
