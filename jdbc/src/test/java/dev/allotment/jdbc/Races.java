package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.AllotmentException;
import dev.allotment.core.Assignment;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/** What the race tests on PostgreSQL share: running bodies together, and the outcome the final terms give. */
final class Races {
  static final long PATIENCE_SECONDS = 120;

  private Races() {}

  /**
   * Runs the bodies on threads of their own, released together by a barrier, and waits for all of
   * them; rethrows the first failure (in body order) after every body ended.
   */
  static void together(List<Callable<?>> bodies) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
    try {
      CyclicBarrier start = new CyclicBarrier(bodies.size());
      List<Future<?>> futures = new ArrayList<>();
      for (Callable<?> body : bodies) {
        futures.add(pool.submit(() -> {
          start.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
          return body.call();
        }));
      }
      Exception first = null;
      for (Future<?> future : futures) {
        try {
          future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof Exception cause ? cause : e;
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * True for the exception by which the engine legitimately gives up a run under extreme contention
   * ("changed 16 times while this run committed them: run again", "a batch was refused 16 times in a
   * row ...: run again"); not for store failures or anything else.
   */
  static boolean isGiveUp(RuntimeException e) {
    return e.getClass() == AllotmentException.class && e.getMessage() != null && e.getMessage().endsWith("run again");
  }

  /** Every assignment as stored, in id order. */
  static List<Assignment> assignments(JdbcStores stores) {
    return stores.assignments().page(Optional.empty(), Optional.empty(), Integer.MAX_VALUE);
  }

  /**
   * What a clean CHARGE of {@code date} gives the assignments as they are stored now, planned afresh
   * (no reprice markers, version 0) on the empty schema behind {@code pool}, with the scenario's
   * spend.
   */
  static ChargeOutcome freshPlan(TestDatabase db, DataSource pool, List<ServicePackage> catalog,
      List<Assignment> finalAssignments, LocalDate date) {
    MixedScenario.empty(db, pool);
    JdbcStores stores = MixedScenario.stores(pool);
    MixedScenario.setUp(stores, catalog, finalAssignments.stream().map(a -> a.withRepricingDone().withVersion(0))
        .toList());
    MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, 500, 100).run(date, RunMode.CHARGE);
    return ChargeOutcome.read(pool);
  }

  /**
   * Asserts what racing runs and changes must leave, against a fresh plan of the final terms: every
   * period nets what the final terms give (its RECURRING and ADJUSTMENT lines), the setup fees are
   * the same, every line posted exactly once and nothing else (no top-ups here), so every balance
   * is minus the journaled auto-decrement lines, and the grants are exactly those of the journaled
   * FREE_MINUTES lines.
   */
  static void assertNetsWhatTheFinalTermsGive(ChargeOutcome raced, ChargeOutcome fresh, JdbcStores stores,
      String context) {
    raced.assertEveryLinePostedOnce(key -> false, context);
    raced.assertGrantsAreThoseOfTheJournaledLines(stores.catalog(), MixedScenario.ZONE, context);
    assertEquals(fresh.netPerPeriod(), raced.netPerPeriod(), context + ": net RECURRING + ADJUSTMENT per period");
    assertEquals(fresh.keysOf(LineKind.SETUP), raced.keysOf(LineKind.SETUP), context + ": setup fees");
    assertEquals(raced.debitsFromJournal(), raced.nonZeroBalances(), context + ": balances are minus the journaled"
        + " auto-decrement lines");
    raced.assertBalancesAreTheirEntries(context);
  }

  /** Charges {@code date} with {@code engine} until a run charges nothing; at most five runs. */
  static int settle(PackageBilling engine, LocalDate date) {
    for (int runs = 1; runs <= 5; runs++) {
      if (engine.run(date, RunMode.CHARGE).summary().count(LineStatus.CHARGED) == 0) {
        return runs;
      }
    }
    throw new AssertionError("charging " + date + " did not settle in five runs");
  }
}
