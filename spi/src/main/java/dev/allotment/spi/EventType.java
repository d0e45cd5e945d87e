package dev.allotment.spi;

/**
 * What a {@link BillingEvent} says happened. Each type names the effect it accompanies; the
 * documented JSON shape of each payload is in the user guide ({@code docs/guide/events.md}).
 *
 * <p>Immutable and thread-safe.
 */
public enum EventType {
  /** A line went into the journal (one per journal line). */
  LINE_CHARGED,
  /** A free-minute grant was issued (with its FREE_MINUTES line, or by the host). */
  GRANT_ISSUED,
  /**
   * A grant's validity or seconds changed with its GRANT_ADJUSTMENT line: an end date, a
   * suspension or a plan change cut it (or a later end date restored it; the figures then grow).
   */
  GRANT_CUT,
  /** A credit entry was posted by a run (a debit for a charge, a credit for an adjustment). */
  CREDIT_POSTED,
  /** A grant's remaining seconds fell to its package's {@code lowBalancePercent} of its allocation; once per grant. */
  GRANT_LOW,
  /** A grant's remaining seconds reached zero; once per grant. */
  GRANT_EXHAUSTED,
  /** A customer's balance in a currency fell below the host's threshold for it; once per crossing. */
  CREDIT_LOW,
  /** A line falls due within its package's {@code notificationDays}; once per line key. */
  CHARGE_UPCOMING,
  /**
   * An assignment was added or changed (assign, unassign, reinstate, own prices, change, suspend,
   * resume; one per stored version).
   */
  ASSIGNMENT_CHANGED,
  /**
   * A CHARGE could not bill an assignment (its planning failed, or the store refused its lines) and
   * went on without it; once per assignment and run date. Written after the run's last page, in a
   * unit of work of its own: nothing of the assignment was committed to go with it.
   */
  ASSIGNMENT_FAILED
}
