package dev.allotment.spi;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.Money;
import java.util.Currency;

/**
 * The customers' spend (calls, services; package charges excluded), which minimum-spend packages
 * true up against.
 *
 * <p>Contract for implementations: thread-safe; deterministic for a period that has ended (so a
 * simulation and the charge after it agree); returns money in the requested currency (zero when
 * the customer spent nothing), converting if the host bills in several currencies.
 */
@FunctionalInterface
public interface SpendSource {
  /** A source for hosts without minimum-spend packages: nobody spent anything. */
  SpendSource NONE = (customerId, currency, period) -> Money.zero(currency);

  /** The customer's spend over {@code period}, in {@code currency}. */
  Money spend(String customerId, Currency currency, BillingPeriod period);
}
