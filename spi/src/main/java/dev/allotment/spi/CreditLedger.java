package dev.allotment.spi;

import dev.allotment.core.Money;
import java.util.Currency;
import java.util.Optional;

/**
 * Customers' credit: keyed debits and credits, and the balance per currency
 * (sum of credits minus sum of debits).
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Thread-safe.
 *   <li>Every entry is keyed; a key is applied at most once. Posting a held key again (as a debit
 *       or a credit) returns the "already" answer and changes nothing, whatever the amount; the
 *       caller compares with {@link #find} if it cares.
 *   <li>{@link #debit} with {@code onlyIfCovered} checks the balance and debits in one atomic step:
 *       concurrent debits can never take a balance below zero through this path.
 *   <li>Storage failures surface as unchecked exceptions; nothing is half-applied.
 * </ul>
 */
public interface CreditLedger {
  /** What a debit did. */
  enum DebitResult {
    /** The entry was applied. */
    DEBITED,
    /** The key was held already; nothing changed. */
    ALREADY_APPLIED,
    /** {@code onlyIfCovered} and the balance was below the amount; nothing changed. */
    INSUFFICIENT_CREDIT
  }

  /**
   * Debits the customer's credit.
   *
   * @param onlyIfCovered when true, refuse (and change nothing) unless balance >= amount
   */
  DebitResult debit(CreditEntry entry, boolean onlyIfCovered);

  /**
   * Debits every entry unconditionally, in order: the bulk form of {@code debit(entry, false)} that
   * a database-backed ledger can send as one batch. Each entry is still applied at most once.
   *
   * @return one result per entry, in order (never {@link DebitResult#INSUFFICIENT_CREDIT})
   */
  default java.util.List<DebitResult> debitAll(java.util.List<CreditEntry> entries) {
    java.util.List<DebitResult> results = new java.util.ArrayList<>(entries.size());
    for (CreditEntry entry : entries) {
      results.add(debit(entry, false));
    }
    return results;
  }

  /**
   * Credits the customer (top-up or refund).
   *
   * @return true if applied, false if the key was held already
   */
  boolean credit(CreditEntry entry);

  /** The customer's balance in {@code currency}; zero when nothing was posted. */
  Money balance(String customerId, Currency currency);

  /** The entry stored under {@code key}, and whether it was a debit. */
  Optional<Posting> find(String key);

  /**
   * A stored entry.
   *
   * @param entry the entry
   * @param debit true for a debit, false for a credit
   */
  record Posting(CreditEntry entry, boolean debit) {
    public Posting {
      java.util.Objects.requireNonNull(entry, "entry");
    }

    /** The entry's effect on the balance: negative for a debit. */
    public Money signedAmount() {
      return debit ? entry.amount().negate() : entry.amount();
    }
  }
}
