package dev.allotment.core;

import java.time.LocalDate;
import java.util.Objects;

/** An end date was set before the package's minimum days allow; the message names the first allowed date. */
public final class MinimumDaysException extends AllotmentException {
  private static final long serialVersionUID = 1L;
  private final transient LocalDate firstAllowedEndDate;

  /**
   * The refusal of {@code requestedEndDate}.
   *
   * @param assignmentId the assignment
   * @param requestedEndDate the end date refused
   * @param firstAllowedEndDate the earliest end date the package allows
   */
  public MinimumDaysException(String assignmentId, LocalDate requestedEndDate, LocalDate firstAllowedEndDate) {
    super("assignment '" + Objects.requireNonNull(assignmentId, "assignmentId") + "' cannot end on "
        + Objects.requireNonNull(requestedEndDate, "requestedEndDate")
        + ": the package's minimum days allow an end date on or after "
        + Objects.requireNonNull(firstAllowedEndDate, "firstAllowedEndDate"));
    this.firstAllowedEndDate = firstAllowedEndDate;
  }

  /** {@return the earliest end date the package allows} */
  public LocalDate firstAllowedEndDate() {
    return firstAllowedEndDate;
  }
}
