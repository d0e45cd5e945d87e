package dev.allotment.spi;

import dev.allotment.core.Money;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CreditLedger} in memory: the embedded default's (see {@link InMemoryStores}), and a
 * {@link SplitCreditLedger} for the split-stores adapter's tests.
 *
 * <p>Thread-safe: each customer's balances sit behind that customer's own lock, which makes
 * "check the balance, then debit" atomic for {@code onlyIfCovered}; keys are claimed in one map
 * under the same lock, so an entry is applied at most once.
 */
public final class InMemoryCreditLedger implements SplitCreditLedger {
  private final Map<String, Posting> byKey = new ConcurrentHashMap<>();
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();

  /** One customer's balances per currency. Guarded by itself. */
  private static final class Account {
    final Map<Currency, Money> balances = new java.util.HashMap<>();

    Money balance(Currency currency) {
      return balances.getOrDefault(currency, Money.zero(currency));
    }
  }

  @Override
  public DebitResult debit(CreditEntry entry, boolean onlyIfCovered) {
    Objects.requireNonNull(entry, "entry");
    Account account = account(entry.customerId());
    synchronized (account) {
      if (byKey.containsKey(entry.key())) {
        return DebitResult.ALREADY_APPLIED;
      }
      Money balance = account.balance(entry.amount().currency());
      if (onlyIfCovered && balance.compareTo(entry.amount()) < 0) {
        return DebitResult.INSUFFICIENT_CREDIT;
      }
      if (byKey.putIfAbsent(entry.key(), new Posting(entry, true)) != null) {
        return DebitResult.ALREADY_APPLIED; // the same key under another customer's lock
      }
      account.balances.put(entry.amount().currency(), balance.minus(entry.amount()));
      return DebitResult.DEBITED;
    }
  }

  @Override
  public boolean credit(CreditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    Account account = account(entry.customerId());
    synchronized (account) {
      if (byKey.putIfAbsent(entry.key(), new Posting(entry, false)) != null) {
        return false;
      }
      account.balances.merge(entry.amount().currency(), entry.amount(), Money::plus);
      return true;
    }
  }

  /**
   * Applies a posting of a batch: a debit without coverage check, or a credit; a held key changes
   * nothing. Returns the balance before and after, read under the account's lock with the posting,
   * or null when the key was held.
   */
  Money[] post(Posting posting) {
    CreditEntry entry = posting.entry();
    Account account = account(entry.customerId());
    synchronized (account) {
      Money before = account.balance(entry.amount().currency());
      boolean applied = posting.debit() ? debit(entry, false) == DebitResult.DEBITED : credit(entry);
      return applied ? new Money[] {before, account.balance(entry.amount().currency())} : null;
    }
  }

  @Override
  public Money balance(String customerId, Currency currency) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(currency, "currency");
    Account account = accounts.get(customerId);
    if (account == null) {
      return Money.zero(currency);
    }
    synchronized (account) {
      return account.balance(currency);
    }
  }

  @Override
  public Optional<Posting> find(String key) {
    Objects.requireNonNull(key, "key");
    return Optional.ofNullable(byKey.get(key));
  }

  private Account account(String customerId) {
    return accounts.computeIfAbsent(customerId, c -> new Account());
  }
}
