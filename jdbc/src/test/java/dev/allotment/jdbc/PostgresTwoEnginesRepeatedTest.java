package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.LineStatus;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import dev.allotment.spi.ConcurrentRunner;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two engines, each over its own {@link JdbcStores} on its own connection pool, charge the same date
 * on one PostgreSQL schema at the same moment (released by a barrier, and again at their first
 * commit, so both commit the first page's lines at once), fifty times over a small
 * scenario (a few hundred lines: {@link MixedScenario} charged once on February 1, some assignments
 * then ended inside charged periods, so the run under test also credits adjustments back), with
 * batches of a few lines so the engines' commits interleave over the same keys. Every time: every
 * line, debit, balance, grant and watermark exactly as after one clean run on a schema of its own,
 * row for row; as many credit entries and grant rows; the lines the two engines added sum to the
 * clean run's while the batches they committed held more (the same lines, committed by both); the
 * keys their reports charged are the clean run's; a third run charges nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class PostgresTwoEnginesRepeatedTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  private static final int ASSIGNMENTS = 24;
  private static final int BATCH = 7;
  private static final int PAGE = 5;

  private StoreState referenceState;
  private int referenceAdded;
  private Set<String> referenceCharged;
  private DataSource setUpPool;
  private DataSource[] pools;

  /** Once, lazily, so that without PostgreSQL each repetition is skipped rather than the class failing. */
  @BeforeEach
  void cleanRunOnce() {
    if (referenceState != null) {
      return;
    }
    TestDatabase.Fresh reference = DB.fresh();
    DataSource pool = reference.pool();
    JdbcStores stores = JdbcStores.create(pool);
    prepare(stores);
    RecordingUnitOfWork recording = new RecordingUnitOfWork(stores.unitOfWork());
    RunReport report = MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE, u -> recording)
        .run(MixedScenario.RUN, RunMode.CHARGE);
    referenceAdded = recording.linesAdded();
    referenceCharged = charged(report);
    StoreState state = StoreState.read(pool);
    assertEquals(referenceCharged.size(), referenceAdded);
    assertTrue(referenceAdded >= 200 && referenceAdded <= 600, "a few hundred lines: " + referenceAdded);
    assertTrue(state.creditEntries().size() > 100, "debits: " + state.creditEntries().size());
    assertTrue(state.grants().size() >= 5, "grants: " + state.grants().size());
    assertTrue(report.lines().stream().anyMatch(l -> l.line().retail().isNegative() && l.line().autoDecrement()),
        "the run credits adjustments back");
    assertTrue(recording.batches().size() > 30, "many small batches: " + recording.batches().size());

    TestDatabase.Fresh shared = DB.fresh();
    setUpPool = shared.pool();
    JdbcStores.create(setUpPool);
    pools = new DataSource[] {shared.pool(), shared.pool()};
    referenceState = state;
  }

  /** The scenario, charged on February 1, then every third open assignment ended on January 25. */
  private static void prepare(JdbcStores stores) {
    List<Assignment> assignments = MixedScenario.assignments(ASSIGNMENTS);
    MixedScenario.setUp(stores, MixedScenario.catalog(), assignments);
    PackageBilling billing = MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, 500, 100);
    billing.run(MixedScenario.FIRST_CHARGE, RunMode.CHARGE);
    for (Assignment a : assignments) {
      if (a.endDate().isEmpty() && Math.floorMod(a.id().hashCode(), 3) == 0
          && !a.startDate().isAfter(LocalDate.of(2026, 1, 20))) {
        billing.unassign(a.id(), LocalDate.of(2026, 1, 25));
      }
    }
  }

  private static Set<String> charged(RunReport report) {
    Set<String> keys = new TreeSet<>();
    report.lines(LineStatus.CHARGED).forEach(l -> keys.add(l.line().key().toString()));
    return keys;
  }

  @RepeatedTest(50)
  void twoEnginesChargingTheSameDateWriteEveryLineDebitAndGrantOnce() throws Exception {
    MixedScenario.empty(DB, setUpPool);
    prepare(MixedScenario.stores(setUpPool));

    RecordingUnitOfWork[] recordings = new RecordingUnitOfWork[2];
    PackageBilling[] engines = new PackageBilling[2];
    // Each engine's first batch waits for the other's: both have planned the first page from the
    // same state, so they commit the same keys at the same moment.
    CyclicBarrier firstCommits = new CyclicBarrier(2);
    for (int e = 0; e < 2; e++) {
      int engine = e;
      AtomicBoolean first = new AtomicBoolean(true);
      engines[e] = MixedScenario.engine(MixedScenario.stores(pools[e]), CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE,
          u -> {
            recordings[engine] = new RecordingUnitOfWork(u);
            return batch -> {
              if (first.getAndSet(false)) {
                try {
                  firstCommits.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e1) {
                  throw new IllegalStateException("the other engine never reached its first commit", e1);
                }
              }
              return recordings[engine].commit(batch);
            };
          });
    }
    RunReport[] reports = new RunReport[2];
    ConcurrentRunner.run(2, 1, (thread, iteration) -> reports[thread] = engines[thread].run(MixedScenario.RUN,
        RunMode.CHARGE));

    StoreState actual = StoreState.read(setUpPool);
    StoreState.assertSame(referenceState, actual, "two engines at once");
    assertEquals(referenceState.creditEntries().size(), actual.creditEntries().size(), "credit entries");
    assertEquals(referenceState.grants().size(), actual.grants().size(), "grant rows");
    assertEquals(referenceAdded, recordings[0].linesAdded() + recordings[1].linesAdded(), "lines added by the two"
        + " engines together (first " + recordings[0].linesAdded() + ", second " + recordings[1].linesAdded() + ")");
    int attempted = recordings[0].batches().stream().mapToInt(b -> b.keys().size()).sum()
        + recordings[1].batches().stream().mapToInt(b -> b.keys().size()).sum();
    assertTrue(attempted > referenceAdded, "both engines committed some of the same lines: " + attempted
        + " committed for " + referenceAdded + " added");
    Set<String> union = new TreeSet<>(charged(reports[0]));
    union.addAll(charged(reports[1]));
    assertEquals(referenceCharged, union, "the lines the two reports charged");
    assertEquals(0, engines[0].run(MixedScenario.RUN, RunMode.CHARGE).summary().count(LineStatus.CHARGED),
        "a third run charges nothing");
  }
}
