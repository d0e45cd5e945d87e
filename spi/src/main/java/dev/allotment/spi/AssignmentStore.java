package dev.allotment.spi;

import dev.allotment.core.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's assignments: packages given to customers or their DIDs.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Thread-safe.
 *   <li>Every stored assignment has a {@linkplain Assignment#version() version}: 0 when added, one
 *       more on every replace (and on every reprice marker a {@link UnitOfWork} clears).
 *   <li>{@link #add} is idempotent: adding an assignment whose id is held with the same terms
 *       returns false and changes nothing; the same id with other terms throws
 *       {@link KeyConflictException} and changes nothing.
 *   <li>{@link #replace} is an atomic compare-and-set on the version, so a change based on a
 *       stale read never overwrites a newer one.
 *   <li>{@link #page} is keyset paging in ascending id order: it never holds the whole table, and
 *       a run over a million assignments needs only one page in memory at a time.
 *   <li><b>Events.</b> An add or replace that stores something writes the events it is given into
 *       the bundle's {@link EventOutbox} in the same unit of work (skipping ids the outbox holds); one
 *       that stores nothing (an add of a held id, a replace at another version) writes none. The
 *       engine calls the methods with events; the ones without are shortcuts for an empty list.
 *   <li>Storage failures surface as unchecked exceptions; nothing is half-stored.
 * </ul>
 */
public interface AssignmentStore {
  /**
   * Stores a new assignment at version 0.
   *
   * @param assignment the assignment, at version 0
   * @return true if stored, false if an assignment with the same id and terms was already held
   * @throws KeyConflictException if the id is held with other terms
   */
  default boolean add(Assignment assignment) {
    return add(assignment, List.of());
  }

  /**
   * Stores a new assignment at version 0 and, in the same unit of work, the events of the addition.
   *
   * @param assignment the assignment, at version 0
   * @param events the events to write when the assignment is stored (none when it is not)
   * @return true if stored, false if an assignment with the same id and terms was already held
   * @throws KeyConflictException if the id is held with other terms
   */
  boolean add(Assignment assignment, List<BillingEvent> events);

  /**
   * The assignment with this id, as stored (with its version).
   *
   * @param assignmentId the assignment id
   * @return the assignment, or empty when no assignment has this id
   */
  Optional<Assignment> find(String assignmentId);

  /**
   * Replaces the stored assignment by {@code updated} if it is still at {@code expected}'s version.
   *
   * @param expected the assignment as the caller read it, with the version it read
   * @param updated the new value, with the same id
   * @return the assignment as now stored ({@code updated} at the next version), or empty if the
   *     stored version differed (or the id is not held)
   * @throws IllegalArgumentException if the two values have different ids
   */
  default Optional<Assignment> replace(Assignment expected, Assignment updated) {
    return replace(expected, updated, List.of());
  }

  /**
   * {@link #replace(Assignment, Assignment)}, writing {@code events} in the same unit of work when
   * the replacement is stored.
   *
   * @param expected the assignment as the caller read it, with the version it read
   * @param updated the new value, with the same id
   * @param events the events to write when the replacement is stored (none when it is not)
   * @return the assignment as now stored, or empty if the stored version differed (or the id is not held)
   * @throws IllegalArgumentException if the two values have different ids
   */
  Optional<Assignment> replace(Assignment expected, Assignment updated, List<BillingEvent> events);

  /**
   * A plan change, as one unit of work: replaces the stored assignment by {@code updated} (its end
   * moved to the day before the successor's start) if it is still at {@code expected}'s version,
   * adds {@code successor} at version 0, and writes {@code events}. A successor id held with the
   * same terms is left as it is (a change asked again after a crash); held with other terms, nothing
   * is stored and {@link KeyConflictException} is thrown.
   *
   * @param expected the assignment as the caller read it, with the version it read
   * @param updated its new value, with the same id
   * @param successor the assignment that takes over, at version 0
   * @param events the events to write when the change is stored (none when it is not)
   * @return the replaced assignment as now stored, or empty (nothing stored) if the stored version differed
   * @throws IllegalArgumentException if expected and updated have different ids or customers
   * @throws KeyConflictException if the successor's id is held with other terms
   */
  Optional<Assignment> change(Assignment expected, Assignment updated, Assignment successor,
      List<BillingEvent> events);

  /**
   * Up to {@code limit} assignments with ids greater than {@code afterId} (all when empty), in
   * ascending id order ({@link String#compareTo}), optionally only one customer's.
   *
   * @param customerId only this customer's assignments, when present
   * @param afterId the last id of the previous page, exclusive
   * @param limit the page size, at least 1
   * @return the page, at most {@code limit} assignments
   */
  List<Assignment> page(Optional<String> customerId, Optional<String> afterId, int limit);

  /**
   * Up to {@code limit} assignments of the customers of partition {@code index} of {@code count}
   * (those whose {@code Math.floorMod(customerId.hashCode(), count) == index}) with ids greater than
   * {@code afterId}, in ascending id order: the page a partition of a run reads. The default reads
   * {@link #page} on until it holds {@code limit} of them (or none are left); a store may filter
   * itself and read only the partition's rows (the JDBC store does).
   *
   * @param index the partition, 0..count-1
   * @param count how many partitions, at least 1
   * @param afterId the last id of the previous page, exclusive
   * @param limit the page size, at least 1
   * @return the page, at most {@code limit} assignments, fewer only when no more are left
   * @throws IllegalArgumentException naming the argument out of range
   */
  default List<Assignment> pageInPartition(int index, int count, Optional<String> afterId, int limit) {
    Optional<String> from = Objects.requireNonNull(afterId, "afterId");
    checkPartition(index, count);
    List<Assignment> members = new ArrayList<>();
    while (true) {
      List<Assignment> page = page(Optional.empty(), from, limit);
      for (Assignment assignment : page) {
        if (Math.floorMod(assignment.customerId().hashCode(), count) == index) {
          members.add(assignment);
          if (members.size() == limit) {
            return members;
          }
        }
      }
      if (page.size() < limit) {
        return members;
      }
      from = Optional.of(page.get(page.size() - 1).id());
    }
  }

  /**
   * Checks a partition of {@link #pageInPartition}.
   *
   * @param index the partition, 0..count-1
   * @param count how many partitions, at least 1
   * @throws IllegalArgumentException naming the argument out of range
   */
  static void checkPartition(int index, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("partition count must be >= 1, was " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("partition index must be within 0.." + (count - 1) + ", was " + index);
    }
  }
}
