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
  /** The difference when an already-charged RECURRING line's amount changes (a credit is negative). */
  ADJUSTMENT,
  /**
   * A charged FREE_MINUTES grant's new seconds and validity, when an end date, a suspension or a
   * plan change moved its period (no money): the store sets the grant to them, never below the
   * seconds already used.
   */
  GRANT_ADJUSTMENT;

  /** {@return true for the kinds that revise a charged line: ADJUSTMENT and GRANT_ADJUSTMENT} */
  public boolean isAdjustment() {
    return this == ADJUSTMENT || this == GRANT_ADJUSTMENT;
  }

  /** {@return the kind of the line an adjustment revises (RECURRING, FREE_MINUTES); this kind otherwise} */
  public LineKind adjusted() {
    return switch (this) {
      case ADJUSTMENT -> RECURRING;
      case GRANT_ADJUSTMENT -> FREE_MINUTES;
      default -> this;
    };
  }

  /** {@return the adjustment kind revising lines of this kind; empty for kinds never revised} */
  java.util.Optional<LineKind> adjustment() {
    return switch (this) {
      case RECURRING -> java.util.Optional.of(ADJUSTMENT);
      case FREE_MINUTES -> java.util.Optional.of(GRANT_ADJUSTMENT);
      default -> java.util.Optional.empty();
    };
  }
}
