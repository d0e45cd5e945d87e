package dev.allotment.engine;

import dev.allotment.spi.FleetStatus;
import java.util.Objects;

/**
 * What one engine's call of a fleet run did: whether the whole run is done, the partitions this
 * engine completed, those it lost (its lease was taken over mid-way: another engine finishes them),
 * the run's status when the engine stopped, and the totals of what this engine charged.
 *
 * <p>Not done means partitions are still leased by other engines (or were lost by this one): the
 * host calls the run again later, and an engine that died holding a lease is replaced once the
 * lease expires.
 *
 * <p>Immutable and thread-safe.
 *
 * @param run the fleet run
 * @param done true when every partition of the run is done
 * @param partitionsRun the partitions this engine charged and completed
 * @param partitionsLost the partitions whose lease this engine lost mid-way
 * @param status the run's status when this engine stopped
 * @param charged the counts and totals of what this engine charged, over its partitions
 */
public record FleetSummary(FleetRun run, boolean done, int partitionsRun, int partitionsLost, FleetStatus status,
    RunSummary charged) {
  /**
   * Checks every component.
   *
   * @param run the fleet run
   * @param done whether the run is done
   * @param partitionsRun partitions completed by this engine
   * @param partitionsLost partitions lost by this engine
   * @param status the run's status
   * @param charged what this engine charged
   */
  public FleetSummary {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(charged, "charged");
    if (partitionsRun < 0 || partitionsLost < 0) {
      throw new IllegalArgumentException("partition counts must be >= 0, were run " + partitionsRun + ", lost "
          + partitionsLost);
    }
    if (done != status.complete()) {
      throw new IllegalArgumentException("done must be the status's, was " + done + " for " + status);
    }
  }

  @Override
  public String toString() {
    return "FleetSummary[" + run.runId() + " " + (done ? "done" : "not done") + ", " + status.done() + "/"
        + status.partitions() + " partitions done, " + partitionsRun + " run here, " + partitionsLost + " lost; "
        + charged.charged() + " lines charged here]";
  }
}
