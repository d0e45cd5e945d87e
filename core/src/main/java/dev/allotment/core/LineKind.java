package dev.allotment.core;

/** What a plan line charges or grants. The declaration order is the order within one due date. */
public enum LineKind {
  /** One-time price at the assignment's start. */
  SETUP,
  /** The price of one period, charged in advance at its start. */
  RECURRING,
  /** A free-minute grant valid over the period (no money). */
  FREE_MINUTES,
  /** The shortfall of the customer's spend over a period against the package's minimum, due at its end. */
  MINIMUM_SPEND,
  /** The difference when an already-charged line's amount changes (a credit is negative). */
  ADJUSTMENT
}
