package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunSummary;
import dev.allotment.jdbc.CrashingDataSource.Mode;
import dev.allotment.spi.BatchResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two races the previous design (pending lines, then grants, then debits, then the journal, each
 * on its own) left open, on PostgreSQL, with two engines each over its own {@link JdbcStores} on its
 * own connection pool, ten times each over a small {@link MixedScenario}.
 *
 * <p>(a) {@code unassign}/{@code reinstate} racing two charging engines: both engines charge the same
 * date while a third thread moves the end dates of the same assignments. Each engine's first batch
 * is held until a change of one of its assignments has been stored, so every repetition has both
 * engines commit batches planned from terms no longer stored; the editor then goes on as fast as it
 * can until both runs are done. After one more CHARGE, every period nets what a clean CHARGE of the
 * final assignments gives on a schema of its own, credit is minus the journaled auto-decrement
 * lines (each line posted once), and the grants are exactly those of the journaled FREE_MINUTES
 * lines.
 *
 * <p>(b) {@code ONLY_IF_COVERED} with scarce credit: two engines charge the same customers, one up to
 * March 15 and the other up to April 30, so from the same balances they decide to spend the credit
 * on different lines (their first batches are held until both have decided), while one of them
 * loses its database at a random statement after its first commit ({@link CrashingDataSource}).
 * The later of the two first commits must be refused for want of credit. Afterwards, and
 * after clean runs until nothing more is covered, every credit entry but the top-ups has its
 * journal line with the same amount and every auto-decrement line its entry, no balance ever went
 * below zero (watched while the engines ran, and at the end), each balance is its top-ups minus its
 * debits, and nothing coverable is left uncharged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class PostgresRaceTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  private static final int ASSIGNMENTS = 24;
  private static final int BATCH = 5;
  private static final int PAGE = 6;
  /**
   * The other date of (b): one engine charges it, the other {@link MixedScenario#RUN}, so they
   * spend the same customers' credit on different lines (the later date's engine on later periods
   * of an assignment, the other on the periods of the next one): the case floors exist for.
   */
  private static final LocalDate MID_MARCH = LocalDate.of(2026, 3, 15);

  private TestDatabase.Fresh shared;
  /** Engine 0, engine 1, the editor and the checks. */
  private DataSource[] pools;
  private DataSource freshPool;
  /** Statements of a CHARGE of (b) that finds nothing to charge: a floor of what any run of (b) executes. */
  private int idleRunStatements;
  /** Statements of a CHARGE of (b) through its first commit, on its own. */
  private int firstCommitStatements;

  /** Why {@link #schemasOnce} failed, so that every later test fails for that reason, not a later one. */
  private RuntimeException setUpFailure;

  @BeforeEach
  void schemasOnce() {
    if (setUpFailure != null) {
      throw setUpFailure;
    }
    if (pools != null) {
      return;
    }
    try {
      setUp();
    } catch (RuntimeException | Error e) {
      setUpFailure = new IllegalStateException("the set-up of the class failed", e);
      throw e;
    }
  }

  private void setUp() {
    shared = DB.fresh();
    pools = new DataSource[] {shared.pool(), shared.pool(), shared.pool()};
    JdbcStores.create(pools[2]);
    TestDatabase.Fresh fresh = DB.fresh();
    freshPool = fresh.pool();
    JdbcStores.create(freshPool);

    // Where (b) may crash: after the doomed engine's first commit (whichever engine's date it has),
    // and before the last statement any run executes, one with nothing left to charge.
    setUpScarceCredit(MixedScenario.stores(freshPool));
    firstCommitStatements = 0;
    for (LocalDate date : List.of(MID_MARCH, MixedScenario.RUN)) {
      CrashingDataSource counting = new CrashingDataSource(fresh.unpooled());
      counting.arm(Mode.JOURNAL_COMMITS, 1);
      assertThrows(JdbcStoreException.class, () -> scarceCreditEngine(stores(counting)).run(date, RunMode.CHARGE));
      firstCommitStatements = Math.max(firstCommitStatements, counting.statements());
      MixedScenario.empty(DB, freshPool);
      setUpScarceCredit(MixedScenario.stores(freshPool));
    }
    Races.settle(scarceCreditEngine(MixedScenario.stores(freshPool)), MixedScenario.RUN);
    idleRunStatements = Integer.MAX_VALUE;
    for (LocalDate date : List.of(MID_MARCH, MixedScenario.RUN)) {
      CrashingDataSource counting = new CrashingDataSource(fresh.unpooled());
      counting.arm(Mode.STATEMENTS, Integer.MAX_VALUE);
      scarceCreditEngine(stores(counting)).run(date, RunMode.CHARGE);
      idleRunStatements = Math.min(idleRunStatements, counting.statements());
    }
    assertTrue(idleRunStatements > firstCommitStatements + 5, "statements of an idle run: " + idleRunStatements
        + ", through the first commit: " + firstCommitStatements);
  }

  private static JdbcStores stores(DataSource dataSource) {
    return JdbcStores.builder(dataSource).dialect(JdbcStores.Dialect.POSTGRESQL).migrateOnStart(false).build();
  }

  // ---------------------------------------------------------------- (a)

  @RepeatedTest(10)
  void endDatesMovedWhileTwoEnginesChargeNetWhatTheFinalTermsGive(RepetitionInfo repetition) throws Exception {
    MixedScenario.empty(DB, pools[2]);
    JdbcStores editorStores = MixedScenario.stores(pools[2]);
    MixedScenario.setUp(editorStores, MixedScenario.catalog(), MixedScenario.assignments(ASSIGNMENTS));
    PackageBilling editor = MixedScenario.engine(editorStores, CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE);
    editor.run(MixedScenario.FIRST_CHARGE, RunMode.CHARGE);

    CountDownLatch planned = new CountDownLatch(2);
    CountDownLatch changed = new CountDownLatch(1);
    CountDownLatch chargersDone = new CountDownLatch(2);
    Set<String> heldBack = ConcurrentHashMap.newKeySet();
    AtomicInteger[] refused = {new AtomicInteger(), new AtomicInteger()};
    AtomicInteger linesAdded = new AtomicInteger();
    AtomicInteger giveUps = new AtomicInteger();
    AtomicInteger edits = new AtomicInteger();
    PackageBilling[] engines = new PackageBilling[2];
    AtomicBoolean[] firsts = {new AtomicBoolean(true), new AtomicBoolean(true)};
    for (int e = 0; e < 2; e++) {
      int engine = e;
      AtomicBoolean first = firsts[e];
      engines[e] = MixedScenario.engine(MixedScenario.stores(pools[e]), CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE,
          unitOfWork -> batch -> {
            if (first.getAndSet(false)) {
              // Planned, not committed: hold the batch until one of its assignments has changed.
              heldBack.addAll(batch.expectedVersions().keySet());
              planned.countDown();
              await(changed, "the editor's first changes");
            }
            BatchResult result = unitOfWork.commit(batch);
            if (!result.changedAssignments().isEmpty()) {
              refused[engine].incrementAndGet();
            }
            linesAdded.addAndGet(result.linesAdded());
            return result;
          });
    }
    List<Callable<?>> bodies = new ArrayList<>();
    for (int e = 0; e < 2; e++) {
      PackageBilling engine = engines[e];
      AtomicBoolean first = firsts[e];
      bodies.add(() -> {
        try {
          engine.run(MixedScenario.RUN, RunMode.CHARGE);
        } catch (RuntimeException busy) {
          if (!Races.isGiveUp(busy)) {
            throw busy;
          }
          giveUps.incrementAndGet(); // legitimate under this contention; what it committed stays, whole
        } finally {
          if (first.getAndSet(false)) {
            planned.countDown(); // failed before its first commit: the editor need not wait for it
          }
          chargersDone.countDown();
        }
        return null;
      });
    }
    SplittableRandom random = new SplittableRandom(repetition.getCurrentRepetition() * 7919L);
    List<String> ids = MixedScenario.assignments(ASSIGNMENTS).stream().map(Assignment::id).toList();
    bodies.add(() -> {
      try {
        await(planned, "both engines' first batches");
        for (String id : new TreeSet<>(heldBack)) {
          change(editor, id, random);
          edits.incrementAndGet();
        }
      } finally {
        changed.countDown();
      }
      while (chargersDone.getCount() > 0) {
        change(editor, ids.get(random.nextInt(ids.size())), random);
        edits.incrementAndGet();
      }
      return null;
    });
    Races.together(bodies);

    String context = "repetition " + repetition.getCurrentRepetition() + " (" + edits + " changes, " + linesAdded
        + " lines added by the racing runs, refusals " + refused[0] + "/" + refused[1] + ", " + giveUps
        + " runs given up)";
    assertTrue(refused[0].get() > 0 && refused[1].get() > 0, context + ": both engines had a batch refused for"
        + " an assignment changed since it was planned");
    assertTrue(linesAdded.get() > 0, context + ": the racing runs committed lines");

    PackageBilling clean = MixedScenario.engine(editorStores, CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE);
    clean.run(MixedScenario.RUN, RunMode.CHARGE);
    assertEquals(0, clean.run(MixedScenario.RUN, RunMode.CHARGE).summary().count(LineStatus.CHARGED),
        context + ": one final run charged everything");
    ChargeOutcome raced = ChargeOutcome.read(pools[2]);
    ChargeOutcome fresh = Races.freshPlan(DB, freshPool, MixedScenario.catalog(), Races.assignments(editorStores),
        MixedScenario.RUN);
    Races.assertNetsWhatTheFinalTermsGive(raced, fresh, editorStores, context);
  }

  /** Moves the end date of {@code id} (or removes it), always to something other than what is stored. */
  private static void change(PackageBilling billing, String id, SplittableRandom random) {
    Assignment current = billing.findAssignment(id).orElseThrow();
    if (current.endDate().isPresent() && random.nextInt(3) == 0) {
      billing.reinstate(id);
      return;
    }
    LocalDate end;
    do {
      end = current.startDate().plusDays(random.nextInt(130));
    } while (current.endDate().equals(Optional.of(end)));
    billing.unassign(id, end);
  }

  private static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(Races.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("waited " + Races.PATIENCE_SECONDS + " s for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + what, e);
    }
  }

  // ---------------------------------------------------------------- (b)

  /** Top-up keys start with this. */
  private static final String TOP_UP = "top-up/";

  /**
   * The scenario with scarce credit: {@link MixedScenario} and, ahead of it in id order, two
   * auto-decrement assignments per customer from January 1, "0-cN-x" at 30.00 and "0-cN-y" at
   * 25.00 a month; each customer tops up 150.00 USD and 45.00 EUR; nothing charged yet. Charging
   * April 30 first covers x's four months and y's first (145.00); charging March 15 first covers
   * x's three and y's first two (140.00): engines charging the two dates at once spend the same
   * credit on different lines, together 170.00 of 150.00, unless the floors stop the later one.
   */
  private static void setUpScarceCredit(JdbcStores stores) {
    List<Assignment> assignments = new ArrayList<>();
    for (int c = 0; c < MixedScenario.CUSTOMERS; c++) {
      for (String x : List.of("x", "y")) {
        assignments.add(Assignment.builder("0-c" + c + "-" + x).customerId("c" + c).packageId("credit-" + x)
            .startDate(MixedScenario.JAN_1).autoDecrementCredit(true).build());
      }
    }
    assignments.addAll(MixedScenario.assignments(ASSIGNMENTS));
    List<ServicePackage> catalog = new ArrayList<>(MixedScenario.catalog());
    catalog.add(ServicePackage.builder("credit-x").name("X").currency("USD").retail("30.00")
        .frequency(Frequency.MONTHLY).build());
    catalog.add(ServicePackage.builder("credit-y").name("Y").currency("USD").retail("25.00")
        .frequency(Frequency.MONTHLY).build());
    MixedScenario.setUp(stores, catalog, assignments);
    for (int c = 0; c < MixedScenario.CUSTOMERS; c++) {
      MixedScenario.topUp(stores, "c" + c, Money.of("150.00", "USD"), 1);
      MixedScenario.topUp(stores, "c" + c, Money.of("45.00", "EUR"), 1);
    }
  }

  /** Batches of eight lines: a customer's x and y lines go in one, decided together. */
  private static PackageBilling scarceCreditEngine(JdbcStores stores) {
    return MixedScenario.engine(stores, CreditPolicy.ONLY_IF_COVERED, 8, PAGE);
  }

  @RepeatedTest(10)
  void scarceCreditChargedByTwoEnginesOneLosingItsDatabaseIsNeverOverdrawnAndFollowsTheJournal(
      RepetitionInfo repetition) throws Exception {
    MixedScenario.empty(DB, pools[2]);
    JdbcStores checkStores = MixedScenario.stores(pools[2]);
    setUpScarceCredit(checkStores);
    // A random statement after the doomed engine's first commit, among those any run executes.
    int crashAt = firstCommitStatements + 1 + new SplittableRandom(repetition.getCurrentRepetition() * 104729L)
        .nextInt(idleRunStatements - firstCommitStatements);
    String context = "repetition " + repetition.getCurrentRepetition() + ", crash at statement " + crashAt + " (first"
        + " commit by " + firstCommitStatements + ", at least " + idleRunStatements + " in all) of the engine"
        + " charging " + (repetition.getCurrentRepetition() % 2 == 0 ? MixedScenario.RUN : MID_MARCH);

    boolean doomedLater = repetition.getCurrentRepetition() % 2 == 0;
    LocalDate healthyDate = doomedLater ? MID_MARCH : MixedScenario.RUN;
    LocalDate doomedDate = doomedLater ? MixedScenario.RUN : MID_MARCH;
    // Each engine's first batch waits until the other has decided its first batch too (or died
    // before): both decide from the same balances, so the later commit finds them lower.
    CountDownLatch decided = new CountDownLatch(2);
    AtomicInteger shortOfCredit = new AtomicInteger();
    PackageBilling healthy = scarceCreditEngine(MixedScenario.stores(pools[0]), new AtomicBoolean(true), decided,
        shortOfCredit);
    CrashingDataSource crashing = new CrashingDataSource(shared.unpooled());
    AtomicBoolean doomedFirst = new AtomicBoolean(true);
    PackageBilling doomed = scarceCreditEngine(stores(crashing), doomedFirst, decided, shortOfCredit);
    crashing.arm(Mode.STATEMENTS, crashAt);

    // Watch the balances while the engines run: none may ever be seen below zero.
    AtomicReference<String> overdrawn = new AtomicReference<>();
    AtomicInteger looks = new AtomicInteger();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    watcher.scheduleAtFixedRate(() -> {
      try (Connection connection = pools[2].getConnection(); Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT customer_id, currency, balance FROM allotment_credit_balance"
              + " WHERE balance < 0")) {
        if (rs.next()) {
          overdrawn.compareAndSet(null, rs.getString(1) + " " + rs.getString(2) + " " + rs.getBigDecimal(3));
        }
        looks.incrementAndGet();
      } catch (SQLException e) {
        overdrawn.compareAndSet(null, "cannot read the balances: " + e);
      }
    }, 0, 2, TimeUnit.MILLISECONDS);
    AtomicReference<RunSummary> healthyRun = new AtomicReference<>();
    try {
      Races.together(List.of(
          () -> {
            healthyRun.set(healthy.run(healthyDate, RunMode.CHARGE).summary());
            return null;
          },
          () -> {
            try {
              return assertThrows(JdbcStoreException.class, () -> doomed.run(doomedDate, RunMode.CHARGE),
                  context + ": the engine that loses its database fails");
            } finally {
              if (doomedFirst.getAndSet(false)) {
                decided.countDown(); // died before its first commit: the other need not wait
              }
            }
          }));
    } finally {
      watcher.shutdownNow();
      assertTrue(watcher.awaitTermination(Races.PATIENCE_SECONDS, TimeUnit.SECONDS));
    }
    assertTrue(crashing.dead(), context + ": the engine lost its database mid-run");
    String at = context + " (after " + crashing.journalCommits() + " of its batches; " + shortOfCredit
        + " batches refused for credit spent meanwhile)";
    assertTrue(shortOfCredit.get() > 0, at + ": the later of the two first commits found its credit spent");
    assertTrue(looks.get() > 0, at + ": the balances were watched");
    assertEquals(null, overdrawn.get(), at + ": a balance seen below zero while the engines ran");
    assertTrue(healthyRun.get().count(LineStatus.SKIPPED_NO_CREDIT) > 0, at + ": credit is scarce: "
        + healthyRun.get());

    checkCredit(ChargeOutcome.read(pools[2]), at + ", after the race");

    PackageBilling clean = scarceCreditEngine(checkStores);
    Races.settle(clean, MixedScenario.RUN);
    ChargeOutcome settled = ChargeOutcome.read(pools[2]);
    checkCredit(settled, at + ", after clean runs");
    RunSummary simulated = clean.run(MixedScenario.RUN, RunMode.SIMULATE).summary();
    assertEquals(0, simulated.count(LineStatus.DUE), at + ": nothing coverable is left: " + simulated);
    assertTrue(simulated.count(LineStatus.SKIPPED_NO_CREDIT) > 0, at + ": and credit ran out: " + simulated);
    assertTrue(settled.debitsFromJournal().size() > 0, at + ": lines were charged from credit");
  }

  /**
   * {@link #scarceCreditEngine(JdbcStores)} whose first commit (while {@code first} is set) is held
   * until {@code decided} is down, counting the batches refused for want of credit.
   */
  private static PackageBilling scarceCreditEngine(JdbcStores stores, AtomicBoolean first, CountDownLatch decided,
      AtomicInteger shortOfCredit) {
    return MixedScenario.engine(stores, CreditPolicy.ONLY_IF_COVERED, 8, PAGE, unitOfWork -> batch -> {
      if (first.getAndSet(false)) {
        decided.countDown();
        await(decided, "the other engine's first decisions");
      }
      BatchResult result = unitOfWork.commit(batch);
      if (!result.shortOfCredit().isEmpty()) {
        shortOfCredit.incrementAndGet();
      }
      return result;
    });
  }

  /**
   * Every credit entry but the top-ups is the entry of its journaled line (same amount), every
   * auto-decrement line has its entry, no balance is below zero, each balance is its top-ups minus
   * its debits.
   */
  private static void checkCredit(ChargeOutcome outcome, String context) {
    outcome.assertEveryLinePostedOnce(key -> key.startsWith(TOP_UP), context);
    outcome.assertNoNegativeBalance(context);
    outcome.assertBalancesAreTheirEntries(context);
    assertEquals(outcome.entrySums(key -> true), sum(outcome.entrySums(key -> key.startsWith(TOP_UP)),
        outcome.debitsFromJournal()), context + ": balances are the top-ups minus the journaled debits");
  }

  private static Map<String, Money> sum(Map<String, Money> a, Map<String, Money> b) {
    Map<String, Money> sum = new TreeMap<>(a);
    b.forEach((key, amount) -> sum.merge(key, amount, Money::plus));
    sum.values().removeIf(Money::isZero);
    return sum;
  }
}
