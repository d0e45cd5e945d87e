package dev.allotment.spi;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.Money;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link SpendSource} fed by the host: it records spend per customer and day, and sums a period
 * on request. For demos, tests and hosts that push their rated usage into the library.
 *
 * <p>Thread-safe.
 */
public final class InMemorySpendSource implements SpendSource {
  private final Map<String, NavigableMap<LocalDate, Money>> byCustomer = new ConcurrentHashMap<>();

  /**
   * Adds {@code amount} to the customer's spend on {@code date}.
   *
   * @throws IllegalArgumentException if the amount is negative, or in another currency than the
   *     customer's earlier spend on that day
   */
  public void record(String customerId, LocalDate date, Money amount) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must be >= 0, was " + amount);
    }
    byCustomer.computeIfAbsent(customerId, c -> new ConcurrentSkipListMap<>()).merge(date, amount, Money::plus);
  }

  @Override
  public Money spend(String customerId, Currency currency, BillingPeriod period) {
    Money total = Money.zero(currency);
    NavigableMap<LocalDate, Money> days = byCustomer.get(customerId);
    if (days == null) {
      return total;
    }
    for (Money amount : days.subMap(period.start(), true, period.endExclusive(), false).values()) {
      if (!amount.currency().equals(currency)) {
        throw new IllegalArgumentException("spend of customer '" + customerId + "' is in "
            + amount.currency().getCurrencyCode() + ", not " + currency.getCurrencyCode());
      }
      total = total.plus(amount);
    }
    return total;
  }
}
