package dev.allotment.engine;

import dev.allotment.core.Money;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A copy-on-write view of a real ledger for simulations: reads fall through to the real ledger,
 * writes stay in memory and are forgotten with the run. A simulation under
 * {@link CreditPolicy#ONLY_IF_COVERED} runs the very same posting code as a charge against this
 * view, so it predicts the same SKIPPED_NO_CREDIT lines (it starts from the real balances and
 * sees the keys earlier attempts left).
 *
 * <p>Not thread-safe; one per run.
 */
final class SimulatedCreditLedger implements CreditLedger {
  private final CreditLedger real;
  private final Map<String, Posting> posted = new HashMap<>();
  private final Map<String, Map<Currency, Money>> balances = new HashMap<>();

  SimulatedCreditLedger(CreditLedger real) {
    this.real = Objects.requireNonNull(real, "real");
  }

  @Override
  public DebitResult debit(CreditEntry entry, boolean onlyIfCovered) {
    if (find(entry.key()).isPresent()) {
      return DebitResult.ALREADY_APPLIED;
    }
    Money balance = balance(entry.customerId(), entry.amount().currency());
    if (onlyIfCovered && balance.compareTo(entry.amount()) < 0) {
      return DebitResult.INSUFFICIENT_CREDIT;
    }
    posted.put(entry.key(), new Posting(entry, true));
    balances.get(entry.customerId()).put(entry.amount().currency(), balance.minus(entry.amount()));
    return DebitResult.DEBITED;
  }

  @Override
  public boolean credit(CreditEntry entry) {
    if (find(entry.key()).isPresent()) {
      return false;
    }
    Money balance = balance(entry.customerId(), entry.amount().currency());
    posted.put(entry.key(), new Posting(entry, false));
    balances.get(entry.customerId()).put(entry.amount().currency(), balance.plus(entry.amount()));
    return true;
  }

  @Override
  public Money balance(String customerId, Currency currency) {
    return balances.computeIfAbsent(customerId, c -> new HashMap<>())
        .computeIfAbsent(currency, c -> real.balance(customerId, currency));
  }

  @Override
  public Optional<Posting> find(String key) {
    Posting mine = posted.get(key);
    return mine != null ? Optional.of(mine) : real.find(key);
  }
}
