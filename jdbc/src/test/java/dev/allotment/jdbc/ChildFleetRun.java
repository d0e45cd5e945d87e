package dev.allotment.jdbc;

import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.FleetRun;
import dev.allotment.engine.FleetSummary;
import dev.allotment.engine.PackageBilling;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.UnitOfWork;
import java.time.Duration;
import java.time.LocalDate;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The program {@link ChildCharge#startFleet} starts in a child JVM: one engine's share of a fleet
 * CHARGE (ALLOW_NEGATIVE) of whatever the PostgreSQL schema at the given URL holds, printing
 * {@value PooledChildChargeRun#COMMITTING} as it hands a batch to the unit of work,
 * {@value ChildChargeRun#PROGRESS} and the new lines after each committed batch, then
 * {@value #SUMMARY} with the fleet summary, {@value #FLEET_DONE} with whether the run is done, and
 * {@value ChildChargeRun#DONE}.
 *
 * <p>Its clock is the scenario's (a fixed instant) plus the given offset: leases expire by that
 * clock, so a child started with an offset past the lease duration is a host calling again later,
 * and finds the leases of a killed child expired; no one waits in real time. Its connections carry
 * the application name {@value #APPLICATION_NAME} followed by the owner, by which the parent ends
 * the sessions of this child alone after killing it.
 *
 * <p>Arguments: the JDBC URL, the run date, the batch size, the page size, the owner, the clock
 * offset and the lease duration in milliseconds, the partition count.
 */
final class ChildFleetRun {
  static final String APPLICATION_NAME = "allotment-fleet-child-";
  static final String SUMMARY = "fleet-summary ";
  static final String FLEET_DONE = "fleet-done ";

  private ChildFleetRun() {}

  public static void main(String[] args) {
    String owner = args[4];
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setUrl(args[0]);
    pg.setApplicationName(APPLICATION_NAME + owner);
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    pool.setMaxConnections(4);
    JdbcStores stores = JdbcStores.builder(pool).dialect(JdbcStores.Dialect.POSTGRESQL).migrateOnStart(false)
        .build();
    RecordingUnitOfWork recording = new RecordingUnitOfWork(stores.unitOfWork(), added -> {
      System.out.println(ChildChargeRun.PROGRESS + added);
      System.out.flush();
    });
    UnitOfWork announcing = batch -> {
      System.out.println(PooledChildChargeRun.COMMITTING);
      System.out.flush();
      return recording.commit(batch);
    };
    BillingStores bundle = BillingStores.builder().catalog(stores.catalog()).assignments(stores.assignments())
        .journal(stores.journal()).creditLedger(stores.creditLedger()).spend(stores.spend())
        .freeMinutes(stores.freeMinutes()).unitOfWork(announcing).events(stores.events())
        .runLeases(stores.runLeases().orElseThrow()).build();
    MutableBillingClock clock = MixedScenario.clock();
    clock.advance(Duration.ofMillis(Long.parseLong(args[5])));
    PackageBilling billing = PackageBilling.builder().clock(clock).stores(bundle)
        .creditPolicy(CreditPolicy.ALLOW_NEGATIVE).batchSize(Integer.parseInt(args[2]))
        .pageSize(Integer.parseInt(args[3])).build();
    FleetSummary summary = billing.runFleet(FleetRun.of(LocalDate.parse(args[1]), owner)
        .withLeaseDuration(Duration.ofMillis(Long.parseLong(args[6]))).withPartitions(Integer.parseInt(args[7])));
    System.out.println(SUMMARY + summary.partitionsRun() + " " + summary.partitionsLost() + " "
        + summary.charged().charged());
    System.out.println(FLEET_DONE + summary.done());
    System.out.println(ChildChargeRun.DONE);
    System.out.flush();
    pool.dispose();
  }
}
