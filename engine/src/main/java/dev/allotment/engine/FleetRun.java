package dev.allotment.engine;

import dev.allotment.core.Ids;
import dev.allotment.spi.RunLeases;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A CHARGE run shared by a fleet of engines ({@link PackageBilling#runFleet}): the customers are cut
 * into {@link #partitions()} partitions by the hash {@link RunRequest#inPartition} uses, and each
 * engine that calls the run charges the partitions it leases until none is left to claim.
 *
 * <p>Every engine of one run names the same {@link #runId()} and partition count; the run id
 * defaults to {@code charge-<date>}. A done run stays done: to charge the same date again (new
 * assignments were added, or an assignment failed and was fixed), use another run id. A failed
 * assignment is reported in the summary of the engine that ran its partition, which still completes.
 *
 * <p>The partition count trades two costs. Each partition reads its own assignments
 * ({@link dev.allotment.spi.AssignmentStore#pageInPartition}), but a store may walk past the
 * others' rows to find them (the JDBC store's database does, once per partition); and a partition
 * is what one engine redoes when another dies holding it. The default, {@value #DEFAULT_PARTITIONS},
 * lets 16 engines share a run; a fleet of more engines wants more partitions.
 *
 * <p>The lease must outlast one page of the run (read, plan and commit of
 * {@code pageSize} assignments): the engine renews it after every page. The default is
 * {@link #DEFAULT_LEASE_DURATION}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param date the run date
 * @param runId the fleet run every engine shares, an id of {@link Ids}' alphabet
 * @param owner the engine's name in the leases, an id of {@link Ids}' alphabet (a host name, a pod name)
 * @param partitions how many partitions, 1..{@value RunLeases#MAX_PARTITIONS}
 * @param leaseDuration how long a lease lasts unless renewed, at least a millisecond
 */
public record FleetRun(LocalDate date, String runId, String owner, int partitions, Duration leaseDuration) {
  /** Partitions of a fleet run unless said otherwise. */
  public static final int DEFAULT_PARTITIONS = 16;
  /** Two minutes: a page takes seconds; a dead engine's partitions wait this long for another. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofMinutes(2);

  /**
   * Checks every component, naming the one refused.
   *
   * @param date the run date
   * @param runId the fleet run
   * @param owner the engine's name
   * @param partitions how many partitions
   * @param leaseDuration how long a lease lasts
   */
  public FleetRun {
    Objects.requireNonNull(date, "date");
    RunLeases.checkRun(runId, partitions);
    Ids.require("owner", owner);
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    if (leaseDuration.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("leaseDuration must be at least 1 ms, was " + leaseDuration);
    }
  }

  /**
   * The fleet run {@code charge-<date>} with {@value #DEFAULT_PARTITIONS} partitions and leases of
   * {@link #DEFAULT_LEASE_DURATION}.
   *
   * @param date the run date
   * @param owner the engine's name
   * @return the run
   */
  public static FleetRun of(LocalDate date, String owner) {
    return new FleetRun(date, "charge-" + Objects.requireNonNull(date, "date"), owner, DEFAULT_PARTITIONS,
        DEFAULT_LEASE_DURATION);
  }

  /**
   * This run under another id.
   *
   * @param newRunId the run id
   * @return the run
   */
  public FleetRun withRunId(String newRunId) {
    return new FleetRun(date, newRunId, owner, partitions, leaseDuration);
  }

  /**
   * This run cut into another number of partitions.
   *
   * @param newPartitions how many
   * @return the run
   */
  public FleetRun withPartitions(int newPartitions) {
    return new FleetRun(date, runId, owner, newPartitions, leaseDuration);
  }

  /**
   * This run with leases of another duration.
   *
   * @param newLeaseDuration the duration
   * @return the run
   */
  public FleetRun withLeaseDuration(Duration newLeaseDuration) {
    return new FleetRun(date, runId, owner, partitions, newLeaseDuration);
  }
}
