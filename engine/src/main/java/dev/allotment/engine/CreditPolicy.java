package dev.allotment.engine;

/** What a CHARGE run does when an auto-decrement line costs more than the customer's credit. */
public enum CreditPolicy {
  /**
   * The default: debit anyway, so the balance may go negative. The source system's behaviour; a
   * debit limit is the host's business.
   */
  ALLOW_NEGATIVE,
  /**
   * Opt-in: debit a line only if the balance covers it. The first line that is not covered, and
   * every later due line of the same assignment, are reported
   * {@link dev.allotment.core.LineStatus#SKIPPED_NO_CREDIT} and not journaled, so the assignment's
   * journal stays a prefix of its plan; a later run charges them once credit exists.
   */
  ONLY_IF_COVERED
}
