package dev.allotment.spi;

import dev.allotment.core.AllotmentException;

/**
 * A write reused a key that a store already holds with different content: an id given to two
 * different assignments, say. Idempotent replays (same key, same content) never throw this.
 */
public final class KeyConflictException extends AllotmentException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal naming the key and the two values.
   *
   * @param message the message
   */
  public KeyConflictException(String message) {
    super(message);
  }
}
