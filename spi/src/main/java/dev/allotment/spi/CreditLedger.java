package dev.allotment.spi;

import dev.allotment.core.Money;
import java.util.Currency;
import java.util.Objects;

/**
 * Customers' credit: keyed entries and the balance per currency (credits minus debits). Runs
 * debit it through the {@link UnitOfWork}; the host tops it up with {@link #credit}.
 *
 * <p>Contract for implementations: thread-safe; every entry is keyed and applied at most once,
 * whatever the amount of a repeat; storage failures surface as unchecked exceptions and leave
 * nothing half-applied.
 */
public interface CreditLedger {
  /**
   * Credits the customer (a top-up or a refund).
   *
   * @param entry the credit, keyed
   * @return true if applied, false if the key was held already (nothing changes)
   */
  boolean credit(CreditEntry entry);

  /**
   * The customer's balance in {@code currency}; zero when nothing was posted.
   *
   * @param customerId the customer
   * @param currency the currency
   * @return the balance, negative when debits exceed credits
   */
  Money balance(String customerId, Currency currency);

  /**
   * A keyed entry of a batch: a debit (a charge taken from credit) or a credit.
   *
   * <p>Immutable and thread-safe.
   *
   * @param entry the entry
   * @param debit true for a debit, false for a credit
   */
  record Posting(CreditEntry entry, boolean debit) {
    /**
     * Every component is required.
     *
     * @param entry the entry
     * @param debit true for a debit, false for a credit
     */
    public Posting {
      Objects.requireNonNull(entry, "entry");
    }

    /** {@return the entry's effect on the balance: negative for a debit} */
    public Money signedAmount() {
      return debit ? entry.amount().negate() : entry.amount();
    }
  }
}
