package dev.allotment.spi;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FreeMinuteStore} in memory, for tests, demos and single-process hosts.
 *
 * <p>Thread-safe and lock-free on the consumption path: each grant's used seconds is one
 * compare-and-set word; a customer's grants are an immutable snapshot replaced when grants are
 * added; a call's unit of work runs inside {@link ConcurrentHashMap#computeIfAbsent} on its usage
 * id, which makes concurrent consumptions of one id wait for the first and consume once.
 *
 * <p>It keeps every consumed call until it is refunded (that is what makes replays idempotent),
 * so its memory grows with the number of calls; nothing is persisted.
 */
public final class InMemoryFreeMinuteStore implements FreeMinuteStore {
  private static final Comparator<Balance> BALANCE_ORDER =
      Comparator.comparing((Balance b) -> b.grant.validFrom()).thenComparing(b -> b.grant.id());

  private final ConcurrentHashMap<String, Balance> grants = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CustomerGrants> customers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Consumption> usages = new ConcurrentHashMap<>();
  /** Serialises grant additions (rare) so a batch is checked and added as a whole. */
  private final Object grantAdditions = new Object();

  /** An empty store. */
  public InMemoryFreeMinuteStore() {}

  @Override
  public void addGrants(Collection<Grant> grants) {
    List<Grant> batch = List.copyOf(Objects.requireNonNull(grants, "grants"));
    synchronized (grantAdditions) {
      Map<String, Grant> fresh = new LinkedHashMap<>();
      for (Grant grant : batch) {
        Balance held = this.grants.get(grant.id());
        Grant known = held != null ? held.grant : fresh.get(grant.id());
        if (known == null) {
          fresh.put(grant.id(), grant);
        } else if (!known.equals(grant)) {
          throw new IllegalArgumentException("grant '" + grant.id() + "' is already held with different content: held "
              + known + ", added " + grant);
        }
      }
      Map<String, List<Balance>> byCustomer = new HashMap<>();
      for (Grant grant : fresh.values()) {
        Balance balance = new Balance(grant);
        this.grants.put(grant.id(), balance);
        byCustomer.computeIfAbsent(grant.customerId(), c -> new ArrayList<>()).add(balance);
      }
      byCustomer.forEach((customerId, added) ->
          customers.put(customerId, customers.getOrDefault(customerId, CustomerGrants.NONE).with(added)));
    }
  }

  @Override
  public List<GrantBalance> balances(String customerId) {
    Objects.requireNonNull(customerId, "customerId");
    CustomerGrants held = customers.getOrDefault(customerId, CustomerGrants.NONE);
    List<GrantBalance> balances = new ArrayList<>(held.balances.length);
    for (Balance balance : held.balances) {
      balances.add(balance.snapshot());
    }
    return List.copyOf(balances);
  }

  @Override
  public Optional<GrantBalance> balance(String grantId) {
    Objects.requireNonNull(grantId, "grantId");
    Balance balance = grants.get(grantId);
    return balance == null ? Optional.empty() : Optional.of(balance.snapshot());
  }

  @Override
  public long take(String grantId, long seconds) {
    return held(grantId).take(requireAmount(seconds));
  }

  @Override
  public long giveBack(String grantId, long seconds) {
    return held(grantId).giveBack(requireAmount(seconds));
  }

  @Override
  public Consumption consume(UsageRecord usage, UsageAllocator allocator) {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(allocator, "allocator");
    // Replays skip the bin lock computeIfAbsent takes.
    Consumption held = usages.get(usage.usageId());
    if (held != null) {
      return held;
    }
    return usages.computeIfAbsent(usage.usageId(), id -> allocate(usage, allocator));
  }

  /** The unit of work of a new usage id; runs while the id's map bin is locked. */
  private Consumption allocate(UsageRecord usage, UsageAllocator allocator) {
    CustomerGrants customer = customers.getOrDefault(usage.customerId(), CustomerGrants.NONE);
    UnitOfWork work = new UnitOfWork(customer);
    try {
      Consumption result = allocator.allocate(usage, customer.grants, work);
      work.close();
      work.check(usage, result);
      return result;
    } catch (RuntimeException | Error e) {
      work.close();
      work.undo();
      throw e;
    }
  }

  @Override
  public Optional<Consumption> consumption(String usageId) {
    Objects.requireNonNull(usageId, "usageId");
    return Optional.ofNullable(usages.get(usageId));
  }

  @Override
  public Optional<Refund> refund(String usageId, Instant at) {
    Objects.requireNonNull(usageId, "usageId");
    Objects.requireNonNull(at, "at");
    Refund[] refunded = new Refund[1];
    // Under the id's bin lock, so a concurrent consume or refund of the same id waits for this one.
    usages.computeIfPresent(usageId, (id, consumption) -> {
      List<GrantSeconds> returned = new ArrayList<>(consumption.takes().size());
      for (GrantSeconds take : consumption.takes()) {
        Balance balance = grants.get(take.grantId());
        if (balance != null && balance.grant.isValidAt(at)) {
          long back = balance.giveBack(take.seconds());
          if (back > 0) {
            returned.add(new GrantSeconds(take.grantId(), back));
          }
        }
      }
      refunded[0] = new Refund(consumption, at, returned);
      return null;
    });
    return Optional.ofNullable(refunded[0]);
  }

  private Balance held(String grantId) {
    Objects.requireNonNull(grantId, "grantId");
    Balance balance = grants.get(grantId);
    if (balance == null) {
      throw new IllegalArgumentException("grantId names no grant held: '" + grantId + "'");
    }
    return balance;
  }

  private static long requireAmount(long seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("seconds must be >= 0, was " + seconds);
    }
    return seconds;
  }

  @Override
  public String toString() {
    return "InMemoryFreeMinuteStore[" + grants.size() + " grants, " + usages.size() + " usages]";
  }

  /** One grant and its used seconds, changed only by compare-and-set. */
  private static final class Balance {
    private static final VarHandle USED;

    static {
      try {
        USED = MethodHandles.lookup().findVarHandle(Balance.class, "used", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Grant grant;
    private final long allocated;
    @SuppressWarnings("unused") // accessed through USED
    private volatile long used;

    Balance(Grant grant) {
      this.grant = grant;
      this.allocated = grant.allocatedSeconds();
    }

    long take(long seconds) {
      if (seconds == 0) {
        return 0;
      }
      for (;;) {
        long before = used;
        long taken = Math.min(allocated - before, seconds);
        if (taken <= 0) {
          return 0;
        }
        if (USED.compareAndSet(this, before, before + taken)) {
          return taken;
        }
      }
    }

    long giveBack(long seconds) {
      for (;;) {
        long before = used;
        long back = Math.min(before, seconds);
        if (back == 0) {
          return 0;
        }
        if (USED.compareAndSet(this, before, before - back)) {
          return back;
        }
      }
    }

    GrantBalance snapshot() {
      return new GrantBalance(grant, used);
    }
  }

  /** A customer's grants, ordered by valid-from then id; replaced, never changed. */
  private static final class CustomerGrants {
    static final CustomerGrants NONE = new CustomerGrants(new Balance[0]);

    final Balance[] balances;
    final List<Grant> grants;

    private CustomerGrants(Balance[] balances) {
      this.balances = balances;
      this.grants = Arrays.stream(balances).map(b -> b.grant).toList();
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
      for (Balance balance : balances) {
        if (balance.grant == grant) {
          return balance;
        }
      }
      for (Balance balance : balances) {
        if (balance.grant.equals(grant)) {
          return balance;
        }
      }
      return null;
    }
  }

  /**
   * The taker of one consumption: takes from the customer's grants and remembers each positive
   * take, so the result can be checked against them and undone if anything fails. Confined to the
   * consuming thread.
   */
  private static final class UnitOfWork implements GrantTaker {
    private final CustomerGrants customer;
    private Balance[] takenFrom = new Balance[2];
    private long[] taken = new long[2];
    private int count;
    private boolean closed;

    UnitOfWork(CustomerGrants customer) {
      this.customer = customer;
    }

    @Override
    public long take(Grant grant, long seconds) {
      Objects.requireNonNull(grant, "grant");
      if (closed) {
        throw new IllegalStateException("the taker of a consumption is only valid during it");
      }
      Balance balance = customer.find(grant);
      if (balance == null) {
        throw new IllegalArgumentException("grant '" + grant.id() + "' is not a grant of the call's customer");
      }
      long got = balance.take(requireAmount(seconds));
      if (got > 0) {
        if (count == takenFrom.length) {
          takenFrom = Arrays.copyOf(takenFrom, count * 2);
          taken = Arrays.copyOf(taken, count * 2);
        }
        takenFrom[count] = balance;
        taken[count++] = got;
      }
      return got;
    }

    void close() {
      closed = true;
    }

    void check(UsageRecord usage, Consumption result) {
      if (result == null || !usage.equals(result.usage())) {
        throw new IllegalStateException("allocator must return a consumption of usage '" + usage.usageId()
            + "', returned " + result);
      }
      List<GrantSeconds> takes = result.takes();
      boolean same = takes.size() == count;
      for (int i = 0; same && i < count; i++) {
        GrantSeconds take = takes.get(i);
        same = take.seconds() == taken[i] && take.grantId().equals(takenFrom[i].grant.id());
      }
      if (!same) {
        List<GrantSeconds> actual = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          actual.add(new GrantSeconds(takenFrom[i].grant.id(), taken[i]));
        }
        throw new IllegalStateException("allocator result for usage '" + usage.usageId() + "' lists " + takes
            + " but took " + actual);
      }
    }

    void undo() {
      for (int i = count - 1; i >= 0; i--) {
        takenFrom[i].giveBack(taken[i]);
      }
      count = 0;
    }
  }
}
