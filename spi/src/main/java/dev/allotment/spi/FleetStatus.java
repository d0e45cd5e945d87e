package dev.allotment.spi;

/**
 * How far a fleet run is, at one instant: its partitions, how many are done, and how many are held
 * by a lease that has not expired. The rest are claimable.
 *
 * <p>Immutable and thread-safe.
 *
 * @param runId the fleet run
 * @param partitions how many partitions the run has; 0 when the run was never opened
 * @param done the partitions completed
 * @param leased the partitions not done whose lease had not expired at the instant asked about
 */
public record FleetStatus(String runId, int partitions, int done, int leased) {
  /**
   * Checks {@code 0 <= done + leased <= partitions}.
   *
   * @param runId the fleet run
   * @param partitions how many partitions
   * @param done the partitions completed
   * @param leased the partitions held by a live lease
   */
  public FleetStatus {
    java.util.Objects.requireNonNull(runId, "runId");
    if (partitions < 0 || done < 0 || leased < 0 || done + leased > partitions) {
      throw new IllegalArgumentException("need 0 <= done + leased <= partitions, were done " + done + ", leased "
          + leased + ", partitions " + partitions);
    }
  }

  /** {@return true when the run was opened and every partition is done} */
  public boolean complete() {
    return partitions > 0 && done == partitions;
  }

  /** {@return the partitions neither done nor held by a live lease} */
  public int claimable() {
    return partitions - done - leased;
  }
}
