package dev.allotment.engine;

import dev.allotment.spi.FleetStatus;
import dev.allotment.spi.RunLease;
import dev.allotment.spi.RunLeases;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine's share of a fleet run: opens the run's partitions (if no engine did), then claims a
 * partition, charges it as an ordinary partitioned run ({@link RunExecution} over
 * {@link RunRequest#inPartition}), renewing the lease after every page, completes it, and claims
 * the next, until nothing is claimable. It never waits for partitions other engines hold: it
 * returns, not done, and the host calls again.
 *
 * <p>A renewal refused means another engine took the partition over (the lease had expired): this
 * engine stops it after the page in hand and leaves it to the other. Whatever both committed is
 * keyed by line, so nothing is charged twice. A store failure ends the call; the lease then expires
 * and another engine (or this one, later) takes the partition over.
 *
 * <p>Not thread-safe; one per call of {@link PackageBilling#runFleet}.
 */
final class FleetExecution {
  private static final Logger LOG = LoggerFactory.getLogger(PackageBilling.class);

  private final PackageBilling billing;
  private final FleetRun run;
  private final RunLeases leases;

  FleetExecution(PackageBilling billing, FleetRun run) {
    this.billing = billing;
    this.run = run;
    this.leases = billing.stores().runLeases().orElseThrow(() -> new IllegalStateException("the stores lack"
        + " runLeases: fleet runs need a RunLeases in the bundle (InMemoryStores and JdbcStores have one; a bundle"
        + " of BillingStores.builder() takes one with runLeases(...))"));
  }

  FleetSummary execute() {
    RunRequest whole = RunRequest.of(run.date(), RunMode.CHARGE);
    RunLimits.check(whole, billing.clock().today(), billing.runSettings().runHorizonYears());
    leases.open(run.runId(), run.partitions());
    List<RunSummary> charged = new ArrayList<>();
    int completed = 0;
    int lost = 0;
    for (Optional<RunLease> claimed = claim(); claimed.isPresent(); claimed = claim()) {
      Held held = new Held(claimed.get());
      RunRequest share = whole.inPartition(held.lease.partition(), held.lease.partitions());
      charged.add(new RunExecution(billing, share, line -> { }, held::renew).execute());
      if (!held.lost && leases.complete(held.lease, billing.clock().now())) {
        completed++;
      } else {
        lost++;
        LOG.info("fleet run {}: {} lost partition {} to another engine (its lease expired); the other finishes it",
            run.runId(), run.owner(), held.lease.partition());
      }
    }
    FleetStatus status = leases.status(run.runId(), billing.clock().now());
    FleetSummary summary = new FleetSummary(run, status.complete(), completed, lost, status,
        RunSummary.sum(whole, charged));
    LOG.info("fleet run {} {} by {}: {} partitions run here, {} lost; {}/{} done, {} leased by others; {} lines"
        + " charged here", run.runId(), run.date(), run.owner(), completed, lost, status.done(), status.partitions(),
        status.leased(), summary.charged().charged());
    return summary;
  }

  private Optional<RunLease> claim() {
    return leases.claim(run.runId(), run.owner(), billing.clock().now(), run.leaseDuration());
  }

  /** The lease of the partition in hand, renewed after every page until a renewal is refused. */
  private final class Held {
    RunLease lease;
    boolean lost;

    Held(RunLease lease) {
      this.lease = lease;
    }

    /** Renews the lease; false (stop the partition) once it was taken over. */
    boolean renew() {
      Optional<RunLease> renewed = leases.renew(lease, billing.clock().now(), run.leaseDuration());
      renewed.ifPresent(r -> lease = r);
      lost = renewed.isEmpty();
      return !lost;
    }
  }
}
