package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunRequest;
import dev.allotment.engine.RunSummary;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CHARGE of {@value BulkScenario#ASSIGNMENTS} assignments ({@link BulkScenario}: about 77,000
 * lines in 160 batches, with credit postings, grants, minimum-spend true-ups, end dates) on
 * PostgreSQL, run by child JVMs killed with SIGKILL again and again: each child starts the run over
 * and is killed once the journal holds about another 1/25 of the run, right after the database
 * shows a batch it reported committed (the kill lands wherever the child then is, most often in the
 * next batch's transaction) or, every other time, once it says it hands the next batch to the unit
 * of work (the kill lands in that batch's transaction); the next child takes over, 24 times spread
 * over the whole run (at least twenty must land before its end, a quarter of them inside a
 * transaction); then one run in this JVM finishes it.
 *
 * <p>After every kill the database holds whole batches only: every journaled auto-decrement line
 * has exactly its credit entry (minus its retail), every FREE_MINUTES line exactly its grant, and
 * no credit entry or grant lacks its line; every batch a child reported committed is there. At
 * the end the journal (every line, every column), watermarks, credit entries and balances,
 * assignments and grants (terms and used seconds) equal those of one clean run of the same
 * scenario on a schema of its own, row for row: nothing lost, nothing twice. After every kill and at
 * the end, every journaled line has exactly one LINE_CHARGED event, every grant its GRANT_ISSUED and
 * every posting its CREDIT_POSTED, and no event lacks its effect ({@link EventOutcome}).
 */
final class PostgresKillMidRunTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  private static final int BATCH = 500;
  private static final int PAGE = 1000;
  /** Kills the chain aims at; at least {@value #MIN_KILLS} must land before the run is done. */
  private static final int KILLS = 24;
  private static final int MIN_KILLS = 20;

  @Test
  void twentyFourSigkillsOverOneRunLoseNothingAndChargeNothingTwice() throws Exception {
    long started = System.nanoTime();
    TestDatabase.Fresh reference = DB.fresh();
    DataSource referencePool = reference.pool();
    JdbcStores referenceStores = JdbcStores.create(referencePool);
    BulkScenario.load(referencePool);
    RecordingUnitOfWork recording = new RecordingUnitOfWork(referenceStores.unitOfWork());
    RunSummary clean = MixedScenario.engine(referenceStores, CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE, u -> recording)
        .run(RunRequest.of(BulkScenario.RUN, RunMode.CHARGE), line -> { });
    StoreState expected = StoreState.read(referencePool);
    long charged = clean.count(LineStatus.CHARGED);
    int batches = recording.batches().size();
    ChargeOutcome cleanOutcome = ChargeOutcome.read(referencePool);
    assertTrue(charged > 40_000, "a big run: " + clean);
    assertTrue(expected.creditEntries().size() > 20_000, "debits: " + expected.creditEntries().size());
    assertTrue(expected.grants().size() > 5_000, "grants: " + expected.grants().size());
    for (LineKind kind : List.of(LineKind.SETUP, LineKind.RECURRING, LineKind.FREE_MINUTES, LineKind.MINIMUM_SPEND)) {
      assertTrue(cleanOutcome.keysOf(kind).size() > 500, kind + " lines: " + cleanOutcome.keysOf(kind).size());
    }
    long setUp = System.nanoTime();

    TestDatabase.Fresh work = DB.fresh();
    DataSource workPool = work.pool();
    JdbcStores.create(workPool);
    BulkScenario.load(workPool);

    // Kill k lands once the journal holds about k / (KILLS + 1) of the run, give or take a quarter of
    // the spacing (so the kills fall at no fixed count of batches): spread over the whole run.
    long spacing = charged / (KILLS + 1);
    List<Long> linesAtKills = new ArrayList<>();
    long lines = 0;
    int insideATransaction = 0;
    SplittableRandom random = new SplittableRandom(20_000);
    while (linesAtKills.size() < KILLS) {
      long before = lines;
      long target = (linesAtKills.size() + 1) * spacing + random.nextLong(-spacing / 4, spacing / 4 + 1);
      try (ChildCharge child = ChildCharge.start(work.url(), BulkScenario.RUN, BATCH, PAGE)) {
        boolean running = true;
        while (running && (lines = countLines(workPool)) < target) {
          running = child.awaitCommits(1);
        }
        // Every other kill waits for the next batch to be handed to the unit of work, to land in its transaction.
        boolean intoATransaction = linesAtKills.size() % 2 == 1;
        if (!running || intoATransaction && !child.awaitCommitStart()) {
          child.awaitDone();
          lines = countLines(workPool);
          break; // the run was done before this kill
        }
        if (child.kill(workPool)) {
          insideATransaction++;
        }
        lines = countLines(workPool);
        String context = "kill " + (linesAtKills.size() + 1) + " at " + lines + " of " + charged + " lines";
        assertTrue(lines - before >= child.linesReported(), context + ": the " + child.linesReported()
            + " lines the child reported committed are there (" + (lines - before) + " new)");
        assertTrue(lines - before - child.linesReported() <= BATCH, context + ": at most the batch in flight"
            + " committed unreported, found " + (lines - before - child.linesReported()));
        assertTrue(lines < charged, context + ": killed before the end");
        ChargeOutcome outcome = ChargeOutcome.read(workPool);
        outcome.assertEveryLinePostedOnce(key -> false, context);
        outcome.assertGrantsAreThoseOfTheJournaledLines(referenceStores.catalog(), MixedScenario.ZONE, context);
        outcome.assertBalancesAreTheirEntries(context);
        EventOutcome.assertEventsAreThoseOfTheEffects(workPool, context);
        linesAtKills.add(lines);
      }
    }
    long killed = System.nanoTime();

    assertTrue(linesAtKills.size() >= MIN_KILLS, "kills before the run was done: " + linesAtKills.size()
        + " at lines " + linesAtKills);
    assertTrue(insideATransaction >= KILLS / 4, "kills inside a batch's transaction: " + insideATransaction);
    for (int i = 1; i < linesAtKills.size(); i++) {
      assertTrue(linesAtKills.get(i) > linesAtKills.get(i - 1), "every child moved the run on: " + linesAtKills);
    }
    assertTrue(linesAtKills.get(0) < charged / 10, "the first kill came early: " + linesAtKills);
    assertTrue(linesAtKills.get(linesAtKills.size() - 1) > charged * 9 / 10, "the last kill came late: "
        + linesAtKills);

    RunSummary rest = MixedScenario.engine(MixedScenario.stores(workPool), CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE)
        .run(RunRequest.of(BulkScenario.RUN, RunMode.CHARGE), line -> { });
    assertEquals(charged - lines, rest.count(LineStatus.CHARGED), "the last run charged exactly what the killed"
        + " children had not");
    StoreState.assertSame(expected, StoreState.read(workPool), linesAtKills.size() + " kills, then a run to the end");
    EventOutcome.assertEventsAreThoseOfTheEffects(workPool, "after the run to the end");
    assertEquals(charged, EventOutcome.lineEventIds(workPool).size(), "one LINE_CHARGED per line charged");
    assertEquals(0, MixedScenario.engine(MixedScenario.stores(workPool), CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE)
        .run(RunRequest.of(BulkScenario.RUN, RunMode.CHARGE), line -> { }).count(LineStatus.CHARGED),
        "another run charges nothing");
    System.out.printf("%s: %d lines in %d batches; set-up and clean run %.1f s, %d kills (%d inside a batch's"
        + " transaction) at lines %s in %.1f s, end %.1f s%n", getClass().getSimpleName(), charged, batches,
        (setUp - started) / 1e9, linesAtKills.size(), insideATransaction, linesAtKills, (killed - setUp) / 1e9,
        (System.nanoTime() - killed) / 1e9);
  }

  private static long countLines(DataSource pool) throws SQLException {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + JdbcChargeJournal.LINES)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
