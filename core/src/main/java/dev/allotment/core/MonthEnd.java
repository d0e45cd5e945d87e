package dev.allotment.core;

/** What a MONTHLY match day does in a month that lacks it (29, 30 or 31). */
public enum MonthEnd {
  /** The day falls on the month's last day; two days clamped onto one date bill once. */
  CLAMP,
  /** The day is dropped for that month (RFC 5545 {@code BYMONTHDAY} semantics). */
  SKIP
}
