package dev.allotment.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of the outbox: what a unit of work committed, written in that same unit of work, so a
 * host never sees an event without its effect nor an effect without its event.
 *
 * <p>The id is derived from the cause, as {@link #idOf} writes it (for example
 * {@code LINE_CHARGED:a-1/RECURRING/2026-07-01} for a line, {@code GRANT_LOW:<grant id>} for a
 * grant), and stores write an event only when they do not hold its id: a replayed run or usage
 * writes no second event. An event of a {@link ChargeBatch} whose id is that of an effect of the
 * batch ({@code LINE_CHARGED} or {@code GRANT_CUT} of one of its lines' keys, {@code GRANT_ISSUED} of
 * one of its grants' ids, {@code CREDIT_POSTED} of one of its postings' keys) may instead be written
 * exactly when that effect is new, which is the same.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the event id, derived from its cause: 1..{@value #MAX_ID_LENGTH} characters
 * @param type what happened
 * @param customerId the customer it concerns
 * @param committedAt the instant of the engine's clock when the unit of work that wrote it committed
 * @param payload the type's fields as a JSON object (see {@link EventPayload}); never blank
 */
public record BillingEvent(String id, EventType type, String customerId, Instant committedAt, String payload) {
  /** The longest event id a store keeps. */
  public static final int MAX_ID_LENGTH = 300;

  /**
   * The id of an event of {@code type} caused by {@code cause}: {@code TYPE:cause}.
   *
   * @param type what happened
   * @param cause the key of what caused it (a line key's text, a grant id, a posting key...)
   * @return the id
   */
  public static String idOf(EventType type, String cause) {
    return type.name() + ":" + Objects.requireNonNull(cause, "cause");
  }

  /**
   * Checks every component.
   *
   * @param id the event id, derived from its cause
   * @param type what happened
   * @param customerId the customer it concerns
   * @param committedAt the instant the unit of work committed
   * @param payload the fields as a JSON object
   * @throws IllegalArgumentException naming the field when the id is blank or too long, or the
   *     payload is not a JSON object's text
   */
  public BillingEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(committedAt, "committedAt");
    Objects.requireNonNull(payload, "payload");
    if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("id must be 1.." + MAX_ID_LENGTH + " characters, not blank, was '" + id + "'");
    }
    if (!payload.startsWith("{") || !payload.endsWith("}")) {
      throw new IllegalArgumentException("payload must be a JSON object, was '" + payload + "'");
    }
  }
}
