package dev.allotment.core;

import java.util.Currency;

/**
 * The customer's spend over a period, package charges excluded, for minimum-spend true-ups.
 *
 * <p>Implementations must be deterministic for a given period once it has ended, so that a
 * simulation and the charge that follows agree.
 */
@FunctionalInterface
public interface SpendLookup {
  /** A lookup for hosts without spend data: every customer spent nothing. */
  SpendLookup NONE = (customerId, currency, period) -> Money.zero(currency);

  /**
   * The customer's spend over {@code period}, in {@code currency}.
   *
   * @return money in {@code currency}, zero or more
   */
  Money spend(String customerId, Currency currency, BillingPeriod period);
}
