package dev.allotment.core;

import java.util.List;
import java.util.Objects;

/**
 * Seconds moved from or to one grant: what a call took from it, or what a refund gave back.
 *
 * <p>Immutable and thread-safe.
 *
 * @param grantId the id of the grant (checked when the grant was built; here only that it is there)
 * @param seconds how many seconds, > 0
 */
public record GrantSeconds(String grantId, long seconds) {
  /**
   * Checks that the grant id is not empty and the seconds are positive.
   *
   * @param grantId the id of the grant (checked when the grant was built; here only that it is there)
   * @param seconds how many seconds, > 0
   */
  public GrantSeconds {
    Objects.requireNonNull(grantId, "grantId");
    if (grantId.isEmpty()) {
      throw new IllegalArgumentException("grantId must not be empty");
    }
    if (seconds <= 0) {
      throw new IllegalArgumentException("seconds must be > 0 for grant '" + grantId + "', was " + seconds);
    }
  }

  /** The seconds of all {@code moves} together. */
  static long total(List<GrantSeconds> moves) {
    long total = 0;
    for (GrantSeconds move : moves) {
      total += move.seconds();
    }
    return total;
  }
}
