package dev.allotment.spi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link EventOutbox} of the in-memory stores ({@link InMemoryStores}): written by their unit
 * of work, assignment store and free-minute store, each under the lock of its own write, so an
 * event and its effect are added together.
 *
 * <p>Thread-safe: every method holds the outbox's monitor, and cursors are given in the order
 * writes take it, which is commit order. Nothing is persisted; the ids of deleted events are kept
 * (a few dozen bytes each) so their causes never write them again.
 */
public final class InMemoryEventOutbox implements EventOutbox {
  private final TreeMap<Long, StoredEvent> events = new TreeMap<>();
  private final Set<String> heldIds = new HashSet<>();
  private long lastCursor;

  /** An empty outbox. */
  public InMemoryEventOutbox() {}

  /**
   * Appends the events whose ids are not held, in order; the in-memory stores call it as the last
   * step of a write, which nothing after can fail.
   *
   * @return how many were appended
   */
  synchronized int append(List<BillingEvent> batch) {
    int added = 0;
    for (BillingEvent event : batch) {
      if (heldIds.add(event.id())) {
        lastCursor++;
        events.put(lastCursor, new StoredEvent(lastCursor, event));
        added++;
      }
    }
    return added;
  }

  /** True when the outbox holds (or held, before retention) an event with this id. */
  synchronized boolean holds(String eventId) {
    return heldIds.contains(eventId);
  }

  @Override
  public synchronized List<StoredEvent> read(long afterCursor, int limit) {
    EventOutbox.checkRead(afterCursor, limit);
    List<StoredEvent> page = new ArrayList<>(Math.min(limit, 256));
    for (StoredEvent event : events.tailMap(afterCursor, false).values()) {
      if (page.size() == limit) {
        break;
      }
      page.add(event);
    }
    return page;
  }

  @Override
  public synchronized int deleteThrough(long cursor) {
    EventOutbox.checkDelete(cursor);
    Map<Long, StoredEvent> head = events.headMap(cursor, true);
    int deleted = head.size();
    head.clear();
    return deleted;
  }

  @Override
  public synchronized String toString() {
    return "InMemoryEventOutbox[" + events.size() + " events, last cursor " + lastCursor + "]";
  }

  /** Appends {@code batch} unless empty; a shortcut that spares the monitor on the common path. */
  static void appendIfAny(InMemoryEventOutbox outbox, List<BillingEvent> batch) {
    Objects.requireNonNull(batch, "events");
    if (!batch.isEmpty()) {
      outbox.append(batch);
    }
  }
}
