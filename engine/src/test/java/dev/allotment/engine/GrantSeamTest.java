package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.engine.Faults.Trigger;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.InMemoryStores;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FREE_MINUTES lines become grants in the free-minute store exactly once, with the lines that give
 * them, and only in CHARGE runs: on the default path in the same unit of work as the lines; on
 * split stores written before the journal commit that journals their lines, once per commit.
 */
final class GrantSeamTest {
  private static final LocalDate DATE = LocalDate.of(2026, 5, 1);

  private static List<ChargeLine> freeMinutes(Collection<ChargeLine> lines) {
    return lines.stream().filter(l -> l.kind() == LineKind.FREE_MINUTES).toList();
  }

  private static List<ChargeLine> chargedFreeMinutes(RunReport report) {
    return freeMinutes(report.lines(LineStatus.CHARGED).stream().map(l -> l.line()).toList());
  }

  @Test
  void aBatchCarriesTheGrantsOfItsFreeMinuteLinesAndTheStoreListsThemOnce() {
    InMemoryStores stores = new InMemoryStores();
    List<ChargeBatch> batches = new ArrayList<>();
    PackageBilling billing = PackageBilling.builder().clock(Fixtures.clock())
        .stores(Fixtures.withUnitOfWork(stores, batch -> {
          batches.add(batch);
          return stores.unitOfWork().commit(batch);
        })).batchSize(4).build();
    Fixtures.setUp(billing, Fixtures.mixedCatalog(), Fixtures.mixedAssignments(24, JAN_1));
    ZoneId zone = billing.clock().zone();

    billing.run(DATE, RunMode.SIMULATE);
    assertEquals(List.of(), batches, "a simulation writes nothing, grants included");
    assertEquals(Map.of(), Fixtures.liveGrants(stores.freeMinutes(), stores.assignments(), zone));

    RunReport report = billing.run(DATE, RunMode.CHARGE);

    List<Grant> granted = new ArrayList<>();
    for (ChargeBatch batch : batches) {
      List<Grant> expected = freeMinutes(batch.lines()).stream()
          .map(l -> Grant.of(l, billing.findPackage(l.packageId()).orElseThrow(), zone)).toList();
      assertEquals(expected, batch.grants(), "the grants of " + batch + " are those of its lines");
      granted.addAll(batch.grants());
    }
    List<ChargeLine> expected = chargedFreeMinutes(report);
    assertTrue(expected.size() >= 6, "several grants over several batches: " + expected.size());
    assertTrue(batches.size() > 10, "small batches: " + batches.size());
    assertEquals(expected.size(), granted.size(), "one grant per charged line");
    assertTrue(expected.stream().allMatch(l -> l.grantSeconds() > 0));
    Map<String, GrantBalance> live = Fixtures.liveGrants(stores.freeMinutes(), stores.assignments(), zone);
    assertEquals(new HashSet<>(granted), new HashSet<>(live.values().stream().map(GrantBalance::grant).toList()),
        "the store lists every grant of the charge, and no other");

    batches.clear();
    billing.run(DATE, RunMode.CHARGE);
    assertTrue(batches.stream().allMatch(b -> b.grants().isEmpty()), "nothing due, nothing granted");
    assertEquals(live, Fixtures.liveGrants(stores.freeMinutes(), stores.assignments(), zone));
  }

  /** What happened on split stores, in order: a grant write or a journal commit, with its grants' or lines' keys. */
  private record Event(String what, List<String> keys) {}

  @Test
  void onSplitStoresGrantsAreWrittenBeforeTheJournalCommitOfTheirLinesOncePerCommit() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, 4);
    List<Event> events = new ArrayList<>();
    Faults.Journal journal = new Faults.Journal(world.journal, Trigger.never()) {
      @Override
      public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
        events.add(new Event("journal", freeMinutes(lines).stream().map(l -> l.key().toString()).toList()));
        return super.commit(lines, watermarks);
      }
    };
    Faults.FreeMinutes minutes = new Faults.FreeMinutes(world.freeMinutes, Trigger.never()) {
      @Override
      public void addGrants(Collection<Grant> grants) {
        events.add(new Event("grants", grants.stream().map(Grant::id).toList()));
        super.addGrants(grants);
      }
    };
    PackageBilling billing = world.engine(journal, new Faults.Ledger(world.ledger, Trigger.never()), minutes);
    Fixtures.setUp(billing, Fixtures.mixedCatalog(), Fixtures.mixedAssignments(24, JAN_1));

    billing.run(DATE, RunMode.SIMULATE);
    assertEquals(List.of(), events, "a simulation writes nothing, grants included");

    RunReport report = billing.run(DATE, RunMode.CHARGE);

    List<String> granted = new ArrayList<>();
    List<String> written = List.of();
    int commits = 0;
    for (Event event : events) {
      if (event.what().equals("grants")) {
        assertEquals(List.of(), written, "two grant writes for one commit");
        written = event.keys();
        granted.addAll(event.keys());
      } else {
        commits++;
        assertEquals(event.keys(), written, "the grants written just before commit " + commits);
        written = List.of();
      }
    }
    List<String> expected = chargedFreeMinutes(report).stream().map(l -> l.key().toString()).toList();
    assertTrue(expected.size() >= 6, "several grants over several batches: " + expected.size());
    assertTrue(commits > 10, "small batches: " + commits);
    assertEquals(expected.size(), granted.size());
    assertEquals(new HashSet<>(expected), new HashSet<>(granted));
    world.outcome();

    events.clear();
    billing.run(DATE, RunMode.CHARGE);
    assertTrue(events.stream().noneMatch(e -> e.what().equals("grants")), "nothing due, nothing granted");
  }

  @Test
  void theEmbeddedDefaultGrantsEveryChargedFreeMinuteLine() {
    InMemoryStores stores = new InMemoryStores();
    PackageBilling billing = Fixtures.inMemory(Fixtures.clock(), stores);
    Fixtures.setUp(billing, Fixtures.mixedCatalog(), List.of(Assignment.builder("a1").customerId("c1")
        .packageId("minutes").startDate(JAN_1).minutes(200).quantity(2).build()));

    RunReport report = billing.run(LocalDate.of(2026, 2, 1), RunMode.CHARGE);

    List<ChargeLine> grants = chargedFreeMinutes(report);
    assertEquals(2, grants.size());
    assertEquals(200 * 2 * 60, grants.get(0).grantSeconds(), "minutes x quantity x 60 for a whole month");
    assertEquals(2, report.summary().grants());
    assertEquals(48_000, report.summary().grantSeconds());
    assertEquals(4, billing.charged("a1").size(), "two RECURRING and two FREE_MINUTES lines");
    Map<String, GrantBalance> live = Fixtures.liveGrants(stores.freeMinutes(), stores.assignments(),
        billing.clock().zone());
    assertEquals(List.of("a1/FREE_MINUTES/2026-01-01", "a1/FREE_MINUTES/2026-02-01"), List.copyOf(live.keySet()));
    assertTrue(live.values().stream().allMatch(b -> b.allocatedSeconds() == 24_000 && b.usedSeconds() == 0));
  }
}
