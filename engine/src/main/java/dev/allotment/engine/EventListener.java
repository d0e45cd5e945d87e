package dev.allotment.engine;

import dev.allotment.spi.BillingEvent;
import java.util.List;

/**
 * An in-process listener of the events this engine commits ({@link EventFeed#addListener}).
 *
 * <p>Called after the unit of work that wrote the events committed, on the thread that committed
 * it (a run's batches commit on threads of their own: see
 * {@link PackageBillingBuilder#commitsInFlight}), one call at a time per engine, with the events of
 * that unit of work in order. Delivery is at least once while the engine runs: an event may come
 * again (a replayed cause, a retried delivery), so a listener deduplicates by
 * {@link BillingEvent#id()}. An exception it throws never rolls
 * billing back: it is logged, and the events of that call are delivered again, before newer ones,
 * with the next commit's. The durable feed is the outbox ({@link EventFeed#read}): events committed
 * just before a crash reach no listener.
 *
 * <p>Implementations must be thread-safe if one listener is registered with several engines.
 */
@FunctionalInterface
public interface EventListener {
  /**
   * Receives committed events.
   *
   * @param events the events of one or more units of work, in commit order; never empty
   */
  void onEvents(List<BillingEvent> events);
}
