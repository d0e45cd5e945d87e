package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.LineStatus;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import dev.allotment.spi.ConcurrentRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestInstance;

/**
 * Two engines, each over its own {@link JdbcStores} on its own connection pool, charge the same date
 * against one database at the same moment (two threads released by a barrier): every journal line,
 * credit entry, balance, grant and assignment ends exactly as after one clean run on a database of
 * its own, row for row, and between them the engines added exactly as many lines as the clean run
 * did (a line both committed counts once: the second batch found its key held).
 *
 * <p>The "connection pools" are H2's {@code JdbcConnectionPool} (a dependency of {@code jdbc}
 * already; the project adds no pool library) over pgjdbc's {@code PGConnectionPoolDataSource} or
 * H2's own DataSource, two independent pools on one database, as {@link TestDatabase} builds them:
 * with a new connection per store call the run would spend its time connecting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoEngineChecks {
  /** Small pages and batches, so the engines interleave many commits over the same keys. */
  private static final int BATCH = 50;
  private static final int PAGE = 20;

  private StoreState referenceState;
  private int referenceAdded;
  private Set<String> referenceCharged;
  private DataSource setUpPool;
  private DataSource[] pools;

  abstract TestDatabase db();

  /**
   * Once per class, lazily: before the first test, not in a {@code @BeforeAll}, so that without a
   * database {@link TestDatabase} skips each test instead of this failing the class.
   */
  @BeforeEach
  void cleanRunOnce() {
    if (referenceState == null) {
      cleanRun();
    }
  }

  private void cleanRun() {
    TestDatabase.Fresh reference = db().fresh();
    JdbcStores stores = JdbcStores.create(reference.pool());
    EngineFixtures.prepare(stores);
    RecordingUnitOfWork recording = new RecordingUnitOfWork(stores.unitOfWork());
    RunReport report = EngineFixtures.engine(stores, BATCH, PAGE, u -> recording).run(EngineFixtures.RUN,
        RunMode.CHARGE);
    assertTrue(report.summary().count(LineStatus.CHARGED) > 2000, report.summary().toString());
    StoreState state = StoreState.read(reference.pool());
    referenceAdded = recording.linesAdded();
    referenceCharged = charged(report);
    assertEquals(referenceCharged.size(), referenceAdded);
    assertTrue(state.creditEntries().size() > 1000, "the run posts credit: " + state.creditEntries().size());
    assertTrue(state.grants().size() > 50, "the run grants free minutes: " + state.grants().size());

    TestDatabase.Fresh shared = db().fresh();
    setUpPool = shared.pool();
    JdbcStores.create(setUpPool);
    pools = new DataSource[] {shared.pool(), shared.pool()};
    referenceState = state;
  }

  private static Set<String> charged(RunReport report) {
    Set<String> keys = new TreeSet<>();
    report.lines(LineStatus.CHARGED).forEach(l -> keys.add(l.line().key().toString()));
    return keys;
  }

  @RepeatedTest(3)
  void twoEnginesChargingTheSameDateJournalEveryLineAndPostEveryDebitOnce() throws Exception {
    try (Connection connection = setUpPool.getConnection()) {
      db().emptyTables(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the shared tables", e);
    }
    EngineFixtures.prepare(JdbcStores.builder(setUpPool).migrateOnStart(false).build());

    RecordingUnitOfWork[] recordings = new RecordingUnitOfWork[2];
    PackageBilling[] engines = new PackageBilling[2];
    for (int e = 0; e < 2; e++) {
      int engine = e;
      engines[e] = EngineFixtures.engine(JdbcStores.builder(pools[e]).migrateOnStart(false).build(), BATCH, PAGE,
          u -> recordings[engine] = new RecordingUnitOfWork(u));
    }
    RunReport[] reports = new RunReport[2];
    ConcurrentRunner.run(2, 1, (thread, iteration) -> reports[thread] = engines[thread].run(EngineFixtures.RUN,
        RunMode.CHARGE));

    StoreState.assertSame(referenceState, StoreState.read(setUpPool), "two engines at once");
    assertEquals(referenceAdded, recordings[0].linesAdded() + recordings[1].linesAdded(), "lines added by the two"
        + " engines together (first " + recordings[0].linesAdded() + ", second " + recordings[1].linesAdded() + ")");
    // A line both committed at the same moment shows as CHARGED in both reports; the journal holds it once.
    Set<String> union = new TreeSet<>(charged(reports[0]));
    union.addAll(charged(reports[1]));
    assertEquals(referenceCharged, union, "the lines the two reports charged");
    assertEquals(0, engines[0].run(EngineFixtures.RUN, RunMode.CHARGE).summary().count(LineStatus.CHARGED),
        "a third run charges nothing");
  }
}
