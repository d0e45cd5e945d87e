package dev.allotment.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One period of an assignment's schedule: the days billed, the whole rule period they belong to,
 * and whether the start (a stub) or the end date (a cut) shortened it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param period the billed days, within the assignment's [start, end]
 * @param wholePeriod the rule period [previous rule date, next rule date) containing them
 * @param stub true for the first period when the start is not a rule date
 * @param cut true when the end date ends the period before the next rule date
 */
public record BilledPeriod(BillingPeriod period, BillingPeriod wholePeriod, boolean stub, boolean cut) {
  /**
   * Checks that the billed days lie within the whole period.
   *
   * @param period the billed days, within the assignment's [start, end]
   * @param wholePeriod the rule period [previous rule date, next rule date) containing them
   * @param stub true for the first period when the start is not a rule date
   * @param cut true when the end date ends the period before the next rule date
   */
  public BilledPeriod {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(wholePeriod, "wholePeriod");
    if (period.start().isBefore(wholePeriod.start()) || period.endExclusive().isAfter(wholePeriod.endExclusive())) {
      throw new IllegalArgumentException("period " + period + " must lie within " + wholePeriod);
    }
  }

  /**
   * The share of the whole period this period bills under {@code policy}; empty when it bills
   * nothing (a stub under {@link FirstPeriod#FREE}). A stub is prorated only under PRORATED and a
   * cut only under PRORATED; everything else bills a whole period.
   *
   * @param policy the package's first-period rule
   * @return the share billed, or empty when nothing is billed
   */
  public Optional<Proration> proration(FirstPeriod policy) {
    Objects.requireNonNull(policy, "policy");
    if (stub && policy == FirstPeriod.FREE) {
      return Optional.empty();
    }
    if ((stub || cut) && policy == FirstPeriod.PRORATED) {
      return Optional.of(new Proration(period.days(), wholePeriod.days()));
    }
    return Optional.of(Proration.WHOLE);
  }
}
