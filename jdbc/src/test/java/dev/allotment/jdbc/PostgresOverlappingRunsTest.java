package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.spi.BatchResult;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine's {@code OverlappingRunsTest} on PostgreSQL: two threads run unpartitioned CHARGE loops
 * on the same {@link JdbcStores} (for the same date, or for advancing dates) while the end dates of
 * the same assignments are moved and removed, as fast as two threads can or at about 20 changes a
 * second (a fixed-rate scheduler). A loop may legitimately give a run up ("changed 16 times ...:
 * run again"); the final run may not. After the final CHARGE, every period nets exactly what the
 * final terms give (its RECURRING and ADJUSTMENT lines against a clean CHARGE of the final
 * assignments on a schema of its own), the setup fees are the same, every balance is minus the
 * journaled auto-decrement lines with each line posted once (its key's entry exactly -retail), and
 * the grants are exactly those of the journaled FREE_MINUTES lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class PostgresOverlappingRunsTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  private static final LocalDate FINAL = LocalDate.of(2026, 5, 1);
  private static final int ASSIGNMENTS = 16;
  private static final int RUNS_PER_THREAD = 8;
  /** Changes the loops wait for before they stop, so that they overlap the editing (a second of it when paced). */
  private static final int MIN_EDITS = 20;
  private static final long PACED_EVERY_MILLIS = 50;

  private DataSource pool;
  private DataSource freshPool;

  @BeforeEach
  void schemasOnce() {
    if (pool == null) {
      pool = DB.freshDataSource();
      JdbcStores.create(pool);
      freshPool = DB.freshDataSource();
      JdbcStores.create(freshPool);
    }
  }

  @RepeatedTest(3)
  void chargeLoopsForOneDateRacingChangesAsFastAsPossible(RepetitionInfo repetition) throws Exception {
    race(false, false, repetition.getCurrentRepetition());
  }

  @RepeatedTest(3)
  void chargeLoopsForAdvancingDatesRacingChangesAsFastAsPossible(RepetitionInfo repetition) throws Exception {
    race(true, false, repetition.getCurrentRepetition());
  }

  @RepeatedTest(3)
  void chargeLoopsForOneDateRacingTwentyChangesASecond(RepetitionInfo repetition) throws Exception {
    race(false, true, repetition.getCurrentRepetition());
  }

  @RepeatedTest(3)
  void chargeLoopsForAdvancingDatesRacingTwentyChangesASecond(RepetitionInfo repetition) throws Exception {
    race(true, true, repetition.getCurrentRepetition());
  }

  private void race(boolean advancing, boolean paced, int repetition) throws Exception {
    MixedScenario.empty(DB, pool);
    JdbcStores stores = MixedScenario.stores(pool);
    MixedScenario.setUp(stores, MixedScenario.catalog(), MixedScenario.assignments(ASSIGNMENTS));
    List<String> ids = MixedScenario.assignments(ASSIGNMENTS).stream().map(Assignment::id).toList();
    AtomicInteger runsCompleted = new AtomicInteger();
    AtomicInteger giveUps = new AtomicInteger();
    AtomicInteger linesAdded = new AtomicInteger();
    AtomicInteger edits = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch chargersDone = new CountDownLatch(2);
    PackageBilling editor = MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, 3, 5);

    List<Callable<?>> bodies = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int thread = t;
      bodies.add(() -> {
        PackageBilling engine = MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, 3, 5, unitOfWork -> batch -> {
          BatchResult result = unitOfWork.commit(batch);
          linesAdded.addAndGet(result.linesAdded());
          if (!result.changedAssignments().isEmpty()) {
            refused.incrementAndGet();
          }
          return result;
        });
        try {
          for (int i = 0; i < RUNS_PER_THREAD || edits.get() < MIN_EDITS; i++) {
            LocalDate date = advancing ? min(LocalDate.of(2026, 2, 1).plusDays(7L * i + 3L * thread), FINAL) : FINAL;
            try {
              engine.run(date, RunMode.CHARGE);
              runsCompleted.incrementAndGet();
            } catch (RuntimeException busy) {
              if (!Races.isGiveUp(busy)) {
                throw busy;
              }
              giveUps.incrementAndGet(); // the batches it committed before stay, whole
            }
          }
        } finally {
          chargersDone.countDown();
        }
        return null;
      });
    }
    AtomicReference<Throwable> pacedFailure = new AtomicReference<>();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      if (paced) {
        SplittableRandom random = new SplittableRandom(repetition * 7919L);
        ScheduledFuture<?> pacing = scheduler.scheduleAtFixedRate(() -> {
          try {
            change(editor, ids, random);
            edits.incrementAndGet();
          } catch (RuntimeException | Error e) {
            pacedFailure.compareAndSet(null, e);
            throw e;
          }
        }, 0, PACED_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        bodies.add(() -> {
          chargersDone.await(Races.PATIENCE_SECONDS, TimeUnit.SECONDS);
          pacing.cancel(false);
          return null;
        });
      } else {
        for (int t = 0; t < 2; t++) {
          SplittableRandom random = new SplittableRandom(repetition * 7919L + t);
          bodies.add(() -> {
            while (chargersDone.getCount() > 0) {
              change(editor, ids, random);
              edits.incrementAndGet();
            }
            return null;
          });
        }
      }
      Races.together(bodies);
    } finally {
      scheduler.shutdown();
      assertTrue(scheduler.awaitTermination(Races.PATIENCE_SECONDS, TimeUnit.SECONDS));
    }
    if (pacedFailure.get() != null) {
      throw new AssertionError("a paced change failed", pacedFailure.get());
    }

    // The final run: never given up.
    Races.settle(MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, 3, 5), FINAL);

    String context = (advancing ? "advancing dates" : "one date") + ", " + (paced ? "20 changes/s" : "changes as"
        + " fast as possible") + ", repetition " + repetition + ": " + runsCompleted + " runs completed, " + giveUps
        + " given up, " + linesAdded + " lines added, " + edits + " changes, " + refused + " batches refused for a"
        + " change since their plan";
    assertTrue(linesAdded.get() > 0, context + ": the racing runs committed lines");
    if (!paced) {
      // (At 20 changes/s a handful of batches is refused per repetition: too few to require one.)
      assertTrue(refused.get() > 0, context + ": batches planned from terms changed before their commit");
    }
    ChargeOutcome raced = ChargeOutcome.read(pool);
    ChargeOutcome fresh = Races.freshPlan(DB, freshPool, MixedScenario.catalog(), Races.assignments(stores), FINAL);
    Races.assertNetsWhatTheFinalTermsGive(raced, fresh, stores, context);
  }

  /** As the engine's test: removes a random assignment's end date, or moves it to a random day of its first 130. */
  private static void change(PackageBilling editor, List<String> ids, SplittableRandom random) {
    String id = ids.get(random.nextInt(ids.size()));
    Assignment current = editor.findAssignment(id).orElseThrow();
    if (random.nextInt(3) == 0) {
      editor.reinstate(id);
    } else {
      editor.unassign(id, current.startDate().plusDays(random.nextInt(130)));
    }
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }
}
