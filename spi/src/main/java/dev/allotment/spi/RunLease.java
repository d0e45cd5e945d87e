package dev.allotment.spi;

import dev.allotment.core.Ids;
import java.time.Instant;
import java.util.Objects;

/**
 * One partition of a fleet run held by one engine until {@link #expiresAt()}: what
 * {@link RunLeases#claim} hands out and {@link RunLeases#renew} extends.
 *
 * <p>The token is new at every claim, so a lease taken over by another engine never matches the
 * lease its first holder still has: that holder's renew and complete are refused.
 *
 * <p>Immutable and thread-safe.
 *
 * @param runId the fleet run
 * @param partition the partition held, 0..partitions-1
 * @param partitions how many partitions the run has
 * @param owner the engine holding it, as it named itself
 * @param token what tells this claim from every other claim of the partition
 * @param expiresAt when the partition becomes claimable by others unless renewed
 */
public record RunLease(String runId, int partition, int partitions, String owner, String token, Instant expiresAt) {
  /**
   * Checks every component, naming the one refused.
   *
   * @param runId the fleet run
   * @param partition the partition held
   * @param partitions how many partitions the run has
   * @param owner the engine holding it
   * @param token the claim's token
   * @param expiresAt the lease's end
   */
  public RunLease {
    RunLeases.checkRun(runId, partitions);
    Ids.require("owner", owner);
    Ids.require("token", token);
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (partition < 0 || partition >= partitions) {
      throw new IllegalArgumentException("partition must be within 0.." + (partitions - 1) + ", was " + partition);
    }
  }

  /**
   * This lease with another expiry: what a renewal returns.
   *
   * @param newExpiry the new end of the lease
   * @return the renewed lease
   */
  public RunLease until(Instant newExpiry) {
    return new RunLease(runId, partition, partitions, owner, token, newExpiry);
  }

  @Override
  public String toString() {
    return "lease of " + runId + " partition " + partition + "/" + partitions + " by " + owner + " until " + expiresAt;
  }
}
