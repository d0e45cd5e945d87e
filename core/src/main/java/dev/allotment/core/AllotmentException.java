package dev.allotment.core;

/**
 * The root of Allotment's domain refusals: the request was well-formed but the billing rules, or
 * the state of the stores, do not allow it. Bad arguments throw the JDK's
 * {@link IllegalArgumentException} and {@link NullPointerException} instead.
 */
public class AllotmentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AllotmentException(String message) {
    super(message);
  }

  public AllotmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
