package dev.allotment.spi;

import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The grants of {@link InMemoryFreeMinuteStore}: each grant's used seconds (one compare-and-set
 * word), its balance, and a customer's grants as an immutable, ordered snapshot.
 *
 * <p>Thread-safety as each class says.
 */
final class InMemoryGrants {
  /** The order the allocator gets a customer's grants in: valid-from, then id. */
  static final Comparator<Balance> BALANCE_ORDER =
      Comparator.comparing((Balance b) -> b.grant.validFrom()).thenComparing(b -> b.grant.id());

  private InMemoryGrants() {}

  /** The used seconds of a grant: one word, changed only by compare-and-set. */
  static final class UsedSeconds {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(UsedSeconds.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") // accessed through VALUE
    private volatile long value;

    long get() {
      return value;
    }

    boolean compareAndSet(long expected, long updated) {
      return VALUE.compareAndSet(this, expected, updated);
    }

    void add(long delta) {
      VALUE.getAndAdd(this, delta);
    }
  }

  /**
   * One grant's terms and its used seconds. A grant whose terms are replaced gets a new balance
   * sharing the old one's {@link UsedSeconds}, so its used seconds may exceed a smaller new
   * allocation: nothing more is taken then, and what is reported is capped at the allocation.
   */
  static final class Balance {
    final Grant grant;
    private final long allocated;
    final UsedSeconds used;
    /** Set and cleared under the store's grant lock; a revoked grant neither gives nor takes back. */
    volatile boolean revoked;

    Balance(Grant grant, UsedSeconds used) {
      this.grant = grant;
      this.allocated = grant.allocatedSeconds();
      this.used = used;
    }

    /** Takes up to {@code seconds}; on a take, {@code after[0]} holds the used seconds right after it. */
    long take(long seconds, long[] after) {
      if (seconds == 0 || revoked) {
        return 0;
      }
      for (;;) {
        long before = used.get();
        long taken = Math.min(allocated - before, seconds);
        if (taken <= 0) {
          return 0;
        }
        if (used.compareAndSet(before, before + taken)) {
          if (revoked) {
            // Revoked between the check and the compare-and-set: the take did not happen.
            used.add(-taken);
            return 0;
          }
          after[0] = before + taken;
          return taken;
        }
      }
    }

    long giveBack(long seconds) {
      if (revoked) {
        return 0;
      }
      for (;;) {
        long before = used.get();
        long back = Math.min(before, seconds);
        if (back == 0) {
          return 0;
        }
        if (used.compareAndSet(before, before - back)) {
          return back;
        }
      }
    }

    GrantBalance snapshot() {
      return new GrantBalance(grant, Math.min(used.get(), allocated));
    }
  }

  /** A customer's grants, ordered by valid-from then id; replaced, never changed. */
  static final class CustomerGrants {
    static final CustomerGrants NONE = new CustomerGrants(new Balance[0]);

    final Balance[] balances;
    /** The grants of {@link #balances}, same order: finding a grant scans these references only. */
    private final Grant[] grantArray;
    final List<Grant> grants;

    private CustomerGrants(Balance[] balances) {
      this.balances = balances;
      this.grantArray = Arrays.stream(balances).map(b -> b.grant).toArray(Grant[]::new);
      this.grants = List.of(grantArray);
    }

    CustomerGrants without(Balance removed) {
      return new CustomerGrants(Arrays.stream(balances).filter(b -> b != removed).toArray(Balance[]::new));
    }

    CustomerGrants with(List<Balance> added) {
      Balance[] all = Arrays.copyOf(balances, balances.length + added.size());
      for (int i = 0; i < added.size(); i++) {
        all[balances.length + i] = added.get(i);
      }
      Arrays.sort(all, BALANCE_ORDER);
      return new CustomerGrants(all);
    }

    Balance find(Grant grant) {
      for (int i = 0; i < grantArray.length; i++) {
        if (grantArray[i] == grant) {
          return balances[i];
        }
      }
      for (int i = 0; i < grantArray.length; i++) {
        if (grantArray[i].equals(grant)) {
          return balances[i];
        }
      }
      return null;
    }
  }
}
