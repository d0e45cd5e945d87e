package dev.allotment.spi;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.InMemoryGrants.Balance;
import dev.allotment.spi.InMemoryGrants.CustomerGrants;
import dev.allotment.spi.InMemoryGrants.UsedSeconds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link FreeMinuteStore} in memory, for tests, demos and single-process hosts: the embedded
 * default's (see {@link InMemoryStores}), and a {@link SplitFreeMinuteStore} for the split-stores
 * adapter's tests.
 *
 * <p>Thread-safe, with no store-wide lock on the consumption path: each grant's used seconds is
 * one compare-and-set word; a customer's grants are an immutable snapshot, replaced when grants are
 * added; a call's unit of work runs inside {@link ConcurrentHashMap#computeIfAbsent} on its usage
 * id, which locks only the hash bin of that id (shared with the few ids that hash alike), so
 * concurrent consumptions of one id wait for the first and consume once. Grant additions are
 * serialised among themselves.
 *
 * <p>It keeps consumed calls to make replays idempotent: by default every call until it is
 * refunded, so its memory grows with the number of calls (about 200 bytes each); with a retention
 * window ({@link #InMemoryFreeMinuteStore(int, Duration)}) the calls of the latest window only, and
 * the grants that expired before it are dropped too. Nothing is persisted.
 */
public final class InMemoryFreeMinuteStore implements SplitFreeMinuteStore {
  private final ConcurrentHashMap<String, Balance> grants = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CustomerGrants> customers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Consumption> usages;
  /** Which calls are still held; null when every call is kept. */
  private final UsageRetention retention;
  /** What forgetting does with a forgotten call's id and with the window's start: made once, not per call. */
  private final Consumer<String> forgetCall = this::forgetCall;
  private final Consumer<Instant> dropExpiredGrants = this::dropGrantsExpiredBefore;
  /** Serialises grant additions (rare) so a batch is checked and added as a whole. */
  private final Object grantAdditions = new Object();
  /** Where consumptions write their events: the bundle's outbox once {@link InMemoryStores} takes this store. */
  private volatile InMemoryEventOutbox events = new InMemoryEventOutbox();
  private volatile boolean eventsBound;

  /** An empty store. */
  public InMemoryFreeMinuteStore() {
    this(16);
  }

  /**
   * An empty store whose usage table is sized for {@code expectedUsages} calls, sparing the
   * rehashing it otherwise goes through as it grows (noticeable at millions of calls).
   *
   * @param expectedUsages how many calls the store is expected to hold
   * @throws IllegalArgumentException when expectedUsages is negative
   */
  public InMemoryFreeMinuteStore(int expectedUsages) {
    this(expectedUsages, (UsageRetention) null);
  }

  /**
   * An empty store that holds the calls of a retention window only: a call is forgotten once a call
   * starting more than {@code retention} after it has been consumed (time is the calls' own, by
   * their start, to the minute), and a grant once its validity ended before the window. A replay
   * within the window is recognised as ever; a call starting before the window is refused with an
   * {@link IllegalArgumentException} (it may be the replay of a forgotten call), and
   * {@link #consumption}/{@link #refund} no longer find a forgotten call. Memory stays at the calls
   * of one window, whatever the traffic: set the window longer than the latest a switch may resend
   * a call.
   *
   * @param expectedUsages how many calls the store is expected to hold at once
   * @param retention the window, at least a minute
   * @throws IllegalArgumentException when expectedUsages is negative or the window shorter than a minute
   */
  public InMemoryFreeMinuteStore(int expectedUsages, Duration retention) {
    this(expectedUsages, new UsageRetention(Objects.requireNonNull(retention, "retention")));
  }

  private InMemoryFreeMinuteStore(int expectedUsages, UsageRetention retention) {
    if (expectedUsages < 0) {
      throw new IllegalArgumentException("expectedUsages must be >= 0, was " + expectedUsages);
    }
    this.usages = new ConcurrentHashMap<>(expectedUsages);
    this.retention = retention;
  }

  /** Adds {@code balances} to their customers' lists of grants serving calls (a new list each). Grant lock held. */
  private void list(List<Balance> balances) {
    Map<String, List<Balance>> byCustomer = new HashMap<>();
    for (Balance balance : balances) {
      byCustomer.computeIfAbsent(balance.grant.customerId(), c -> new ArrayList<>()).add(balance);
    }
    byCustomer.forEach((customerId, added) ->
        customers.put(customerId, customers.getOrDefault(customerId, CustomerGrants.NONE).with(added)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A held grant whose terms differ is replaced by one with the given terms and the used seconds
   * of the held one (at most the new allocation); takes racing the replacement give their seconds
   * back and find the new one on their next call.
   */
  @Override
  public void addGrants(Collection<Grant> grants) {
    add(grants, true);
  }

  /**
   * Makes consumptions write their events to {@code outbox}, a bundle's; once.
   *
   * @throws IllegalStateException when the store already writes to another bundle's outbox
   */
  synchronized void writeEventsTo(InMemoryEventOutbox outbox) {
    if (eventsBound && events != outbox) {
      throw new IllegalStateException("this free-minute store already writes its events to another InMemoryStores'"
          + " outbox: give each bundle a store of its own");
    }
    events = outbox;
    eventsBound = true;
  }

  /** {@return the outbox consumptions write their events to: the bundle's, in {@link InMemoryStores}} */
  public InMemoryEventOutbox events() {
    return events;
  }

  /** The unit of work's addition ({@link InMemoryStores}): a held id is left as it is, a revoked one serves again. */
  void addIfAbsent(Collection<Grant> grants) {
    add(grants, false);
  }

  private void add(Collection<Grant> grants, boolean takeTerms) {
    List<Grant> batch = List.copyOf(Objects.requireNonNull(grants, "grants"));
    synchronized (grantAdditions) {
      List<Balance> added = new ArrayList<>();
      Set<Balance> revived = new HashSet<>();
      for (Grant grant : batch) {
        Balance held = this.grants.get(grant.id());
        if (held == null) {
          Balance balance = new Balance(grant, new UsedSeconds());
          this.grants.put(grant.id(), balance);
          added.add(balance);
        } else if (takeTerms && !held.grant.equals(grant)) {
          if (!added.remove(held)) {
            unlist(held); // listed before this batch: calls may be taking from it right now
          }
          revived.remove(held);
          // The replacement shares the used seconds: a take racing on the old balance counts (or
          // undoes itself, once it sees the old one unlisted) on the very same word.
          Balance replacement = new Balance(grant, held.used);
          this.grants.put(grant.id(), replacement);
          added.add(replacement);
        } else if (held.revoked && revived.add(held)) {
          added.add(held);
        }
      }
      list(added);
      // Cleared once listed again: until then no call finds the grant, so none takes from it early.
      revived.forEach(balance -> balance.revoked = false);
    }
  }

  /** Stops a balance from serving calls and takes it off its customer's list. Under the grant lock. */
  private void unlist(Balance balance) {
    // Flag first: a take racing this sees the flag after its compare-and-set and gives back.
    balance.revoked = true;
    String customerId = balance.grant.customerId();
    customers.put(customerId, customers.getOrDefault(customerId, CustomerGrants.NONE).without(balance));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A revised grant's terms are swapped in as {@link #addGrants} swaps them, sharing the held
   * balance's used seconds; a revoked grant (only the split adapter revokes) is left as it is.
   */
  @Override
  public void reviseGrants(Collection<GrantRevision> revisions) {
    List<GrantRevision> batch = List.copyOf(Objects.requireNonNull(revisions, "revisions"));
    synchronized (grantAdditions) {
      add(revised(batch, Map.of()), true);
    }
  }

  /**
   * The held, unrevoked grants {@code revisions} revise, revised. Every revision is applied first, so
   * one its grant cannot take (ending before its start), a revoked grant's or, when none is held, one
   * of {@code adding} (the batch's grants, by id) included, is refused before anything is written.
   */
  List<Grant> revised(List<GrantRevision> revisions, Map<String, Grant> adding) {
    List<Grant> revised = new ArrayList<>(revisions.size());
    for (GrantRevision revision : revisions) {
      Balance held = grants.get(revision.grantId());
      Grant grant = held != null ? held.grant : adding.get(revision.grantId());
      if (grant != null) {
        Grant applied = revision.applyTo(grant, held != null ? held.used.get() : 0);
        if (held != null && !held.revoked) {
          revised.add(applied);
        }
      }
    }
    return revised;
  }

  @Override
  public boolean revokeGrant(String grantId) {
    Objects.requireNonNull(grantId, "grantId");
    synchronized (grantAdditions) {
      Balance balance = grants.get(grantId);
      if (balance == null || balance.revoked) {
        return false;
      }
      unlist(balance);
      return true;
    }
  }

  @Override
  public List<GrantBalance> balances(String customerId, Instant at) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(at, "at");
    CustomerGrants held = customers.getOrDefault(customerId, CustomerGrants.NONE);
    List<GrantBalance> balances = new ArrayList<>(held.balances.length);
    for (Balance balance : held.balances) {
      if (balance.grant.isValidAt(at)) {
        balances.add(balance.snapshot());
      }
    }
    return List.copyOf(balances);
  }

  @Override
  public Consumption consume(UsageRecord usage, UsageAllocator allocator) {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(allocator, "allocator");
    // A held id at the head of its bin is returned without locking; a new one locks only its bin
    // while its unit of work runs, so concurrent consumptions of that id wait and get its result.
    Consumption consumption = usages.computeIfAbsent(usage.usageId(), new UnitOfWork(usage, allocator));
    if (retention != null) {
      // Outside computeIfAbsent: forgetting removes from the very map it computes in.
      retention.forgetExpired(forgetCall, dropExpiredGrants);
    }
    return consumption;
  }

  private void forgetCall(String usageId) {
    usages.remove(usageId);
  }

  /** Drops the grants whose validity ended at or before {@code cutoff}: no call of the window can use them. */
  private void dropGrantsExpiredBefore(Instant cutoff) {
    synchronized (grantAdditions) {
      for (Balance balance : List.copyOf(grants.values())) {
        if (balance.grant.validUntil().filter(until -> !until.isAfter(cutoff)).isPresent()) {
          if (!balance.revoked) {
            unlist(balance);
          }
          grants.remove(balance.grant.id());
        }
      }
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

  private static long requireAmount(long seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("seconds must be >= 0, was " + seconds);
    }
    return seconds;
  }

  /** {@return how many consumed calls the store holds} */
  int heldUsages() {
    return usages.size();
  }

  /** {@return how many grants the store holds, revoked ones included} */
  int heldGrants() {
    return grants.size();
  }

  @Override
  public String toString() {
    return "InMemoryFreeMinuteStore[" + grants.size() + " grants, " + usages.size() + " usages"
        + (retention == null ? "" : ", retention " + retention.window()) + "]";
  }

  /**
   * One consumption of a new usage id: the function {@code computeIfAbsent} runs (while the id's bin
   * is locked) and the taker it hands the allocator. It remembers each positive take, so the result
   * can be checked against them and undone if anything fails. Confined to the consuming thread.
   */
  private final class UnitOfWork implements Function<String, Consumption>, GrantTaker {
    private final UsageRecord usage;
    private final UsageAllocator allocator;
    private CustomerGrants customer = CustomerGrants.NONE;
    // Most calls take from one grant: the first take lives in fields, further ones in arrays.
    private Balance firstFrom;
    private long first;
    private Balance[] moreFrom;
    private long[] more;
    /** The used seconds of each take's grant right after it, same layout as the takes. */
    private long firstAfter;
    private long[] moreAfter;
    private final long[] after = new long[1];
    private int count;
    private boolean open;

    UnitOfWork(UsageRecord usage, UsageAllocator allocator) {
      this.usage = usage;
      this.allocator = allocator;
    }

    @Override
    public Consumption apply(String usageId) {
      if (retention != null) {
        retention.admit(usage); // under the id's bin lock, as the removals of forgotten calls
      }
      customer = customers.getOrDefault(usage.customerId(), CustomerGrants.NONE);
      open = true;
      try {
        Consumption result = allocator.allocate(usage, customer.grants, this);
        open = false;
        Objects.requireNonNull(result, "the allocator's consumption");
        if (count > 0) {
          List<GrantBalance> takenFrom = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            takenFrom.add(new GrantBalance(from(i).grant, Math.min(usedAfter(i), from(i).grant.allocatedSeconds())));
          }
          // The last step of the unit of work: appending cannot fail, so the takes and the events stay together.
          InMemoryEventOutbox.appendIfAny(events, allocator.events(result, List.copyOf(takenFrom)));
        }
        if (retention != null) {
          retention.remember(usage);
        }
        return result;
      } catch (Throwable e) {
        // Any throwable, also a checked exception an allocator throws sneakily: no take may stay.
        open = false;
        undo();
        throw e;
      }
    }

    @Override
    public long take(Grant grant, long seconds) {
      Objects.requireNonNull(grant, "grant");
      if (!open) {
        throw new IllegalStateException("the taker of a consumption is only valid during it");
      }
      Balance balance = customer.find(grant);
      if (balance == null) {
        throw new IllegalArgumentException("grant '" + grant.id() + "' is not a grant of the call's customer");
      }
      long got = balance.take(requireAmount(seconds), after);
      if (got > 0) {
        remember(balance, got);
      }
      return got;
    }

    private void remember(Balance balance, long seconds) {
      if (count == 0) {
        firstFrom = balance;
        first = seconds;
        firstAfter = after[0];
      } else {
        if (moreFrom == null) {
          moreFrom = new Balance[Math.max(2, customer.balances.length)];
          more = new long[moreFrom.length];
          moreAfter = new long[moreFrom.length];
        } else if (count - 1 == moreFrom.length) {
          moreFrom = Arrays.copyOf(moreFrom, moreFrom.length * 2);
          more = Arrays.copyOf(more, more.length * 2);
          moreAfter = Arrays.copyOf(moreAfter, moreAfter.length * 2);
        }
        moreFrom[count - 1] = balance;
        more[count - 1] = seconds;
        moreAfter[count - 1] = after[0];
      }
      count++;
    }

    private Balance from(int i) {
      return i == 0 ? firstFrom : moreFrom[i - 1];
    }

    private long amount(int i) {
      return i == 0 ? first : more[i - 1];
    }

    private long usedAfter(int i) {
      return i == 0 ? firstAfter : moreAfter[i - 1];
    }

    private void undo() {
      for (int i = count - 1; i >= 0; i--) {
        from(i).giveBack(amount(i));
      }
      count = 0;
    }
  }
}
