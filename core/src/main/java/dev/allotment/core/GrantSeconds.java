package dev.allotment.core;

/**
 * Seconds moved from or to one grant: what a call took from it, or what a refund gave back.
 *
 * <p>Immutable and thread-safe.
 *
 * @param grantId the grant
 * @param seconds how many seconds, > 0
 */
public record GrantSeconds(String grantId, long seconds) {
  public GrantSeconds {
    Grant.requireGrantId(grantId);
    if (seconds <= 0) {
      throw new IllegalArgumentException("seconds must be > 0 for grant '" + grantId + "', was " + seconds);
    }
  }
}
