package dev.allotment.core;

import java.util.Objects;

/**
 * The root of Allotment's domain refusals: the request was well-formed but the billing rules, or
 * the state of the stores, do not allow it. Bad arguments throw the JDK's
 * {@link IllegalArgumentException} and {@link NullPointerException} instead.
 */
public class AllotmentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal with a message saying what was refused and why.
   *
   * @param message the message
   */
  public AllotmentException(String message) {
    super(Objects.requireNonNull(message, "message"));
  }

  /**
   * A refusal caused by another failure.
   *
   * @param message the message
   * @param cause the failure
   */
  public AllotmentException(String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), Objects.requireNonNull(cause, "cause"));
  }
}
