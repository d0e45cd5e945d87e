package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.allotment.core.LineStatus;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import dev.allotment.jdbc.CrashingDataSource.Mode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A CHARGE run over the JDBC stores that loses its database part-way (every connection closed, every
 * further call failing), at many points: mid-statement at sevenths of the run, and right after the
 * first, the middle and the next-to-last batch commit. Before anything else runs, the journal holds
 * exactly the first k batches of a clean run (lines and watermarks: whole batches only, in order),
 * every journaled line its credit posting, and no grant or posting exists without its journaled
 * line; after a rerun on a healthy DataSource, the stores equal those of one clean run, row for row.
 * The runs under test commit one batch at a time ({@link EngineFixtures#sequential}), which is what
 * makes "the first k batches, in order" exact; the SIGKILL tests of {@code PostgresKillMidRunTest}
 * and the fleet's run with the default, two batches in flight.
 *
 * <p>The crashing run goes through a {@link CrashingDataSource} over a DataSource that opens a
 * physical connection per call (pgjdbc's {@code PGSimpleDataSource}, H2's {@code JdbcDataSource}),
 * so "connection closed" is a real close and the database really rolls back what was in flight;
 * preparation, reruns and checks use a pool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InterruptedRunChecks {
  /** Small enough for about eighty batches over eight pages in the run under test. */
  static final int BATCH = 40;
  static final int PAGE = 25;

  /** The clean run: its final state and its journal commits, in order. */
  record Reference(StoreState state, List<RecordingUnitOfWork.Batch> batches, long charged) {}

  Reference reference;
  TestDatabase.Fresh work;
  DataSource workPool;
  /** Statements and journal commits of one clean run of the scenario through {@link CrashingDataSource}. */
  int statements;
  int commits;

  abstract TestDatabase db();

  /**
   * Once per class, lazily: before the first test, not in a {@code @BeforeAll}, so that without a
   * database {@link TestDatabase} skips each test instead of this failing the class.
   */
  @BeforeEach
  void cleanRunOnce() {
    if (reference == null) {
      cleanRun();
    }
  }

  private void cleanRun() {
    TestDatabase.Fresh fresh = db().fresh();
    JdbcStores stores = JdbcStores.create(fresh.pool());
    EngineFixtures.prepare(stores);
    RecordingUnitOfWork recording = new RecordingUnitOfWork(stores.unitOfWork());
    RunReport report = EngineFixtures.sequential(stores, BATCH, PAGE, u -> recording).run(EngineFixtures.RUN,
        RunMode.CHARGE);
    Reference clean = new Reference(StoreState.read(fresh.pool()), recording.batches(),
        report.summary().count(LineStatus.CHARGED));
    assertTrue(clean.charged() > 2000, "the run under test is big: " + report.summary());
    assertTrue(clean.batches().size() > 60, "batches: " + clean.batches().size());
    assertTrue(report.lines().stream().anyMatch(l -> l.line().retail().isNegative() && l.line().autoDecrement()),
        "the run credits adjustments back");

    work = db().fresh();
    workPool = work.pool();
    JdbcStores.create(workPool);
    // The same run through a CrashingDataSource that never crashes: how many statements and
    // journal commits there are to crash at, and proof that the wrapper changes nothing.
    prepareWork();
    CrashingDataSource counting = new CrashingDataSource(work.unpooled());
    JdbcStores countingStores = stores(counting);
    counting.arm(Mode.STATEMENTS, Integer.MAX_VALUE);
    EngineFixtures.sequential(countingStores, BATCH, PAGE, u -> u).run(EngineFixtures.RUN, RunMode.CHARGE);
    statements = counting.statements();
    commits = counting.journalCommits();
    assertEquals(clean.batches().size(), commits, "journal commits of a clean run");
    StoreState.assertSame(clean.state(), StoreState.read(workPool), "a run through the wrapper");
    reference = clean;
  }

  private JdbcStores stores(DataSource dataSource) {
    return JdbcStores.builder(dataSource).dialect(db().dialect()).migrateOnStart(false).build();
  }

  /** Empties the work database and brings it to the state before the run under test. */
  void prepareWork() {
    try (Connection connection = workPool.getConnection()) {
      db().emptyTables(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the work tables", e);
    }
    EngineFixtures.prepare(stores(workPool));
  }

  @ParameterizedTest(name = "after {0}/7 of the statements")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void aRunCutOffMidStatementLeavesWholeBatchesAndItsRerunEqualsOneCleanRun(int sevenths) {
    int batches = crashAndRerun(Mode.STATEMENTS, statements * sevenths / 7);
    assertTrue(batches > 0 && batches < commits, "the crash fell inside the run: " + batches + " of " + commits
        + " batches were committed");
  }

  @ParameterizedTest(name = "after journal commit {0}")
  @ValueSource(ints = {1, 2, 3})
  void aRunCutOffAfterAJournalCommitLeavesExactlyThoseBatchesAndItsRerunEqualsOneCleanRun(int which) {
    int after = switch (which) {
      case 1 -> 1;
      case 2 -> commits / 2;
      default -> commits - 1;
    };
    assertEquals(after, crashAndRerun(Mode.JOURNAL_COMMITS, after));
  }

  /**
   * Prepares the work database, runs CHARGE until the database is lost, checks what the crash left,
   * reruns on a healthy pool and compares with the clean run.
   *
   * @return how many batches of the clean run the crashed run had committed
   */
  int crashAndRerun(Mode mode, int limit) {
    prepareWork();
    Set<String> before = new HashSet<>(StoreState.journalKeys(workPool));
    Map<String, LocalDate> watermarksBefore = StoreState.watermarks(workPool);

    CrashingDataSource crashing = new CrashingDataSource(work.unpooled());
    PackageBilling doomed = EngineFixtures.sequential(stores(crashing), BATCH, PAGE, u -> u);
    crashing.arm(mode, limit);
    JdbcStoreException e = assertThrows(JdbcStoreException.class,
        () -> doomed.run(EngineFixtures.RUN, RunMode.CHARGE));
    assertTrue(crashing.dead(), "the run failed because the database was lost: " + e);
    String context = "crash after " + limit + " " + mode;

    int batches = assertWholeBatches(before, watermarksBefore, context);
    StoreState.assertEveryJournaledLineHasItsPosting(workPool, context);
    StoreState.assertNoEffectWithoutItsLine(workPool, context);

    RunReport rerun = EngineFixtures.engine(stores(workPool), BATCH, PAGE).run(EngineFixtures.RUN, RunMode.CHARGE);
    StoreState.assertSame(reference.state(), StoreState.read(workPool), context + ", then a rerun");
    long committedByTheCrash = reference.batches().subList(0, batches).stream().mapToLong(b -> b.keys().size()).sum();
    assertEquals(reference.charged() - committedByTheCrash, rerun.summary().count(LineStatus.CHARGED),
        context + ": the rerun charged what the crashed run had not");
    return batches;
  }

  /**
   * Asserts that the lines the crashed run added are exactly those of the first k journal commits of
   * the clean run, and the watermarks exactly those after them.
   *
   * @return k
   */
  int assertWholeBatches(Set<String> before, Map<String, LocalDate> watermarksBefore, String context) {
    Set<String> added = new TreeSet<>(StoreState.journalKeys(workPool));
    added.removeAll(before);
    List<RecordingUnitOfWork.Batch> batches = reference.batches();
    Set<String> prefix = new TreeSet<>();
    Map<String, LocalDate> marks = new TreeMap<>(watermarksBefore);
    int k = 0;
    while (k < batches.size() && prefix.size() < added.size() && added.containsAll(batches.get(k).keys())) {
      prefix.addAll(batches.get(k).keys());
      batches.get(k).watermarks().forEach((id, date) -> marks.merge(id, date, (x, y) -> x.isAfter(y) ? x : y));
      k++;
    }
    if (!prefix.equals(added)) {
      Set<String> stray = new TreeSet<>(added);
      stray.removeAll(prefix);
      fail(context + ": the journal holds " + added.size() + " new lines, not the first batches of the clean run;"
          + " after " + k + " whole batches these remain: " + stray.stream().limit(5).toList()
          + (k < batches.size() ? ", of the next batch " + batches.get(k).keys().stream().limit(5).toList() : ""));
    }
    // Commits of watermarks alone (a page with nothing due) show in the watermarks only.
    Map<String, LocalDate> actual = StoreState.watermarks(workPool);
    while (!marks.equals(actual) && k < batches.size() && batches.get(k).keys().isEmpty()) {
      batches.get(k).watermarks().forEach((id, date) -> marks.merge(id, date, (x, y) -> x.isAfter(y) ? x : y));
      k++;
    }
    assertEquals(marks, actual, context + ": watermarks after " + k + " whole batches");
    return k;
  }
}
