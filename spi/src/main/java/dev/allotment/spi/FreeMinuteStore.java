package dev.allotment.spi;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the free-minute ledger keeps grants, the seconds used from each, and the calls consumed.
 *
 * <p><b>Thread-safety.</b> Implementations must be safe for any number of concurrent callers, also
 * across processes for a shared store. The invariant a store guards is {@code 0 <= used <=
 * allocated} for every grant, whatever the interleaving: its atomic step, {@link #take}, takes
 * <em>up to</em> the seconds asked and never leaves a grant below zero (in SQL, one conditional
 * {@code UPDATE ... SET used = used + least(?, allocated - used) WHERE allocated > used}).
 *
 * <p><b>Idempotency.</b> Grants are keyed by {@link Grant#id()}: adding a grant the store holds
 * with equal content does nothing. Calls are keyed by {@link UsageRecord#usageId()}: consuming an
 * id the store holds returns the stored result and takes nothing, whatever the record's content
 * (the ledger compares content); concurrent consumptions of one new id consume once, and every
 * caller gets the one result. A refund forgets the id, so it may be consumed afresh afterwards.
 *
 * <p><b>Errors.</b> {@link NullPointerException} for null arguments; {@link IllegalArgumentException}
 * for a conflicting grant, an unknown grant id given to {@link #take}/{@link #giveBack}, or a
 * negative amount; {@link IllegalStateException} when an allocator's result disagrees with what
 * it took. Storage failures surface as unchecked exceptions. Whenever {@link #consume} throws, no
 * seconds stay taken and nothing is recorded for the call.
 *
 * <p>The reference implementation is {@link InMemoryFreeMinuteStore}; the contract test kit
 * {@code FreeMinuteStoreContract} (in this module's test-jar) checks any implementation.
 */
public interface FreeMinuteStore {

  /**
   * Adds grants, all or none: each one the store does not hold is added with nothing used; one it
   * holds with equal content is skipped.
   *
   * @throws IllegalArgumentException naming the grant when the store (or the batch itself) holds
   *     a different grant with the same id; nothing of the batch is added then
   */
  void addGrants(Collection<Grant> grants);

  /**
   * Adds each grant whose id the store does not hold, with nothing used; a held id keeps its
   * content and used seconds whatever the given grant says, and a held id that was revoked is
   * revived: from then on it serves calls again as before its revocation. The engine writes the
   * grant of a planned line this way, before journaling the line: a grant left by an attempt that
   * crashed before its journal entry keeps the terms it was given (as any charged grant keeps its
   * terms), the rerun never fails on it, and a line charged again after its undone attempt's grant
   * was revoked (an end date moved back out) gets that grant back. All or none.
   */
  void addGrantsIfAbsent(Collection<Grant> grants);

  /**
   * Revokes a grant, for the grant of a line whose charge was undone: once this returns, no call
   * takes seconds from it and refunds give it nothing back; seconds taken before stay taken (the
   * consumptions are unchanged). It is no longer listed by {@link #balances(String)}, nor handed
   * to allocators, but {@link #balance} still finds it, so its id keeps its history; only
   * {@link #addGrantsIfAbsent} revives it. Idempotent; an unknown id is ignored.
   *
   * @return true when the grant was held and not revoked before
   */
  boolean revokeGrant(String grantId);

  /** Every grant of the customer with its used seconds, ordered by valid-from, then id; empty for an unknown customer. */
  List<GrantBalance> balances(String customerId);

  /**
   * The customer's grants valid at {@code at} ({@link Grant#isValidAt}) with their used seconds,
   * ordered by valid-from, then id. Stores that can filter cheaply may override this.
   */
  default List<GrantBalance> balances(String customerId, Instant at) {
    Objects.requireNonNull(at, "at");
    List<GrantBalance> valid = new ArrayList<>();
    for (GrantBalance balance : balances(customerId)) {
      if (balance.grant().isValidAt(at)) {
        valid.add(balance);
      }
    }
    return List.copyOf(valid);
  }

  /** The grant with its used seconds, if the store holds it. */
  Optional<GrantBalance> balance(String grantId);

  /**
   * The atomic step: takes up to {@code seconds} from the grant, never leaving it below zero.
   *
   * @return the seconds taken, within {@code 0..seconds} (0 when the grant is used up or revoked)
   * @throws IllegalArgumentException when the store holds no such grant or seconds is negative
   */
  long take(String grantId, long seconds);

  /**
   * Gives up to {@code seconds} back to the grant, never below zero used.
   *
   * @return the seconds given back, within {@code 0..seconds} (0 for a revoked grant)
   * @throws IllegalArgumentException when the store holds no such grant or seconds is negative
   */
  long giveBack(String grantId, long seconds);

  /**
   * Consumes one call as one unit of work keyed by its usage id. When the id is new, the store
   * hands {@code allocator} the customer's grants, at least every one valid at the call's start
   * (a store may leave out the others, which no allocator may use; the allocator picks), and a taker
   * performing {@link #take} within this unit of work, checks that the result lists exactly what
   * was taken, and records it with the takes atomically: either both happen or neither. When the
   * store holds the id, it returns the stored consumption and takes nothing. A customer the store
   * holds no grant for is consumed like any other, with no grants (and recorded).
   *
   * @return the consumption recorded for the usage id (from this call or an earlier one)
   * @throws IllegalStateException when the allocator's result is not what it took; any exception
   *     of the allocator or the store is rethrown after the takes are undone
   */
  Consumption consume(UsageRecord usage, UsageAllocator allocator);

  /** The consumption recorded for the usage id, if any. */
  Optional<Consumption> consumption(String usageId);

  /**
   * Refunds a consumed call as one unit of work: gives every take back to its grant when the grant
   * is still valid at {@code at} (seconds taken from a grant no longer valid lapse), and forgets
   * the usage id, so that a second refund finds nothing and the id may be consumed afresh.
   *
   * @return what was given back, or empty when the store holds no consumption for the id (never
   *     consumed, or already refunded)
   */
  Optional<Refund> refund(String usageId, Instant at);
}
