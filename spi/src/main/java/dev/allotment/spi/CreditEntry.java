package dev.allotment.spi;

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
   * Checks the key (1..200 characters), the customer id, and that the amount is positive and rounded to its currency.
   *
   * @param key idempotency key; a line's debit uses the line key's text
   * @param customerId the customer
   * @param amount the amount moved, greater than zero
   */
  public CreditEntry {
    Objects.requireNonNull(key, "key");
    if (key.isBlank() || key.length() > 200) {
      throw new IllegalArgumentException("key must have 1..200 characters, was '" + key + "'");
    }
    Objects.requireNonNull(customerId, "customerId");
    if (customerId.isBlank()) {
      throw new IllegalArgumentException("customerId must not be blank, was '" + customerId + "'");
    }
    Objects.requireNonNull(amount, "amount");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("amount must be > 0, was " + amount);
    }
    if (!amount.isRounded()) {
      throw new IllegalArgumentException("amount must be rounded to the currency, was " + amount.amount().toPlainString());
    }
  }
}
