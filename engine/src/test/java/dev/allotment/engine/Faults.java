package dev.allotment.engine;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.Money;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.ForwardingChargeJournal;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegating fakes that "crash" at the k-th write: before the write reaches the store (nothing
 * happened) or after it (the write happened, the process died before going on).
 */
final class Faults {
  private Faults() {}

  /** Where the crash happens relative to the k-th write. */
  enum When {
    BEFORE,
    AFTER
  }

  /** The simulated crash. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String message) {
      super(message);
    }
  }

  /** Counts writes and crashes at the k-th (k = 0: never). Thread-safe. */
  static final class Trigger {
    private final int k;
    private final When when;
    private final AtomicInteger writes = new AtomicInteger();

    Trigger(int k, When when) {
      this.k = k;
      this.when = when;
    }

    static Trigger never() {
      return new Trigger(0, When.BEFORE);
    }

    int writes() {
      return writes.get();
    }

    /** Runs {@code write} as the next write, crashing around it if it is the k-th. */
    <T> T write(String what, java.util.function.Supplier<T> write) {
      int n = writes.incrementAndGet();
      if (n == k && when == When.BEFORE) {
        throw new Crash("crash before write " + n + " (" + what + ")");
      }
      T result = write.get();
      if (n == k) {
        throw new Crash("crash after write " + n + " (" + what + ")");
      }
      return result;
    }
  }

  static final class Journal extends ForwardingChargeJournal {
    private final Trigger trigger;

    Journal(ChargeJournal delegate, Trigger trigger) {
      super(delegate);
      this.trigger = trigger;
    }

    @Override
    public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
      return trigger.write("journal", () -> delegate.commit(lines, watermarks));
    }

    @Override
    public void intend(List<ChargeLine> lines) {
      trigger.write("intend", () -> {
        delegate.intend(lines);
        return null;
      });
    }

    @Override
    public void abandon(Collection<LineKey> keys) {
      trigger.write("abandon", () -> {
        delegate.abandon(keys);
        return null;
      });
    }
  }

  /** Does not override {@code debitAll}: the default posts entry by entry, so a crash can hit mid-batch. */
  static final class Ledger implements CreditLedger {
    private final CreditLedger delegate;
    private final Trigger trigger;

    Ledger(CreditLedger delegate, Trigger trigger) {
      this.delegate = delegate;
      this.trigger = trigger;
    }

    @Override
    public DebitResult debit(CreditEntry entry, boolean onlyIfCovered) {
      return trigger.write("debit " + entry.key(), () -> delegate.debit(entry, onlyIfCovered));
    }

    @Override
    public boolean credit(CreditEntry entry) {
      return trigger.write("credit " + entry.key(), () -> delegate.credit(entry));
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

  static final class Grants implements GrantWriter {
    private final GrantWriter delegate;
    private final Trigger trigger;

    Grants(GrantWriter delegate, Trigger trigger) {
      this.delegate = delegate;
      this.trigger = trigger;
    }

    @Override
    public void write(List<ChargeLine> freeMinuteLines) {
      trigger.write("grants", () -> {
        delegate.write(freeMinuteLines);
        return null;
      });
    }

    @Override
    public void revoke(List<ChargeLine> freeMinuteLines) {
      trigger.write("revoke", () -> {
        delegate.revoke(freeMinuteLines);
        return null;
      });
    }
  }
}
