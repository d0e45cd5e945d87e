package dev.allotment.engine;

import dev.allotment.spi.BillingClock;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.EventOutbox;
import dev.allotment.spi.StoredEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of an engine ({@link PackageBilling#events()}): the durable outbox the stores write
 * with every effect, read in commit order after a cursor the host keeps, and in-process listeners
 * called after each commit of this engine.
 *
 * <p><b>Reading.</b> A host keeps the cursor of the last event it handled and calls
 * {@link #read(long, int)} with it: it gets every later event once, in commit order, also with
 * several engines writing to one database (see {@link EventOutbox} for the guarantee, and the JDBC
 * stores for how PostgreSQL keeps it). {@link #deleteThrough(long)} is retention.
 *
 * <p><b>Listeners</b> ({@link #addListener}) see what {@link EventListener} says: at least once while
 * this engine runs, after the commit, never able to roll billing back.
 *
 * <p>Thread-safe: listeners are called one call at a time per engine.
 */
public final class EventFeed {
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
  /** Events kept for a listener that keeps failing; past this the oldest are dropped (the outbox still has them). */
  static final int MAX_UNDELIVERED = 100_000;

  private final EventOutbox outbox;
  private final EventSettings settings;
  private final BillingClock clock;
  /** Listener to the events it has not accepted yet, in order; guarded by this. */
  private final Map<EventListener, List<BillingEvent>> listeners = new LinkedHashMap<>();
  private volatile boolean anyListener;

  EventFeed(EventOutbox outbox, EventSettings settings, BillingClock clock) {
    this.outbox = outbox;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Up to {@code limit} events with cursors greater than {@code afterCursor}, in commit order.
   *
   * @param afterCursor the cursor of the last event the host handled; 0 for the first read
   * @param limit 1..{@value EventOutbox#MAX_READ}
   * @return the events, empty when there is none newer
   * @throws IllegalArgumentException when afterCursor is negative or limit out of range
   */
  public List<StoredEvent> read(long afterCursor, int limit) {
    return outbox.read(afterCursor, limit);
  }

  /**
   * Deletes the events up to {@code cursor}, inclusive; their causes never write them again.
   *
   * @param cursor the last cursor to delete
   * @return how many were deleted
   * @throws IllegalArgumentException when the cursor is negative
   */
  public int deleteThrough(long cursor) {
    return outbox.deleteThrough(cursor);
  }

  /**
   * Registers a listener for the events this engine commits from now on; registering it twice changes nothing.
   *
   * @param listener the listener
   */
  public synchronized void addListener(EventListener listener) {
    listeners.putIfAbsent(Objects.requireNonNull(listener, "listener"), new ArrayList<>());
    anyListener = true;
  }

  /**
   * Unregisters a listener; events it had not accepted are dropped (the outbox still holds them).
   *
   * @param listener the listener
   * @return true when it was registered
   */
  public synchronized boolean removeListener(EventListener listener) {
    boolean removed = listeners.remove(Objects.requireNonNull(listener, "listener")) != null;
    anyListener = !listeners.isEmpty();
    return removed;
  }

  /** {@return whether this engine's writes carry events (see {@link PackageBillingBuilder#events(boolean)})} */
  public boolean enabled() {
    return settings.enabled();
  }

  /**
   * The JSON of an event as read, in the documented, versioned shape (see {@link EventJson}).
   *
   * @param event the event
   * @return the JSON text
   */
  public static String toJson(StoredEvent event) {
    return EventJson.write(event);
  }

  EventSettings settings() {
    return settings;
  }

  /** The instant a unit of work's events carry: the clock's, to the microsecond every store keeps. */
  Instant now() {
    return clock.now().truncatedTo(ChronoUnit.MICROS);
  }

  /** Hands events a unit of work committed to the listeners; never throws what a listener throws. */
  void committed(List<BillingEvent> events) {
    if (events.isEmpty() || !anyListener) {
      return;
    }
    synchronized (this) {
      for (Map.Entry<EventListener, List<BillingEvent>> entry : listeners.entrySet()) {
        List<BillingEvent> pending = entry.getValue();
        pending.addAll(events);
        if (pending.size() > MAX_UNDELIVERED) {
          int dropped = pending.size() - MAX_UNDELIVERED;
          pending.subList(0, dropped).clear();
          LOG.error("event listener {} has failed for {} events; the oldest {} are no longer retried (read them from"
              + " the outbox)", entry.getKey(), MAX_UNDELIVERED, dropped);
        }
        try {
          entry.getKey().onEvents(List.copyOf(pending));
          pending.clear();
        } catch (RuntimeException e) {
          LOG.warn("event listener {} failed on {} events; they are delivered again after the next commit",
              entry.getKey(), pending.size(), e);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "EventFeed[" + outbox + (settings.enabled() ? "" : ", off") + "]";
  }
}
