package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.LineStatus;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.CountingCreditLedger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestInstance;

/**
 * Two engines, each over its own {@link JdbcStores} on its own connection pool, charge the same date
 * against one database at the same moment (two threads released by a barrier): every journal line,
 * every credit entry and every balance ends exactly as after one clean run on a database of its own,
 * row for row, and between them the engines applied exactly as many credit postings as the clean
 * run did.
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
  private int referencePostings;
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
    AtomicInteger postings = new AtomicInteger();
    RunReport report = EngineFixtures.engine(stores, BATCH, PAGE, j -> j, l -> new CountingCreditLedger(l, postings))
        .run(EngineFixtures.RUN, RunMode.CHARGE);
    assertTrue(report.summary().count(LineStatus.CHARGED) > 2000, report.summary().toString());
    StoreState state = StoreState.read(reference.pool());
    referencePostings = postings.get();
    referenceCharged = charged(report);
    assertTrue(referencePostings > 1000, "the run posts credit: " + referencePostings);

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

    AtomicInteger postings = new AtomicInteger();
    AtomicInteger[] perEngine = {new AtomicInteger(), new AtomicInteger()};
    PackageBilling[] engines = new PackageBilling[2];
    for (int e = 0; e < 2; e++) {
      AtomicInteger mine = perEngine[e];
      engines[e] = EngineFixtures.engine(JdbcStores.builder(pools[e]).migrateOnStart(false).build(), BATCH, PAGE,
          j -> j, l -> new CountingCreditLedger(new CountingCreditLedger(l, mine), postings));
    }
    RunReport[] reports = new RunReport[2];
    ConcurrentRunner.run(2, 1, (thread, iteration) -> reports[thread] = engines[thread].run(EngineFixtures.RUN,
        RunMode.CHARGE));

    StoreState.assertSame(referenceState, StoreState.read(setUpPool), "two engines at once");
    assertEquals(referencePostings, postings.get(), "credit postings applied by the two engines together"
        + " (first " + perEngine[0] + ", second " + perEngine[1] + ")");
    // A line both committed at the same moment shows as CHARGED in both reports; the journal holds it once.
    Set<String> union = new TreeSet<>(charged(reports[0]));
    union.addAll(charged(reports[1]));
    assertEquals(referenceCharged, union, "the lines the two reports charged");
    assertEquals(0, engines[0].run(EngineFixtures.RUN, RunMode.CHARGE).summary().count(LineStatus.CHARGED),
        "a third run charges nothing");
  }
}
