package dev.allotment.engine;

import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineKey;
import dev.allotment.core.Money;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.SplitCreditLedger;
import dev.allotment.spi.SplitFreeMinuteStore;
import dev.allotment.spi.SplitJournal;
import dev.allotment.spi.UsageAllocator;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Forwarders to the split stores that "crash" at the k-th write: before the write reaches the
 * store (nothing happened) or after it (the write happened, the process died before going on).
 * Writes are the journal's intend, abandon and commit, the ledger's debit and credit, and the
 * free-minute store's addGrants, reviseGrants and revokeGrant; reads pass through.
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
    private final Set<String> kinds = ConcurrentHashMap.newKeySet();

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

    /** The kinds of write seen (commit, intend, abandon, debit, credit, addGrants, revokeGrant). */
    Set<String> kinds() {
      return Set.copyOf(kinds);
    }

    /** Runs {@code write} as the next write, crashing around it if it is the k-th. */
    <T> T write(String what, Supplier<T> write) {
      int n = writes.incrementAndGet();
      kinds.add(what.split(" ")[0]);
      if (n == k && when == When.BEFORE) {
        throw new Crash("crash before write " + n + " (" + what + ")");
      }
      T result = write.get();
      if (n == k) {
        throw new Crash("crash after write " + n + " (" + what + ")");
      }
      return result;
    }

    void write(String what, Runnable write) {
      write(what, () -> {
        write.run();
        return null;
      });
    }
  }

  static class Journal implements SplitJournal {
    private final SplitJournal delegate;
    private final Trigger trigger;

    Journal(SplitJournal delegate, Trigger trigger) {
      this.delegate = delegate;
      this.trigger = trigger;
    }

    @Override
    public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
      return trigger.write("commit", () -> delegate.commit(lines, watermarks));
    }

    @Override
    public void intend(List<ChargeLine> lines) {
      trigger.write("intend", () -> delegate.intend(lines));
    }

    @Override
    public void abandon(Collection<LineKey> keys) {
      trigger.write("abandon", () -> delegate.abandon(keys));
    }

    @Override
    public Map<String, List<ChargeLine>> pending(Collection<String> assignmentIds) {
      return delegate.pending(assignmentIds);
    }

    @Override
    public Optional<ChargeLine> find(LineKey key) {
      return delegate.find(key);
    }

    @Override
    public Map<String, ChargeHistory> histories(Collection<HistoryRequest> requests) {
      return delegate.histories(requests);
    }

    @Override
    public List<ChargeLine> lines(String assignmentId) {
      return delegate.lines(assignmentId);
    }
  }

  static final class Ledger implements SplitCreditLedger {
    private final SplitCreditLedger delegate;
    private final Trigger trigger;

    Ledger(SplitCreditLedger delegate, Trigger trigger) {
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

  static class FreeMinutes implements SplitFreeMinuteStore {
    private final SplitFreeMinuteStore delegate;
    private final Trigger trigger;

    FreeMinutes(SplitFreeMinuteStore delegate, Trigger trigger) {
      this.delegate = delegate;
      this.trigger = trigger;
    }

    @Override
    public void addGrants(Collection<Grant> grants) {
      trigger.write("addGrants", () -> delegate.addGrants(grants));
    }

    @Override
    public void reviseGrants(Collection<GrantRevision> revisions) {
      trigger.write("reviseGrants", () -> delegate.reviseGrants(revisions));
    }

    @Override
    public boolean revokeGrant(String grantId) {
      return trigger.write("revokeGrant " + grantId, () -> delegate.revokeGrant(grantId));
    }

    @Override
    public Consumption consume(UsageRecord usage, UsageAllocator allocator) {
      return delegate.consume(usage, allocator);
    }

    @Override
    public Optional<Consumption> consumption(String usageId) {
      return delegate.consumption(usageId);
    }

    @Override
    public Optional<Refund> refund(String usageId, Instant at) {
      return delegate.refund(usageId, at);
    }

    @Override
    public List<GrantBalance> balances(String customerId, Instant at) {
      return delegate.balances(customerId, at);
    }
  }
}
