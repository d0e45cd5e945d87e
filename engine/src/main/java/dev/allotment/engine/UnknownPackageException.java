package dev.allotment.engine;

import dev.allotment.core.AllotmentException;

/** A package id the catalog does not hold. */
public final class UnknownPackageException extends AllotmentException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal naming the package id.
   *
   * @param message the message
   */
  public UnknownPackageException(String message) {
    super(message);
  }
}
