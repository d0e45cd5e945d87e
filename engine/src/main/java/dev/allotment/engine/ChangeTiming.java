package dev.allotment.engine;

/** When a {@link PlanChange} takes effect. */
public enum ChangeTiming {
  /**
   * On the date given: the assignment ends the day before (under {@code PRORATED} the next run
   * credits the unused part of its period) and the successor starts with a prorated stub.
   */
  IMMEDIATE,
  /**
   * At the start of the assignment's first period beginning after the date given: no proration and
   * no adjustment.
   */
  NEXT_PERIOD
}
