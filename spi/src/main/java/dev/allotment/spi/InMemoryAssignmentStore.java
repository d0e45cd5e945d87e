package dev.allotment.spi;

import dev.allotment.core.Assignment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * An {@link AssignmentStore} in memory: the embedded default.
 *
 * <p>Thread-safe: replaces are compare-and-set on the version under one lock (which
 * {@link InMemoryStores} shares with its unit of work, so a commit's version check holds until it
 * has written); the per-customer index only ever grows (assignments are never deleted, only ended),
 * so a page read concurrently with adds sees each assignment either not yet or fully.
 */
public final class InMemoryAssignmentStore implements AssignmentStore {
  private final ConcurrentSkipListMap<String, Assignment> byId = new ConcurrentSkipListMap<>();
  private final Map<String, NavigableSet<String>> idsByCustomer = new ConcurrentHashMap<>();
  private final Object lock;
  private final InMemoryEventOutbox events;

  /** An empty store, whose events go to an outbox of its own (see {@link #events()}). */
  public InMemoryAssignmentStore() {
    this(new Object(), new InMemoryEventOutbox());
  }

  /** An empty store whose changes take {@code lock} and write their events to {@code events}. */
  InMemoryAssignmentStore(Object lock, InMemoryEventOutbox events) {
    this.lock = lock;
    this.events = events;
  }

  /** {@return the outbox the events of adds and replaces go to: the bundle's, in {@link InMemoryStores}} */
  public InMemoryEventOutbox events() {
    return events;
  }

  /** {@inheritDoc} The addition and its events are one step under the store's lock. */
  @Override
  public boolean add(Assignment assignment, List<BillingEvent> events) {
    Objects.requireNonNull(assignment, "assignment");
    Objects.requireNonNull(events, "events");
    synchronized (lock) {
      Assignment held = byId.putIfAbsent(assignment.id(), assignment.withVersion(0));
      if (held != null) {
        if (held.sameTermsAs(assignment)) {
          return false;
        }
        throw new KeyConflictException("assignment id '" + assignment.id() + "' is already held with other terms: "
            + held + ", not " + assignment);
      }
      idsByCustomer.computeIfAbsent(assignment.customerId(), c -> new ConcurrentSkipListSet<>()).add(assignment.id());
      InMemoryEventOutbox.appendIfAny(this.events, events);
      return true;
    }
  }

  @Override
  public Optional<Assignment> find(String assignmentId) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    return Optional.ofNullable(byId.get(assignmentId));
  }

  @Override
  public Optional<Assignment> replace(Assignment expected, Assignment updated, List<BillingEvent> events) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(updated, "updated");
    Objects.requireNonNull(events, "events");
    if (!expected.id().equals(updated.id()) || !expected.customerId().equals(updated.customerId())) {
      throw new IllegalArgumentException("replace must keep id and customer: " + expected + " -> " + updated);
    }
    synchronized (lock) {
      Assignment held = byId.get(expected.id());
      if (held == null || held.version() != expected.version()) {
        return Optional.empty();
      }
      Assignment stored = updated.withVersion(held.version() + 1);
      byId.put(stored.id(), stored);
      InMemoryEventOutbox.appendIfAny(this.events, events);
      return Optional.of(stored);
    }
  }

  /** {@inheritDoc} The replacement, the addition and the events are one step under the store's lock. */
  @Override
  public Optional<Assignment> change(Assignment expected, Assignment updated, Assignment successor,
      List<BillingEvent> events) {
    Objects.requireNonNull(successor, "successor");
    Objects.requireNonNull(events, "events");
    synchronized (lock) {
      Assignment heldSuccessor = byId.get(successor.id());
      if (heldSuccessor != null && !heldSuccessor.sameTermsAs(successor)) {
        throw new KeyConflictException("assignment id '" + successor.id() + "' is already held with other terms: "
            + heldSuccessor + ", not " + successor);
      }
      Optional<Assignment> stored = replace(expected, updated, events);
      if (stored.isPresent() && heldSuccessor == null) {
        add(successor, List.of());
      }
      return stored;
    }
  }

  @Override
  public List<Assignment> page(Optional<String> customerId, Optional<String> afterId, int limit) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(afterId, "afterId");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    List<Assignment> page = new ArrayList<>(Math.min(limit, 1024));
    if (customerId.isPresent()) {
      NavigableSet<String> ids = idsByCustomer.get(customerId.get());
      if (ids == null) {
        return page;
      }
      Iterator<String> it = (afterId.isPresent() ? ids.tailSet(afterId.get(), false) : ids).iterator();
      while (it.hasNext() && page.size() < limit) {
        Assignment assignment = byId.get(it.next());
        if (assignment != null) {
          page.add(assignment);
        }
      }
      return page;
    }
    NavigableMap<String, Assignment> tail = afterId.isPresent() ? byId.tailMap(afterId.get(), false) : byId;
    Iterator<Assignment> it = tail.values().iterator();
    while (it.hasNext() && page.size() < limit) {
      page.add(it.next());
    }
    return page;
  }
}
