package dev.allotment.jdbc;

import dev.allotment.core.Money;
import dev.allotment.spi.SpendSource;
import java.time.LocalDate;

/**
 * A {@link SpendSource} over a table the host fills: each row is one keyed amount a customer spent
 * on a day (calls, services; package charges excluded). {@link #spend} sums the periods asked, a
 * page of them in one statement.
 *
 * <p>The host may call {@link #record} or insert rows into {@code allotment_spend} itself
 * ({@code entry_key, customer_id, spend_date, currency, amount}); the key makes a replayed record a
 * no-op, so a host feeding spend from a message queue never counts a call twice.
 *
 * <p>Contract: thread-safe; {@link #spend} answers zero for a period without spend and throws
 * {@link IllegalArgumentException} when a customer's spend in a period asked is in another currency
 * than the query's (this store does not convert); storage failures surface as unchecked exceptions.
 */
public interface SpendStore extends SpendSource {
  /**
   * Records that {@code customerId} spent {@code amount} on {@code date}, under {@code key}.
   *
   * @param key idempotency key, 1..200 characters
   * @param customerId the customer
   * @param date the billing date of the spend
   * @param amount the amount, not negative
   * @return true if recorded, false if the key was held already (nothing changes, whatever the amount)
   * @throws IllegalArgumentException if the amount is negative or beyond {@code Limits.amount}, the key or
   *     customer id is not of the {@code Ids} alphabet, or the date is not a billing date ({@code Limits.date})
   */
  boolean record(String key, String customerId, LocalDate date, Money amount);
}
