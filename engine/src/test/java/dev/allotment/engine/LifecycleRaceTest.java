package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.spi.BatchResult;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A plan change or a suspension that lands while a run is committing (between its batches) is
 * charged, once the run and the next one are done, exactly as if it had come before the run: the
 * same net money per line, the same balances, the same live grants.
 */
final class LifecycleRaceTest {
  private static final LocalDate FEB_14 = LocalDate.of(2026, 2, 14);
  private static final LocalDate RUN = LocalDate.of(2026, 4, 1);
  private static final List<String> IDS = List.of("a1", "a1~2026-02-14", "a2", "a3");

  private static World world() {
    World world = new World(CreditPolicy.ALLOW_NEGATIVE, 2);
    world.define(List.of(Fixtures.monthly("m"),
        LifecycleLines.withMinutes(LifecycleLines.monthlyOnThe1st("fm", "10.00", "2.00")).build()), List.of(
        Assignment.builder("a1").customerId("c1").packageId("fm").minutes(100).startDate(JAN_1)
            .autoDecrementCredit(true).build(),
        Assignment.builder("a2").customerId("c2").packageId("m").startDate(JAN_1).autoDecrementCredit(true).build(),
        Assignment.builder("a3").customerId("c3").packageId("m").startDate(JAN_1).autoDecrementCredit(true).build()));
    return world;
  }

  /** Runs {@link #RUN} with {@code change} done just before the {@code k}-th commit, then runs it again. */
  private static World raced(int k, Consumer<PackageBilling> change) {
    World world = world();
    int[] commits = new int[1];
    world.through(batch -> {
      if (++commits[0] == k) {
        change.accept(world.clean());
      }
      BatchResult result = world.memory.unitOfWork().commit(batch);
      return result;
    }).run(RUN, RunMode.CHARGE);
    assertTrue(commits[0] >= k, "the run committed " + commits[0] + " batches");
    world.chargeUntilSettled(RUN);
    return world;
  }

  private static void assertSameNet(World expected, World raced, String what) {
    World.Outcome want = expected.outcome();
    World.Outcome got = raced.outcome();
    assertEquals(LifecycleModel.net(expected.clean(), IDS), LifecycleModel.net(raced.clean(), IDS), what);
    assertEquals(want.balances(), got.balances(), what);
    assertEquals(want.grants(), got.grants(), what);
  }

  @Test
  void aChangeBetweenBatchesNetsAsIfItCameBeforeTheRun() {
    Consumer<PackageBilling> change = b -> b.change("a1", PlanChange.immediate(FEB_14).toQuantity(2));
    World before = world();
    change.accept(before.clean());
    before.chargeUntilSettled(RUN);
    for (int k = 1; k <= 4; k++) {
      World raced = raced(k, change);
      if (k >= 3) { // a1's February was committed before the change: the run itself credited its rest
        assertTrue(LifecycleLines.show(raced.memory.journal().lines("a1")).contains(
            "ADJUSTMENT#1 2026-02-01 -5.36/-1.07"), "13/28 of 10.00 = 4.64 kept");
      }
      assertSameNet(before, raced, "change before commit " + k);
    }
  }

  @Test
  void aSuspensionBetweenBatchesNetsAsIfItCameBeforeTheRun() {
    Consumer<PackageBilling> suspend = b -> {
      b.suspend("a1", FEB_14);
      b.resume("a1", LocalDate.of(2026, 3, 10));
    };
    World before = world();
    suspend.accept(before.clean());
    before.chargeUntilSettled(RUN);
    for (int k = 1; k <= 4; k++) {
      assertSameNet(before, raced(k, suspend), "suspension before commit " + k);
    }
  }
}
