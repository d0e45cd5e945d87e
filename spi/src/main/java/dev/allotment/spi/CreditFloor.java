package dev.allotment.spi;

import dev.allotment.core.Money;
import java.util.Objects;

/**
 * A check a batch makes before it posts: the customer's balance in the floor's currency must be
 * at least {@code minimum}. The engine derives it from the batch's postings under
 * {@code ONLY_IF_COVERED}, so that every debit of the batch is covered when they are applied in
 * order; a store only compares.
 *
 * <p>Immutable and thread-safe.
 *
 * @param customerId the customer
 * @param minimum the smallest balance the batch needs, in the currency checked
 */
public record CreditFloor(String customerId, Money minimum) {
  /**
   * Checks that the customer id is not blank.
   *
   * @param customerId the customer
   * @param minimum the smallest balance the batch needs, in the currency checked
   */
  public CreditFloor {
    Objects.requireNonNull(customerId, "customerId");
    if (customerId.isBlank()) {
      throw new IllegalArgumentException("customerId must not be blank, was '" + customerId + "'");
    }
    Objects.requireNonNull(minimum, "minimum");
  }
}
