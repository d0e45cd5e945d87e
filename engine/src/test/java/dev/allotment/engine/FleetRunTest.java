package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.LineStatus;
import dev.allotment.spi.FleetStatus;
import dev.allotment.spi.RunLease;
import dev.allotment.spi.RunLeases;
import dev.allotment.spi.UnitOfWork;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fleet runs on the in-memory stores and their {@link dev.allotment.spi.InMemoryRunLeases}, with the
 * fake clock deciding expiries: engines share a run partition by partition, a dead engine's
 * partition is taken over once its lease expires, an engine whose lease was taken over stops and
 * its late renew and complete are refused, and the run is done only when every partition is.
 * Every outcome equals that of one plain run: nothing lost, nothing twice.
 */
final class FleetRunTest {
  private static final LocalDate RUN = LocalDate.of(2026, 3, 31);
  private static final Duration LEASE = Duration.ofMinutes(1);

  private static World world() {
    List<Assignment> assignments = new ArrayList<>(Fixtures.mixedAssignments(30, JAN_1));
    for (int i = 0; i < 30; i++) {
      assignments.add(Assignment.builder("x" + i).customerId("customer-" + i).packageId("monthly").startDate(JAN_1)
          .autoDecrementCredit(true).build());
    }
    return new World(CreditPolicy.ALLOW_NEGATIVE, 11).define(Fixtures.mixedCatalog(), assignments);
  }

  private static FleetRun fleet(String owner) {
    return FleetRun.of(RUN, owner).withPartitions(4).withLeaseDuration(LEASE);
  }

  private static RunLeases leases(World world) {
    return world.memory.runLeases().orElseThrow();
  }

  @Test
  void oneEngineAloneRunsEveryPartitionAndChargesWhatOneRunCharges() {
    World whole = world();
    RunReport single = whole.clean().run(RUN, RunMode.CHARGE);
    World split = world();

    FleetSummary first = split.clean().runFleet(fleet("e1"));

    assertTrue(first.done(), first.toString());
    assertEquals(4, first.partitionsRun());
    assertEquals(0, first.partitionsLost());
    assertEquals(new FleetStatus("charge-2026-03-31", 4, 4, 0), first.status());
    assertEquals(single.summary().count(LineStatus.CHARGED), first.charged().count(LineStatus.CHARGED));
    assertEquals(single.summary().totals(), first.charged().totals());
    assertEquals(single.summary().assignmentsPlanned(), first.charged().assignmentsPlanned());
    World.assertSameOutcome(whole.outcome(), split.outcome(), "a fleet of one");

    FleetSummary again = split.clean().runFleet(fleet("e2"));
    assertTrue(again.done());
    assertEquals(0, again.partitionsRun(), "a done run has nothing to claim");
    assertEquals(0, again.charged().charged());
  }

  @Test
  void aDeadEnginesPartitionWaitsForItsLeaseToExpireThenAnotherEngineFinishesIt() {
    World whole = world();
    whole.clean().run(RUN, RunMode.CHARGE);
    World split = world();
    RunLeases leases = leases(split);
    leases.open("charge-2026-03-31", 4);
    RunLease dead = leases.claim("charge-2026-03-31", "dead", split.clock.now(), LEASE).orElseThrow();
    // The dead engine charged its first batch of that partition, then crashed in the second.
    AtomicInteger commits = new AtomicInteger();
    UnitOfWork crashing = batch -> {
      if (commits.incrementAndGet() == 2) {
        throw new IllegalStateException("killed");
      }
      return split.memory.unitOfWork().commit(batch);
    };
    assertThrows(IllegalStateException.class, () -> split.through(crashing)
        .run(RunRequest.of(RUN, RunMode.CHARGE).inPartition(dead.partition(), 4)));

    FleetSummary before = split.clean().runFleet(fleet("e1"));
    assertFalse(before.done(), "the dead engine's lease is live: " + before);
    assertEquals(3, before.partitionsRun());
    assertEquals(new FleetStatus("charge-2026-03-31", 4, 3, 1), before.status());

    split.clock.advance(LEASE.minusSeconds(1));
    assertFalse(split.clean().runFleet(fleet("e2")).done(), "a second short of expiry");
    split.clock.advance(Duration.ofSeconds(1));
    FleetSummary after = split.clean().runFleet(fleet("e2"));
    assertTrue(after.done(), after.toString());
    assertEquals(1, after.partitionsRun());
    assertTrue(after.charged().count(LineStatus.ALREADY_CHARGED) > 0, "the dead engine's batch was found held");

    assertEquals(Optional.empty(), leases.renew(dead, split.clock.now(), LEASE), "the dead engine's late renew");
    assertFalse(leases.complete(dead, split.clock.now()), "the dead engine's late complete");
    assertTrue(leases.status("charge-2026-03-31", split.clock.now()).complete());
    World.assertSameOutcome(whole.outcome(), split.outcome(), "a dead engine's partition taken over");
  }

  @Test
  void anEngineWhoseLeaseIsTakenOverMidPartitionStopsAndTheOtherFinishes() {
    World whole = world();
    RunReport single = whole.clean().run(RUN, RunMode.CHARGE);
    World split = world();
    List<FleetSummary> other = new ArrayList<>();
    // Engine A stalls in its first batch past its lease; meanwhile engine B runs the whole fleet run.
    UnitOfWork stalling = batch -> {
      if (other.isEmpty()) {
        split.clock.advance(LEASE.plusSeconds(1));
        other.add(split.clean().runFleet(fleet("b")));
      }
      return split.memory.unitOfWork().commit(batch);
    };
    PackageBilling a = PackageBilling.builder().clock(split.clock).stores(dev.allotment.spi.BillingStores.builder()
        .catalog(split.memory.catalog()).assignments(split.memory.assignments()).journal(split.memory.journal())
        .creditLedger(split.memory.creditLedger()).spend(split.memory.spend()).freeMinutes(split.memory.freeMinutes())
        .unitOfWork(stalling).events(split.memory.events()).runLeases(leases(split)).build()).batchSize(11)
        .pageSize(13).commitsInFlight(1).build(); // the stall acts on A's first commit, in order

    FleetSummary summaryOfA = a.runFleet(fleet("a"));

    FleetSummary summaryOfB = other.get(0);
    assertTrue(summaryOfB.done(), summaryOfB.toString());
    assertEquals(4, summaryOfB.partitionsRun(), "B took A's expired partition over and ran the others");
    assertEquals(1, summaryOfA.partitionsLost(), summaryOfA.toString());
    assertEquals(0, summaryOfA.partitionsRun());
    assertTrue(summaryOfA.done(), "A finds the run done when it stops");
    assertEquals(single.summary().count(LineStatus.CHARGED), summaryOfB.charged().count(LineStatus.CHARGED),
        "B charged every line");
    // A renews its lease between pages: it finishes the page it had in hand (a page's worth of its
    // partition, 13 assignments), whose lines its report may list as CHARGED too, and stops there.
    assertTrue(summaryOfA.charged().assignmentsPlanned() <= 13, summaryOfA.charged().toString());
    assertTrue(summaryOfA.charged().count(LineStatus.CHARGED) < single.summary().count(LineStatus.CHARGED),
        summaryOfA.charged().toString());
    World.assertSameOutcome(whole.outcome(), split.outcome(), "a lease taken over mid-partition");
  }

  @Test
  void badInputsAreRefusedNamingTheField() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetRun.of(RUN, "")).getMessage()
        .contains("owner"));
    assertTrue(assertThrows(NullPointerException.class, () -> FleetRun.of(null, "e1")).getMessage()
        .contains("date"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> fleet("e1").withPartitions(0)).getMessage()
        .contains("partitions"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> fleet("e1").withPartitions(RunLeases.MAX_PARTITIONS
        + 1)).getMessage().contains("partitions"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> fleet("e1").withLeaseDuration(Duration.ZERO))
        .getMessage().contains("leaseDuration"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> fleet("e1").withRunId("a run")).getMessage()
        .contains("runId"));
    assertThrows(NullPointerException.class, () -> world().clean().runFleet(null));
  }

  @Test
  void storesWithoutRunLeasesRefuseFleetRunsNamingWhatIsMissing() {
    World world = world();
    PackageBilling engine = world.through(world.memory.unitOfWork()); // a bundle built without runLeases
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.runFleet(fleet("e1")));
    assertTrue(e.getMessage().contains("runLeases"), e.getMessage());
    assertEquals(0, world.memory.journal().lines("a0").size(), "nothing charged");
  }

  @Test
  void enginesOfOneRunMustAgreeOnItsPartitionCount() {
    World world = world();
    world.clean().runFleet(fleet("e1"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> world.clean().runFleet(fleet("e2").withPartitions(8)));
    assertTrue(e.getMessage().contains("4 partitions"), e.getMessage());
  }

  @Test
  void aDateBeyondTheHorizonIsRefusedBeforeAnythingIsClaimed() {
    World world = world();
    assertThrows(IllegalArgumentException.class, () -> world.clean().runFleet(FleetRun.of(LocalDate.of(2099, 1, 1),
        "e1")));
    assertEquals(0, leases(world).status("charge-2099-01-01", world.clock.now()).partitions());
  }
}
