package dev.allotment.engine;

import dev.allotment.core.AllotmentException;

/**
 * A redefinition of a package would change fields that reinterpret lines already charged
 * (currency, frequency, frequency match, month end, first period, minimum spend, types). Such a
 * change needs a new package id; prices, names, features, minimum days, destination and rounding
 * may change in place.
 */
public final class PackageChangeException extends AllotmentException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal naming the package and the field it would change.
   *
   * @param message the message
   */
  public PackageChangeException(String message) {
    super(message);
  }
}
