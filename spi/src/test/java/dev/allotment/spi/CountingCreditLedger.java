package dev.allotment.spi;

import dev.allotment.core.Money;
import java.util.Currency;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A split credit ledger that counts the entries that changed a balance (debits and credits
 * applied, not the "already applied" or "insufficient" answers) into a counter the caller
 * supplies, so several ledgers can count into one. Everything else goes to the wrapped ledger.
 *
 * <p>For the split-stores adapter, whose postings arrive here one by one; a {@link UnitOfWork}
 * posts inside its own commit, which no wrapper of the ledger sees (compare balances instead).
 *
 * <p>Thread-safe when the wrapped ledger is.
 */
public final class CountingCreditLedger implements SplitCreditLedger {
  private final SplitCreditLedger delegate;
  private final AtomicInteger applied;

  public CountingCreditLedger(SplitCreditLedger delegate, AtomicInteger applied) {
    this.delegate = delegate;
    this.applied = applied;
  }

  @Override
  public DebitResult debit(CreditEntry entry, boolean onlyIfCovered) {
    DebitResult result = delegate.debit(entry, onlyIfCovered);
    if (result == DebitResult.DEBITED) {
      applied.incrementAndGet();
    }
    return result;
  }

  @Override
  public boolean credit(CreditEntry entry) {
    boolean credited = delegate.credit(entry);
    if (credited) {
      applied.incrementAndGet();
    }
    return credited;
  }

  @Override
  public Money balance(String customerId, Currency currency) {
    return delegate.balance(customerId, currency);
  }

  @Override
  public Optional<Posting> find(String key) {
    return delegate.find(key);
  }
}
