package dev.allotment.engine;

/** What a run does with its plan. */
public enum RunMode {
  /** Report the plan; write nothing. */
  SIMULATE,
  /** Commit the plan (journal, credit, grants) and report it. */
  CHARGE
}
