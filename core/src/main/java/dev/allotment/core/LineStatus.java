package dev.allotment.core;

/** Where a line stands in a run. */
public enum LineStatus {
  /** Due and not yet in the journal: a simulation would charge it. */
  DUE,
  /** Committed by this run. */
  CHARGED,
  /** Already in the journal (shown for reference; never charged again). */
  ALREADY_CHARGED,
  /** Due, but the opt-in credit policy found too little credit; a later run charges it. */
  SKIPPED_NO_CREDIT
}
