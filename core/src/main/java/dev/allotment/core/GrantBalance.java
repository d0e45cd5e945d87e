package dev.allotment.core;

import java.util.Objects;

/**
 * A grant and how many of its seconds are used, as a store saw them at one moment.
 *
 * <p>Immutable and thread-safe. A snapshot: by the time it is read, concurrent calls may have used
 * more; the ledger never consumes on the strength of a snapshot.
 *
 * @param grant the grant
 * @param usedSeconds seconds consumed, within {@code 0..grant.allocatedSeconds()}
 */
public record GrantBalance(Grant grant, long usedSeconds) {
  /**
   * Checks that the used seconds lie within the grant's allocation.
   *
   * @param grant the grant
   * @param usedSeconds seconds consumed, within {@code 0..grant.allocatedSeconds()}
   */
  public GrantBalance {
    Objects.requireNonNull(grant, "grant");
    if (usedSeconds < 0 || usedSeconds > grant.allocatedSeconds()) {
      throw new IllegalArgumentException("usedSeconds of grant '" + grant.id() + "' must be within 0.."
          + grant.allocatedSeconds() + ", was " + usedSeconds);
    }
  }

  /** {@return the grant's allocated seconds} */
  public long allocatedSeconds() {
    return grant.allocatedSeconds();
  }

  /** {@return the seconds left: allocated minus used} */
  public long remainingSeconds() {
    return grant.allocatedSeconds() - usedSeconds;
  }
}
