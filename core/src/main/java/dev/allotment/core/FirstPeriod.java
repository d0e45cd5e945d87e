package dev.allotment.core;

/**
 * How the stub between an assignment's start and its first occurrence is billed, and whether an
 * end date that cuts the last period prorates it.
 */
public enum FirstPeriod {
  /** The stub, and a period cut by the end date, cost its share of days of the whole period. */
  PRORATED,
  /** The stub costs a whole period; a cut last period is not prorated. */
  FULL,
  /** The stub costs nothing and grants nothing; a cut last period is not prorated. */
  FREE
}
