package dev.allotment.spi;

import dev.allotment.core.Ids;
import dev.allotment.core.Limits;
import dev.allotment.core.Money;
import dev.allotment.core.SpendQuery;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link SpendSource} fed by the host: it records spend per customer and day, and sums periods
 * on request. For demos, tests and hosts that push their rated usage into the library.
 *
 * <p>Thread-safe.
 */
public final class InMemorySpendSource implements SpendSource {
  private final Map<String, NavigableMap<LocalDate, Money>> byCustomer = new ConcurrentHashMap<>();

  /**
   * Adds {@code amount} to the customer's spend on {@code date}.
   *
   * @param customerId the customer
   * @param date the billing date of the spend
   * @param amount the amount, not negative
   * @throws IllegalArgumentException if the amount is negative or beyond {@link Limits#amount}, the customer
   *     id is not an {@link Ids id} or the date not a {@link Limits#date billing date}
   */
  public void record(String customerId, LocalDate date, Money amount) {
    Ids.require("customerId", customerId);
    Limits.date("date", date);
    Objects.requireNonNull(amount, "amount");
    Limits.amount("amount", amount.amount());
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must be >= 0, was " + amount);
    }
    byCustomer.computeIfAbsent(customerId, c -> new ConcurrentSkipListMap<>()).merge(date, amount, Money::plus);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when a customer's spend in a queried period is in another
   *     currency than the one asked for (this source does not convert)
   */
  @Override
  public Map<SpendQuery, Money> spend(Collection<SpendQuery> queries) {
    Objects.requireNonNull(queries, "queries");
    Map<SpendQuery, Money> answers = new HashMap<>();
    for (SpendQuery query : queries) {
      answers.put(query, sum(Objects.requireNonNull(query, "query")));
    }
    return answers;
  }

  private Money sum(SpendQuery query) {
    Money total = Money.zero(query.currency());
    NavigableMap<LocalDate, Money> days = byCustomer.get(query.customerId());
    if (days == null) {
      return total;
    }
    for (Money amount : days.subMap(query.period().start(), true, query.period().endExclusive(), false).values()) {
      if (!amount.currency().equals(query.currency())) {
        throw new IllegalArgumentException("spend of customer '" + query.customerId() + "' is in "
            + amount.currency().getCurrencyCode() + ", not " + query.currency().getCurrencyCode());
      }
      total = total.plus(amount);
    }
    return total;
  }
}
