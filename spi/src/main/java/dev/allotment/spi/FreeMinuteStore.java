package dev.allotment.spi;

import dev.allotment.core.Consumption;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the free-minute ledger keeps grants, the seconds used from each, and the calls consumed.
 * Grants are written by the {@link UnitOfWork}, in the same unit as the lines that give them.
 *
 * <p><b>Thread-safety.</b> Implementations must be safe for any number of concurrent callers, also
 * across processes for a shared store. The invariant a store guards is {@code 0 <= used <=
 * allocated} for every grant, whatever the interleaving: its taker takes <em>up to</em> the seconds
 * asked and never leaves a grant below zero (in SQL, one conditional
 * {@code UPDATE ... SET used = used + least(?, allocated - used) WHERE allocated > used}).
 *
 * <p><b>Idempotency.</b> Calls are keyed by {@link UsageRecord#usageId()}: consuming an id the store
 * holds returns the stored result and takes nothing, whatever the record's content (the ledger
 * compares content); concurrent consumptions of one new id consume once, and every caller gets the
 * one result. A refund forgets the id, so it may be consumed afresh afterwards.
 *
 * <p><b>Errors.</b> {@link NullPointerException} for null arguments. Whenever {@link #consume}
 * throws (the allocator's exception included, rethrown as it was), no seconds stay taken and nothing
 * is recorded for the call. Storage failures surface as unchecked exceptions.
 *
 * <p>The reference implementation is {@link InMemoryFreeMinuteStore}; the contract test kit
 * {@code FreeMinuteStoreContract} (in this module's test-jar) checks any implementation.
 */
public interface FreeMinuteStore {
  /** The most calls one {@link #consumeAll} takes. */
  int MAX_BATCH = 10_000;

  /**
   * Consumes one call as one unit of work keyed by its usage id. When the id is new, the store
   * hands {@code allocator} the customer's grants, at least every one valid at the call's start (a
   * store may leave out the others, which the rules never use), ordered by valid-from, then id, and a taker whose takes belong to this unit of work, and records the allocator's result
   * with the takes atomically: both happen or neither. When the store holds the id, it returns the
   * stored consumption and takes nothing. A customer without grants is consumed like any other (and
   * recorded). The engine's allocator checks its own result; a store only records it. After the
   * takes, the store asks the allocator for the call's {@link UsageAllocator#events events} and
   * writes them into the bundle's {@link EventOutbox} in the same unit of work.
   *
   * @param usage the call
   * @param allocator picks the grants and takes the seconds: the engine's consumption rules
   * @return the consumption recorded for the usage id (from this call or an earlier one)
   */
  Consumption consume(UsageRecord usage, UsageAllocator allocator);

  /**
   * Consumes a batch of calls, each as {@link #consume} would, and returns their consumptions in
   * the order given. The default consumes them one after another, each its own unit of work; a
   * store may override it to consume the whole batch in one unit of work (the JDBC store does:
   * one transaction, a handful of statements for the batch), so that all of it is recorded or none.
   * Either way every call stays idempotent by usage id (a held id returns its stored consumption
   * and takes nothing) and no grant ever gives more than it holds. The allocator is called for the
   * new calls in the order given (again from the first, when a store retries its unit of work).
   *
   * @param usages the calls, with distinct usage ids (at most {@link #MAX_BATCH})
   * @param allocator picks the grants and takes the seconds: the engine's consumption rules
   * @return the consumption recorded for each usage id, in the order given
   * @throws IllegalArgumentException naming the usage id given twice, or the size when there are
   *     more than {@link #MAX_BATCH}; nothing is consumed
   * @throws UsageConflictException when a usage id is held for a different call: a store that
   *     consumes the batch in one unit of work consumes none of it; the default, the calls before it
   */
  default List<Consumption> consumeAll(List<UsageRecord> usages, UsageAllocator allocator) {
    checkBatch(usages);
    Objects.requireNonNull(allocator, "allocator");
    List<Consumption> consumed = new ArrayList<>(usages.size());
    for (UsageRecord usage : usages) {
      Consumption result = consume(usage, allocator);
      if (!result.usage().equals(usage)) {
        throw new UsageConflictException(result.usage(), usage);
      }
      consumed.add(result);
    }
    return consumed;
  }

  /**
   * Checks a batch for {@link #consumeAll}: not null, at most {@link #MAX_BATCH} calls, distinct usage ids.
   *
   * @param usages the calls
   * @throws IllegalArgumentException naming the usage id given twice, or the size
   */
  static void checkBatch(List<UsageRecord> usages) {
    Objects.requireNonNull(usages, "usages");
    if (usages.size() > MAX_BATCH) {
      throw new IllegalArgumentException("usages must hold at most " + MAX_BATCH + " calls, held " + usages.size());
    }
    Set<String> ids = new HashSet<>();
    for (UsageRecord usage : usages) {
      if (!ids.add(Objects.requireNonNull(usage, "usage").usageId())) {
        throw new IllegalArgumentException("usageId '" + usage.usageId() + "' is given twice in one batch");
      }
    }
  }

  /**
   * The consumption recorded for the usage id, if any.
   *
   * @param usageId the usage id
   * @return the consumption, or empty when the id is not held
   */
  Optional<Consumption> consumption(String usageId);

  /**
   * Refunds a consumed call as one unit of work: gives every take back to its grant when the grant
   * is still valid at {@code at} (seconds taken from a grant no longer valid lapse), and forgets
   * the usage id, so that a second refund finds nothing and the id may be consumed afresh.
   *
   * @param usageId the usage id
   * @param at the instant of the refund, which decides the grants still valid
   * @return what was given back, or empty when the store holds no consumption for the id (never
   *     consumed, or already refunded)
   */
  Optional<Refund> refund(String usageId, Instant at);

  /**
   * The customer's grants valid at {@code at} ({@link dev.allotment.core.Grant#isValidAt}) with their
   * used seconds, ordered by valid-from, then id; empty for a customer without any.
   *
   * @param customerId the customer
   * @param at the instant
   * @return the grants valid then, with their used seconds
   */
  List<GrantBalance> balances(String customerId, Instant at);
}
