package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.LineStatus;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunRequest;
import dev.allotment.engine.RunSummary;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fleet CHARGE of {@value BulkScenario#ASSIGNMENTS} assignments ({@link BulkScenario}, about 77,000
 * lines) on PostgreSQL shared by three engines in child JVMs ({@link ChildFleetRun}), one of them
 * killed with SIGKILL mid-partition: the other two charge every other partition and return not done
 * (the dead engine's lease is live by their clocks); a fourth engine whose clock is past the lease
 * (a host calling again later; nobody waits in real time) takes the dead partition over, finishes
 * it, and the run is done. The stores then equal those of one clean single-engine run on a schema
 * of its own, row for row (nothing lost, nothing twice), every effect has its event once, and no
 * partition is left behind. Once with the three engines started together, once one after another.
 */
final class PostgresFleetKillTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  private static final int BATCH = 500;
  private static final int PAGE = 1000;
  private static final int PARTITIONS = 16;
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration LATER = LEASE.plusSeconds(1);

  /** The clean single-engine run's state and line count, computed once for both tests. */
  private static StoreState expected;
  private static long charged;

  private static synchronized void reference() throws SQLException {
    if (expected != null) {
      return;
    }
    DataSource pool = DB.fresh().pool();
    JdbcStores stores = JdbcStores.create(pool);
    BulkScenario.load(pool);
    RunSummary clean = MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE)
        .run(RunRequest.of(BulkScenario.RUN, RunMode.CHARGE), line -> { });
    charged = clean.count(LineStatus.CHARGED);
    assertTrue(charged > 40_000, "a big run: " + clean);
    expected = StoreState.read(pool);
  }

  private static TestDatabase.Fresh work() throws SQLException {
    TestDatabase.Fresh work = DB.fresh();
    JdbcStores.create(work.pool());
    BulkScenario.load(work.pool());
    return work;
  }

  private static ChildCharge engine(TestDatabase.Fresh work, String owner, Duration clockOffset) throws Exception {
    return ChildCharge.startFleet(work.url(), BulkScenario.RUN, BATCH, PAGE, owner, clockOffset, LEASE, PARTITIONS);
  }

  @Test
  void threeEnginesOneKilledMidRunTheOthersAndALaterOneFinishEveryLineOnce() throws Exception {
    long started = System.nanoTime();
    reference();
    TestDatabase.Fresh work = work();
    List<ChildCharge> engines = new ArrayList<>();
    try {
      for (String owner : List.of("e1", "e2", "e3")) {
        engines.add(engine(work, owner, Duration.ZERO));
      }
      // e1 dies after about 8,000 of its lines, in the middle of a partition.
      assertTrue(engines.get(0).awaitCommits(16), "e1 charged 16 batches before the others finished");
      // Killed as it hands a batch over: inside a partition, never between two.
      assertTrue(engines.get(0).awaitCommitStart());
      engines.get(0).kill(work.pool());
      finish(work, engines.get(1), engines.get(2), "e1");
    } finally {
      engines.forEach(ChildCharge::close);
    }
    System.out.printf("%s (together): %d lines, %.1f s%n", getClass().getSimpleName(), charged,
        (System.nanoTime() - started) / 1e9);
  }

  @Test
  void enginesStartingAtDifferentTimesOneKilledFinishEveryLineOnce() throws Exception {
    long started = System.nanoTime();
    reference();
    TestDatabase.Fresh work = work();
    List<ChildCharge> engines = new ArrayList<>();
    try {
      engines.add(engine(work, "e1", Duration.ZERO));
      assertTrue(engines.get(0).awaitCommits(12), "e1 started alone");
      engines.add(engine(work, "e2", Duration.ZERO));
      assertTrue(engines.get(1).awaitCommits(6), "e2 joined");
      engines.add(engine(work, "e3", Duration.ZERO));
      assertTrue(engines.get(2).awaitCommits(2), "e3 joined last");
      // The middle one dies, as it hands a batch over.
      assertTrue(engines.get(1).awaitCommitStart());
      engines.get(1).kill(work.pool());
      finish(work, engines.get(0), engines.get(2), "e2");
    } finally {
      engines.forEach(ChildCharge::close);
    }
    System.out.printf("%s (staggered): %d lines, %.1f s%n", getClass().getSimpleName(), charged,
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * After the kill of {@code dead}: the survivors end not done, a later engine finishes, and the
   * outcome is the clean run's.
   */
  private void finish(TestDatabase.Fresh work, ChildCharge survivor1, ChildCharge survivor2, String dead)
      throws Exception {
    DataSource pool = work.pool();
    assertEquals(List.of("1"), UpgradeChecks.rows(pool, "SELECT COUNT(*) FROM " + JdbcRunLeases.TABLE
        + " WHERE lease_owner = '" + dead + "' AND done_at IS NULL"), dead + " died holding one partition");
    for (ChildCharge survivor : List.of(survivor1, survivor2)) {
      survivor.awaitDone();
      assertEquals("false", survivor.said(ChildFleetRun.FLEET_DONE).orElseThrow(),
          "a survivor ends not done while the dead engine's lease is live: " + survivor.transcript());
    }
    assertEquals(List.of("15"), UpgradeChecks.rows(pool, "SELECT COUNT(*) FROM " + JdbcRunLeases.TABLE
        + " WHERE done_at IS NOT NULL"), "every partition but the dead engine's is done");

    try (ChildCharge later = engine(work, "e4", LATER)) {
      later.awaitDone();
      assertEquals("true", later.said(ChildFleetRun.FLEET_DONE).orElseThrow(), later.transcript());
      assertTrue(later.said(ChildFleetRun.SUMMARY).orElseThrow().startsWith("1 0 "), "the later engine ran the"
          + " dead engine's partition alone: " + later.transcript());
    }
    assertEquals(List.of("16"), UpgradeChecks.rows(pool, "SELECT COUNT(*) FROM " + JdbcRunLeases.TABLE
        + " WHERE done_at IS NOT NULL"), "no partition left behind");
    StoreState.assertSame(expected, StoreState.read(pool), "a fleet with " + dead + " killed");
    EventOutcome.assertEventsAreThoseOfTheEffects(pool, "after the fleet run");
    assertEquals(charged, EventOutcome.lineEventIds(pool).size(), "one LINE_CHARGED per line charged");
    assertEquals(0, MixedScenario.engine(MixedScenario.stores(pool), CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE)
        .run(RunRequest.of(BulkScenario.RUN, RunMode.CHARGE), line -> { }).count(LineStatus.CHARGED),
        "a plain run afterwards charges nothing");
  }
}
