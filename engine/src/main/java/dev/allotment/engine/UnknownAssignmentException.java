package dev.allotment.engine;

import dev.allotment.core.AllotmentException;

/** An assignment id the assignment store does not hold. */
public final class UnknownAssignmentException extends AllotmentException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal naming the assignment id.
   *
   * @param message the message
   */
  public UnknownAssignmentException(String message) {
    super(message);
  }
}
