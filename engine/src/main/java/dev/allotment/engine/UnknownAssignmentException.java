package dev.allotment.engine;

import dev.allotment.core.AllotmentException;

/** An assignment id the assignment store does not hold. */
public final class UnknownAssignmentException extends AllotmentException {
  private static final long serialVersionUID = 1L;

  public UnknownAssignmentException(String message) {
    super(message);
  }
}
