package dev.allotment.spi;

/**
 * Commits one batch of a run: its journal lines and watermarks, grants, credit postings and
 * reprice markers, and the events that accompany them ({@link ChargeBatch#events()}, and the
 * {@link EventType#CREDIT_LOW} events of {@link ChargeBatch#creditLow()}), as one unit of work. A store whose tables share one database makes this one
 * transaction; the in-memory stores make it atomic under one lock.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li><b>All or nothing.</b> Either every effect of the batch is stored or none is; a failure
 *       (an exception) leaves every store as it was.
 *   <li><b>Checks first.</b> When an assignment of {@link ChargeBatch#expectedVersions()} is not
 *       stored at its expected version (changed, or absent), or a customer's balance is below a
 *       {@link ChargeBatch#floors() floor}, nothing is written and the result names them; the
 *       engine plans those again and retries. The checks hold until the commit: an assignment
 *       change or a debit of another unit of work waits for this one or runs before its checks.
 *   <li><b>Keyed and idempotent.</b> A line, grant or posting whose key the store holds is left as
 *       it is (never an error, never a second one), so a batch committed twice, or by two engines at
 *       once, has its effects once.
 *   <li>Watermarks only rise; a posting moves the balance only when its key is new.
 *   <li><b>Events with their effects.</b> The batch's events go into the {@link EventOutbox} in the
 *       same unit of work, after every other write, skipping ids the outbox holds; with a
 *       {@link CreditLowRule}, each customer and currency whose balance the batch's new postings
 *       moved gets the rule's {@link CreditLowRule#crossing} for the balance before and after them
 *       (the key named is the greatest of those new postings' keys).
 *   <li>Thread-safe. Storage failures surface as unchecked exceptions; a value of the batch the
 *       store cannot keep (core's bounds keep them out, so only a store narrower than they are
 *       meets one) is an {@link IllegalArgumentException}, after which the engine commits the
 *       batch again without the assignment it belongs to and reports that assignment failed. Any
 *       other exception ends the run.
 * </ul>
 * The contract test kit {@code UnitOfWorkContract} (this module's test-jar) checks an
 * implementation.
 */
@FunctionalInterface
public interface UnitOfWork {
  /**
   * Commits {@code batch}, or nothing when its checks fail.
   *
   * @param batch the batch, with its checks
   * @return how many lines were new, or which checks failed
   */
  BatchResult commit(ChargeBatch batch);
}
