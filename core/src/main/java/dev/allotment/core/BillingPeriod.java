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
  public BillingPeriod {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(endExclusive, "endExclusive");
    if (!endExclusive.isAfter(start)) {
      throw new IllegalArgumentException("period end " + endExclusive + " must be after its start " + start);
    }
  }

  /** The one-day period of {@code day}. */
  public static BillingPeriod ofDay(LocalDate day) {
    return new BillingPeriod(day, day.plusDays(1));
  }

  /** Number of days in the period (at least 1). */
  public long days() {
    return FrequencyRule.days(start, endExclusive);
  }

  /** The last day, inclusive. */
  public LocalDate lastDay() {
    return endExclusive.minusDays(1);
  }

  public boolean contains(LocalDate date) {
    return !date.isBefore(start) && date.isBefore(endExclusive);
  }

  @Override
  public String toString() {
    return "[" + start + ", " + endExclusive + ")";
  }
}
