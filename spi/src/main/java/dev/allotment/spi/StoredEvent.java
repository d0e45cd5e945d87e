package dev.allotment.spi;

import java.util.Objects;

/**
 * An event as the outbox holds it: with its cursor, the position a host reads after.
 *
 * <p>Immutable and thread-safe.
 *
 * @param cursor the event's position in commit order: positive, larger for a later commit
 * @param event the event
 */
public record StoredEvent(long cursor, BillingEvent event) {
  /**
   * Checks the components.
   *
   * @param cursor the position, positive
   * @param event the event
   * @throws IllegalArgumentException when the cursor is not positive
   */
  public StoredEvent {
    if (cursor < 1) {
      throw new IllegalArgumentException("cursor must be >= 1, was " + cursor);
    }
    Objects.requireNonNull(event, "event");
  }
}
