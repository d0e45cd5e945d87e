package dev.allotment.engine;

import dev.allotment.core.ChargeLine;
import java.util.List;

/**
 * Where a CHARGE run hands the FREE_MINUTES lines it is about to journal, so the free-minute
 * ledger can create their grants. The seam the free-minute ledger is wired into; until then the
 * default does nothing.
 *
 * <p>Called once per journal commit that holds FREE_MINUTES lines, with exactly those lines, and
 * always BEFORE that commit: a crash after the grants but before the journal makes the next run
 * plan the lines again, so implementations must be idempotent by line key (a key held is done).
 * Called from the thread running the run; implementations must be thread-safe when several runs
 * share them.
 */
@FunctionalInterface
interface GrantWriter {
  /** Does nothing: for hosts (and builds) without a free-minute ledger. */
  GrantWriter NONE = lines -> { };

  /** Creates the grants of {@code freeMinuteLines} whose keys are not held yet. */
  void write(List<ChargeLine> freeMinuteLines);
}
