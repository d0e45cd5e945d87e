package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.jdbc.CrashingDataSource.Mode;
import dev.allotment.spi.EventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every event and its effect are written together or not at all: the database is lost at each
 * statement in turn of a charge, an assignment change and a call's consumption (a new engine each
 * time, over a DataSource that dies after that many statements), and after every loss the events
 * in the outbox are exactly those of the effects in the tables ({@link EventScenario}). The first
 * attempt that loses nothing commits, and its events are all there.
 */
abstract class EventAtomicityChecks {
  private TestDatabase.Fresh fresh;
  private JdbcStores stores;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    fresh = db().fresh();
    stores = JdbcStores.create(fresh.pool());
    EventScenario.prepare(stores);
  }

  /**
   * Runs {@code operation} on an engine whose database is lost after 0, 1, 2, ... statements until
   * it completes; after each loss, {@code check} sees the stores as they are. Returns the number of
   * statements the operation ran when it completed.
   */
  private int loseTheDatabaseAtEachStatement(Consumer<PackageBilling> operation, Runnable check) {
    for (int k = 0; ; k++) {
      CrashingDataSource crashing = new CrashingDataSource(fresh.unpooled());
      JdbcStores doomed = JdbcStores.builder(crashing).dialect(db().dialect()).migrateOnStart(false).build();
      PackageBilling billing = EventScenario.engine(doomed, EventScenario.clock());
      crashing.arm(Mode.STATEMENTS, k);
      try {
        operation.accept(billing);
        check.run();
        return k;
      } catch (RuntimeException e) {
        assertTrue(crashing.dead(), "failed only because the database was lost at statement " + (k + 1) + ": " + e);
        check.run();
      }
      assertTrue(k < 200, "the operation completes within 200 statements");
    }
  }

  @Test
  void aChargeLosingItsDatabaseAtAnyStatementLeavesEveryEventWithItsEffect() {
    PackageBilling setup = EventScenario.engine(stores, EventScenario.clock());
    setup.assign(EventScenario.plain());
    setup.assign(EventScenario.minutes());

    int statements = loseTheDatabaseAtEachStatement(billing -> billing.run(EventScenario.RUN, RunMode.CHARGE),
        () -> EventScenario.assertEventsMatchEffects(stores));

    assertTrue(statements > 2, "the run's statements were each lost once: " + statements);
    Map<EventType, Set<String>> ids = EventScenario.idsByType(stores);
    assertEquals(3, ids.get(EventType.LINE_CHARGED).size());
    assertEquals(Set.of("GRANT_ISSUED:a-minutes/FREE_MINUTES/2026-01-01"), ids.get(EventType.GRANT_ISSUED));
    assertEquals(Set.of("CREDIT_LOW:c1:USD:a-plain/RECURRING/2026-01-01"), ids.get(EventType.CREDIT_LOW));
    EventScenario.assertCreditLowPayload(stores);
    assertEquals(Set.of("CHARGE_UPCOMING:a-minutes/FREE_MINUTES/2026-02-01",
        "CHARGE_UPCOMING:a-minutes/RECURRING/2026-02-01", "CHARGE_UPCOMING:a-plain/RECURRING/2026-02-01"),
        ids.get(EventType.CHARGE_UPCOMING));
  }

  @Test
  void anAssignmentChangeLosingItsDatabaseAtAnyStatementLeavesItsEventWithIt() {
    loseTheDatabaseAtEachStatement(billing -> billing.assign(EventScenario.plain()),
        () -> EventScenario.assertEventsMatchEffects(stores));
    Assignment held = stores.assignments().find("a-plain").orElseThrow();
    assertEquals(0, held.version());

    loseTheDatabaseAtEachStatement(billing -> billing.unassign("a-plain", EventScenario.RUN.plusMonths(2)), () -> {
      Assignment now = stores.assignments().find("a-plain").orElseThrow();
      Set<String> changes = EventScenario.idsByType(stores).get(EventType.ASSIGNMENT_CHANGED);
      assertEquals(now.version() == 1, changes.contains("ASSIGNMENT_CHANGED:a-plain@1"), "the end date and its event");
      assertEquals(now.version() + 1, changes.size());
    });
    assertEquals(1, stores.assignments().find("a-plain").orElseThrow().version());
  }

  @Test
  void aConsumptionLosingItsDatabaseAtAnyStatementLeavesItsGrantEventsWithItsTakes() {
    Instant from = EventScenario.JAN_1.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    Grant grant = Grant.builder("g1").assignmentId("a-minutes").customerId("c1").allocatedSeconds(600)
        .validFrom(from).lowBalancePercent(50).build();
    EventScenario.engine(stores, EventScenario.clock()).freeMinutes().addGrants(List.of(grant));
    UsageRecord call = UsageRecord.of("u1", "c1", "4420", EventScenario.IN_JANUARY, 600);

    loseTheDatabaseAtEachStatement(billing -> billing.consume(call), () -> {
      long used = stores.freeMinutes().balances("c1", EventScenario.IN_JANUARY).get(0).usedSeconds();
      Map<EventType, Set<String>> ids = EventScenario.idsByType(stores);
      assertEquals(used == 600 ? Set.of("GRANT_LOW:g1") : Set.of(), ids.getOrDefault(EventType.GRANT_LOW, Set.of()));
      assertEquals(used == 600 ? Set.of("GRANT_EXHAUSTED:g1") : Set.of(),
          ids.getOrDefault(EventType.GRANT_EXHAUSTED, Set.of()));
      assertEquals(used == 600, stores.freeMinutes().consumption("u1").isPresent(), "the call and its takes");
    });

    Consumption replayed = EventScenario.engine(stores, EventScenario.clock()).consume(call);
    assertEquals(600, replayed.coveredSeconds());
    assertEquals(3, EventScenario.events(stores).size(), "the grant's issue, low and exhausted; the replay none");
  }
}
