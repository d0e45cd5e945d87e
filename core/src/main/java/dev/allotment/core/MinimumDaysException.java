package dev.allotment.core;

import java.time.LocalDate;

/** An end date was set before the package's minimum days allow; the message names the first allowed date. */
public final class MinimumDaysException extends AllotmentException {
  private static final long serialVersionUID = 1L;
  private final transient LocalDate firstAllowedEndDate;

  public MinimumDaysException(String assignmentId, LocalDate requestedEndDate, LocalDate firstAllowedEndDate) {
    super("assignment '" + assignmentId + "' cannot end on " + requestedEndDate
        + ": the package's minimum days allow an end date on or after " + firstAllowedEndDate);
    this.firstAllowedEndDate = firstAllowedEndDate;
  }

  /** The earliest end date the package allows. */
  public LocalDate firstAllowedEndDate() {
    return firstAllowedEndDate;
  }
}
