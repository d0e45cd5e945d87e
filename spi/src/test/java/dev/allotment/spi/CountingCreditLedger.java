package dev.allotment.spi;

import dev.allotment.core.Money;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A credit ledger that counts the postings that changed a balance (debits and credits applied,
 * not the "already posted" answers) into a counter the caller supplies, so several ledgers can
 * count into one. Everything else goes to the wrapped ledger; {@code debitAll} stays one call to
 * it, so a JDBC ledger keeps its bulk path.
 *
 * <p>Thread-safe when the wrapped ledger is.
 */
public final class CountingCreditLedger implements CreditLedger {
  private final CreditLedger delegate;
  private final AtomicInteger applied;

  public CountingCreditLedger(CreditLedger delegate, AtomicInteger applied) {
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
  public List<DebitResult> debitAll(List<CreditEntry> entries) {
    List<DebitResult> results = delegate.debitAll(entries);
    applied.addAndGet((int) results.stream().filter(r -> r == DebitResult.DEBITED).count());
    return results;
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
