package dev.allotment.core;

/** How often a package's recurring charge occurs. */
public enum Frequency {
  /** One-off: only the setup line (and, for free-minute packages, one grant at the start). */
  NONE,
  /** Every day from start to end. */
  DAILY,
  /** Every matched weekday; an empty match means the weekday of the assignment's start. */
  WEEKLY,
  /** Every matched day of month; an empty match means the start's day of month. */
  MONTHLY,
  /** Each anniversary of the assignment's start (29 February falls on 28 February in common years). */
  YEARLY
}
