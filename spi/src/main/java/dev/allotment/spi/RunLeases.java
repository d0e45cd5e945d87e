package dev.allotment.spi;

import dev.allotment.core.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordination of fleet runs: one run shared by any number of engines, its customers cut into
 * a fixed number of partitions, each partition charged by whichever engine holds its lease.
 *
 * <p>A partition is open (never claimed, or its lease expired), leased (held until its expiry) or
 * done. {@link #claim} takes an open partition, or one whose lease expired, for a new lease with a
 * new token; the holder {@link #renew renews} it while it works and {@link #complete completes} it
 * when its share is charged. A lease that is not renewed expires, and another engine claims the
 * partition and charges it again from the start: charging is idempotent per line key, so what the
 * first engine committed is found held, and nothing is charged twice. Instants come from the
 * caller (the engine's clock), never from the store's own clock, so every engine and every test
 * sees the same expiries.
 *
 * <p>Contract, which {@code RunLeasesContract} in the test-jar checks:
 * <ul>
 *   <li>no two claims ever hold one partition at once: a claim never returns a partition whose
 *       lease is live at the claim's instant, whoever asks, however many ask at once;
 *   <li>a renew or complete with a lease whose token is no longer the partition's (it was taken
 *       over) is refused and changes nothing; an expired lease nobody took over may still be renewed
 *       or completed (expiry only makes the partition claimable);
 *   <li>complete is idempotent: completing a done partition again with its lease returns true and
 *       changes nothing; a done partition is never claimed again.
 * </ul>
 *
 * <p>Implementations are thread-safe. Allotment ships {@link InMemoryRunLeases} (one process) and
 * the JDBC one ({@code SELECT ... FOR UPDATE SKIP LOCKED} on a lease row per partition).
 */
public interface RunLeases {
  /** The most partitions a fleet run may have. */
  int MAX_PARTITIONS = 4096;

  /**
   * Creates the run's partitions 0..partitions-1, open, unless the run exists.
   *
   * @param runId the fleet run: an id of {@link Ids}' alphabet
   * @param partitions how many partitions, 1..{@value #MAX_PARTITIONS}
   * @throws IllegalStateException when the run exists with another number of partitions
   */
  void open(String runId, int partitions);

  /**
   * Leases one partition of the run that is neither done nor held by a live lease, the lowest
   * such; expires at {@code now + duration}.
   *
   * @param runId the fleet run
   * @param owner the engine claiming, for the record: an id of {@link Ids}' alphabet
   * @param now the caller's instant
   * @param duration how long the lease lasts unless renewed, positive
   * @return the lease, or empty when nothing is claimable (every partition done or leased)
   */
  Optional<RunLease> claim(String runId, String owner, Instant now, Duration duration);

  /**
   * Extends the lease to {@code now + duration}, if it is still the partition's lease.
   *
   * @param lease the lease held
   * @param now the caller's instant
   * @param duration how long from now, positive
   * @return the renewed lease, or empty when the lease was taken over or its partition is done
   */
  Optional<RunLease> renew(RunLease lease, Instant now, Duration duration);

  /**
   * Marks the lease's partition done, if the lease is still the partition's.
   *
   * @param lease the lease held
   * @param now the caller's instant, recorded
   * @return true when the partition is done under this lease (now or before); false when the lease
   *     was taken over
   */
  boolean complete(RunLease lease, Instant now);

  /**
   * How far the run is.
   *
   * @param runId the fleet run
   * @param now the instant at which leases count as live or expired
   * @return the status; 0 partitions when the run was never opened
   */
  FleetStatus status(String runId, Instant now);

  /**
   * Checks a run id and a partition count, naming the field refused.
   *
   * @param runId the fleet run
   * @param partitions how many partitions
   */
  static void checkRun(String runId, int partitions) {
    Ids.require("runId", runId);
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException("partitions must be within 1.." + MAX_PARTITIONS + ", was " + partitions);
    }
  }

  /**
   * Checks the arguments of a claim, naming the field refused.
   *
   * @param runId the fleet run
   * @param owner the engine claiming
   * @param now the caller's instant
   * @param duration the lease's duration
   */
  static void checkClaim(String runId, String owner, Instant now, Duration duration) {
    Ids.require("runId", runId);
    Ids.require("owner", owner);
    checkTerm(now, duration);
  }

  /**
   * Checks an instant and a lease duration, naming the field refused.
   *
   * @param now the caller's instant
   * @param duration the lease's duration, positive
   */
  static void checkTerm(Instant now, Duration duration) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
  }
}
