package dev.allotment.engine;

import dev.allotment.core.ChargeLine;
import java.util.List;

/**
 * Where a CHARGE run hands the FREE_MINUTES lines it is about to journal, so the free-minute
 * ledger can create their grants. {@link PackageBilling} writes them to its
 * {@link FreeMinuteLedger}; tests replace the seam to observe or break it.
 *
 * <p>Called once per journal commit that holds FREE_MINUTES lines, with exactly those lines, and
 * always BEFORE that commit: a crash after the grants but before the journal makes the next run
 * plan the lines again, so implementations must be idempotent by line key (a key held is done).
 * Called from the thread running the run; implementations must be thread-safe when several runs
 * share them.
 */
@FunctionalInterface
interface GrantWriter {
  /**
   * Creates the grants of {@code freeMinuteLines} whose keys are not held yet; a grant held
   * already (left by an attempt that crashed before its journal entry) keeps its terms, and one
   * {@linkplain #revoke revoked} before is live again, with those terms.
   */
  void write(List<ChargeLine> freeMinuteLines);

  /**
   * Revokes the grants of FREE_MINUTES lines an earlier attempt wrote but never journaled, and
   * that the plan no longer holds: no call may use them any more. Idempotent.
   */
  default void revoke(List<ChargeLine> freeMinuteLines) {
    throw new UnsupportedOperationException("this grant writer cannot revoke " + freeMinuteLines.size() + " grants");
  }
}
