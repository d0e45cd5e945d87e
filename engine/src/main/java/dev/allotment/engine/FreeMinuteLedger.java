package dev.allotment.engine;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.FreeMinuteRules;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.Limits;
import dev.allotment.core.Refund;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.BillingClock;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.UnitOfWork;
import dev.allotment.spi.UsageAllocator;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * The free-minute ledger: what a soft-switch calls for every call, to learn how much of it free
 * minutes cover.
 *
 * <p>Consumption follows {@link FreeMinuteRules}: eligible grants (valid at the call's start, of
 * the call's DID or customer-level, destination matching), longest matching prefix first, then
 * earliest expiry, then oldest; the call rounded up to the increment of the first eligible grant;
 * the rest uncovered, for the host to rate at its normal price.
 *
 * <p><b>Idempotency.</b> A call is identified by its usage id. Reporting it again with the same
 * content returns the first result and consumes nothing; reporting the id with different content
 * throws {@link UsageConflictException} and changes nothing. A customer without grants (or whose
 * grants do not serve the call) gets everything uncovered, and that result is recorded like any
 * other, so a replay returns it even after grants are added later. Malformed records cannot be
 * built ({@link UsageRecord} validates), so they never reach the ledger.
 *
 * <p><b>Refunds.</b> {@link #refund(String)} gives the call's seconds back to each grant it took
 * from that is still valid now (the clock's instant); seconds of grants that have ended lapse. The
 * usage id is then forgotten: a second refund finds nothing, and reporting the call again consumes
 * it afresh.
 *
 * <p>Thread-safe: all state is in the {@link FreeMinuteStore}, whose taker keeps every grant
 * within {@code 0..allocated} under any number of concurrent callers. The consumption rules check
 * what the store's taker returns (never negative, never more than asked), once, for every store.
 */
public final class FreeMinuteLedger {
  /** The rules of {@link FreeMinuteRules#allocate}, which check every take the store's taker reports. */
  private static final UsageAllocator RULES = FreeMinuteRules::allocate;

  private final FreeMinuteStore store;
  private final UnitOfWork unitOfWork;
  private final BillingClock clock;
  /** Null when the ledger writes no events (see {@link #of}). */
  private final EventFeed events;

  private FreeMinuteLedger(FreeMinuteStore store, UnitOfWork unitOfWork, BillingClock clock, EventFeed events) {
    this.store = store;
    this.unitOfWork = unitOfWork;
    this.clock = clock;
    this.events = events;
  }

  /**
   * A ledger over {@code store}, adding grants through {@code unitOfWork}; {@code clock} gives the
   * billing zone and the time of refunds. It writes no events; the ledger of
   * {@link PackageBilling#freeMinutes()} writes them as its engine does.
   *
   * @param store the free-minute store
   * @param unitOfWork the unit of work grants are added through (the bundle's)
   * @param clock the billing clock
   * @return the ledger
   */
  public static FreeMinuteLedger of(FreeMinuteStore store, UnitOfWork unitOfWork, BillingClock clock) {
    return new FreeMinuteLedger(Objects.requireNonNull(store, "store"), Objects.requireNonNull(unitOfWork,
        "unitOfWork"), Objects.requireNonNull(clock, "clock"), null);
  }

  /** The ledger of an engine: with events when its feed writes them. */
  static FreeMinuteLedger of(FreeMinuteStore store, UnitOfWork unitOfWork, BillingClock clock, EventFeed events) {
    return new FreeMinuteLedger(store, unitOfWork, clock, events.enabled() ? events : null);
  }

  /**
   * Adds grants of the host's own, all or none, in one unit of work; a grant whose id is held is left as it is.
   *
   * @param grants the grants
   */
  public void addGrants(Collection<Grant> grants) {
    List<Grant> all = List.copyOf(grants);
    if (events == null) {
      unitOfWork.commit(ChargeBatch.ofGrants(all));
      return;
    }
    Instant now = events.now();
    List<BillingEvent> issued = all.stream().map(grant -> EventFactory.grantIssued(grant, now)).toList();
    unitOfWork.commit(ChargeBatch.builder().grants(all).events(issued).build());
    events.committed(issued);
  }

  /**
   * Adds the grant of a charged {@code FREE_MINUTES} line, its validity taken in the clock's billing
   * zone (see {@link Grant#of}), and returns it. Idempotent like {@link #addGrants}.
   *
   * @param line a charged FREE_MINUTES line
   * @param servicePackage the line's package
   * @return the grant
   * @throws IllegalArgumentException when the line is not a FREE_MINUTES line of the package
   */
  public Grant grant(ChargeLine line, ServicePackage servicePackage) {
    Grant grant = Grant.of(line, servicePackage, clock.zone());
    addGrants(List.of(grant));
    return grant;
  }

  /**
   * Consumes a call: takes free seconds for it and says how much is covered.
   *
   * @param usage the call
   * @return the consumption (the first one recorded, for a replay)
   * @throws UsageConflictException when the usage id is held for a different call; nothing changes
   */
  public Consumption consume(UsageRecord usage) {
    Objects.requireNonNull(usage, "usage");
    if (events == null) {
      return checked(store.consume(usage, RULES), usage);
    }
    ThresholdEvents allocator = new ThresholdEvents(events.now());
    Consumption result = checked(store.consume(usage, allocator), usage);
    events.committed(allocator.written);
    return result;
  }

  /**
   * Consumes a batch of calls, as a switch reporting a stream of calls would: each as
   * {@link #consume} would, idempotent by usage id, in the order given. On the JDBC stores the batch
   * is one transaction (all recorded or none); the default of a store consumes the calls one by one.
   *
   * @param usages the calls, with distinct usage ids, at most {@link FreeMinuteStore#MAX_BATCH}
   * @return each call's consumption (the first one recorded, for a replay), in the order given
   * @throws IllegalArgumentException naming a usage id given twice, or the size; nothing is consumed
   * @throws UsageConflictException when a usage id is held for a different call (with a store that
   *     consumes the batch in one unit of work, nothing of the batch is consumed then)
   */
  public List<Consumption> consumeAll(List<UsageRecord> usages) {
    FreeMinuteStore.checkBatch(usages);
    BatchThresholdEvents allocator = new BatchThresholdEvents(events == null ? null : events.now());
    List<Consumption> results = store.consumeAll(List.copyOf(usages), allocator);
    if (results.size() != usages.size()) {
      throw new IllegalStateException("the store returned " + results.size() + " consumptions for " + usages.size()
          + " calls");
    }
    for (int i = 0; i < usages.size(); i++) {
      checked(results.get(i), usages.get(i));
    }
    if (events != null) {
      events.committed(allocator.written());
    }
    return results;
  }

  private static Consumption checked(Consumption result, UsageRecord usage) {
    if (!result.usage().equals(usage)) {
      throw new UsageConflictException(result.usage(), usage);
    }
    return result;
  }

  /**
   * The rules, and the {@code GRANT_LOW} and {@code GRANT_EXHAUSTED} events of what they took, which
   * the store writes in the call's unit of work. Remembers the events of its last unit of work (a
   * store may run it again after a conflict), for the listeners. Confined to one call.
   */
  private static final class ThresholdEvents implements UsageAllocator {
    private final Instant at;
    private List<BillingEvent> written = List.of();

    ThresholdEvents(Instant at) {
      this.at = at;
    }

    @Override
    public Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker) {
      written = List.of();
      return RULES.allocate(usage, grants, taker);
    }

    @Override
    public List<BillingEvent> events(Consumption consumption, List<GrantBalance> takenFrom) {
      written = EventFactory.grantThresholds(consumption, takenFrom, at);
      return written;
    }
  }

  /**
   * The rules and the threshold events of a batch: the events of each new call, kept by usage id.
   * A store that retries its unit of work allocates the batch's first new call again, which starts
   * the events afresh. Confined to one batch.
   */
  private static final class BatchThresholdEvents implements UsageAllocator {
    private final Instant at;
    private final Map<String, List<BillingEvent>> byUsage = new LinkedHashMap<>();

    BatchThresholdEvents(Instant at) {
      this.at = at;
    }

    @Override
    public Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker) {
      if (byUsage.containsKey(usage.usageId())) {
        byUsage.clear(); // this call was allocated in an attempt that did not commit
      }
      byUsage.put(usage.usageId(), List.of());
      return RULES.allocate(usage, grants, taker);
    }

    @Override
    public List<BillingEvent> events(Consumption consumption, List<GrantBalance> takenFrom) {
      if (at == null) {
        return List.of();
      }
      List<BillingEvent> events = EventFactory.grantThresholds(consumption, takenFrom, at);
      byUsage.put(consumption.usageId(), events);
      return events;
    }

    List<BillingEvent> written() {
      List<BillingEvent> all = new ArrayList<>();
      byUsage.values().forEach(all::addAll);
      return all;
    }
  }

  /**
   * The consumption recorded for a usage id, if any.
   *
   * @param usageId the usage id
   * @return the consumption, or empty when the id is not held
   */
  public Optional<Consumption> consumption(String usageId) {
    return store.consumption(Objects.requireNonNull(usageId, "usageId"));
  }

  /**
   * Refunds a call now (the clock's instant): see the class comment.
   *
   * @param usageId the usage id
   * @return what was given back, or empty when the usage id is not held (never consumed, or
   *     already refunded)
   */
  public Optional<Refund> refund(String usageId) {
    return store.refund(Objects.requireNonNull(usageId, "usageId"), clock.now());
  }

  /**
   * How many free seconds a call of the customer (on {@code did}, to {@code number}) starting at
   * {@code at} could use: the remaining seconds of the grants that would serve it, not rounded (see
   * {@link FreeMinuteRules#available}). 0 for a customer without grants.
   *
   * @param customerId the customer calling
   * @param did the DID called from, for DID-bound grants
   * @param number the dialed number
   * @param at the call's start
   * @return the seconds available
   * @throws IllegalArgumentException when the customer id, DID or number is malformed
   */
  public long available(String customerId, Optional<String> did, String number, Instant at) {
    Objects.requireNonNull(customerId, "customerId");
    Limits.instant("at", at); // every store answers the same instants
    return FreeMinuteRules.available(store.balances(customerId, at), customerId, did, number, at);
  }

  /**
   * The customer's grants valid at {@code at}, each with its used and allocated seconds, ordered by
   * valid-from, then grant id; empty for a customer without grants.
   *
   * @param customerId the customer
   * @param at the instant
   * @return the grants valid then, with their seconds
   */
  public List<GrantBalance> balances(String customerId, Instant at) {
    return store.balances(Objects.requireNonNull(customerId, "customerId"), Limits.instant("at", at));
  }

  @Override
  public String toString() {
    return "FreeMinuteLedger[" + store + ", " + clock + "]";
  }
}
