package dev.allotment.spi;

import java.util.List;

/**
 * The read side of the events the stores write with their effects (the transactional outbox):
 * hosts read it after a cursor they keep, and delete what they no longer need.
 *
 * <p>Events are written by the writes that commit their effects, in the same unit of work: a
 * {@link UnitOfWork} writes {@link ChargeBatch#events()}, an {@link AssignmentStore} the events of an
 * add or replace, a {@link FreeMinuteStore} those its {@link UsageAllocator} returns for a call. A
 * write skips an event whose id the outbox holds (also one deleted by {@link #deleteThrough}).
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li><b>Commit order.</b> Cursors are positive and rise in commit order: once {@link #read}
 *       returned an event, no event with a smaller or equal cursor is committed later, so a reader
 *       that keeps the last cursor it read misses nothing and sees nothing twice, also with many
 *       writers (several engines on one database).
 *   <li><b>Retention.</b> {@link #deleteThrough} removes events from reading; their ids stay held
 *       so that a replayed cause writes no event again.
 *   <li>Thread-safe; storage failures surface as unchecked exceptions.
 * </ul>
 */
public interface EventOutbox {
  /** The largest page {@link #read} returns. */
  int MAX_READ = 10_000;

  /**
   * Up to {@code limit} events with cursors greater than {@code afterCursor}, in cursor order.
   *
   * @param afterCursor the last cursor the reader has seen; 0 to read from the start
   * @param limit 1..{@value #MAX_READ}
   * @return the events, in commit order; empty when there is nothing newer
   * @throws IllegalArgumentException when afterCursor is negative or limit outside 1..{@value #MAX_READ}
   */
  List<StoredEvent> read(long afterCursor, int limit);

  /**
   * Deletes the events with cursors up to {@code cursor}, inclusive (retention); the causes of
   * deleted events never write them again (their ids stay held, or, for an event written only with
   * a new effect of a batch, the effect's key keeps it once: see {@link BillingEvent}).
   *
   * @param cursor the last cursor to delete, at least 0
   * @return how many events were deleted
   * @throws IllegalArgumentException when the cursor is negative
   */
  int deleteThrough(long cursor);

  /**
   * Checks the arguments of {@link #read}, for implementations.
   *
   * @param afterCursor the cursor
   * @param limit the page size
   * @throws IllegalArgumentException naming the argument and its value
   */
  static void checkRead(long afterCursor, int limit) {
    if (afterCursor < 0) {
      throw new IllegalArgumentException("afterCursor must be >= 0, was " + afterCursor);
    }
    if (limit < 1 || limit > MAX_READ) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_READ + ", was " + limit);
    }
  }

  /**
   * Checks the argument of {@link #deleteThrough}, for implementations.
   *
   * @param cursor the cursor
   * @throws IllegalArgumentException naming the argument and its value
   */
  static void checkDelete(long cursor) {
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must be >= 0, was " + cursor);
    }
  }
}
