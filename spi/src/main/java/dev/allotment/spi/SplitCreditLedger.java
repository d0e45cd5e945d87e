package dev.allotment.spi;

import java.util.Optional;

/**
 * A credit ledger that lives apart from the journal, for the engine's {@code SplitStores} adapter:
 * it debits entry by entry and lets the adapter read a key back, to repair an attempt that crashed
 * between its postings and its journal commit.
 *
 * <p>Contract (beyond {@link CreditLedger}'s): {@link #debit} with {@code onlyIfCovered} checks the
 * balance and debits in one atomic step, so concurrent debits never take a balance below zero
 * through it.
 */
public interface SplitCreditLedger extends CreditLedger {
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
   * @param entry the debit, keyed
   * @param onlyIfCovered when true, refuse (and change nothing) unless balance >= amount
   * @return what the debit did
   */
  DebitResult debit(CreditEntry entry, boolean onlyIfCovered);

  /**
   * The entry stored under {@code key}, and whether it was a debit.
   *
   * @param key the entry key
   * @return the posting, or empty when the key is not held
   */
  Optional<Posting> find(String key);
}
