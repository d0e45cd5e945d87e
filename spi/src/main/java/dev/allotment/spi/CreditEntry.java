package dev.allotment.spi;

import dev.allotment.core.Ids;
import dev.allotment.core.Limits;
import dev.allotment.core.Money;
import java.util.Objects;

/**
 * A keyed movement of a customer's credit: a debit (a charge taken from credit) or a credit (a
 * top-up or a refund), always a positive amount; the method called says which.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key idempotency key; a line's debit uses the line key's text
 * @param customerId the customer
 * @param amount the amount moved, greater than zero
 */
public record CreditEntry(String key, String customerId, Money amount) {
  /**
   * Checks the key (1..200 characters of the {@link Ids} alphabet, '/' and '#' allowed), the customer id, and that
   * the amount is positive, rounded to its currency and within {@link Limits#amount}.
   *
   * @param key idempotency key; a line's debit uses the line key's text
   * @param customerId the customer
   * @param amount the amount moved, greater than zero
   */
  public CreditEntry {
    Ids.requireKey("key", key, 200);
    Ids.require("customerId", customerId);
    Objects.requireNonNull(amount, "amount");
    Limits.amount("amount", amount.amount());
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("amount must be > 0, was " + amount);
    }
    if (!amount.isRounded()) {
      throw new IllegalArgumentException("amount must be rounded to the currency, was " + amount.amount().toPlainString());
    }
  }
}
