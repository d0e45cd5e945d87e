package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A child JVM charging {@link MixedScenario} on PostgreSQL is killed (SIGKILL) a third of the way
 * into committing its first page, inside a batch's transaction; then, before the rerun, the terms
 * of assignments of that page whose lines were in flight (planned, in batches not committed yet)
 * change: three free-minute and three other assignments get end dates inside their first period,
 * and the package of another one, its own, a new price ({@code define}). The rerun must charge them on their new terms: every grant is exactly
 * {@code Grant.of(its journaled FREE_MINUTES line, the package, the zone)} (seconds, validity; the
 * cut periods' grants prorated and ending the day after the new end), every credit entry its line's
 * retail (the new price's), and the journal, watermarks, credit entries, balances and grants equal
 * those of one clean run of the final terms on a schema of its own, row for row (so every period
 * nets what the final terms give).
 */
final class PostgresCrashThenChangedTermsTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  private static final int ASSIGNMENTS = 120;
  private static final int BATCH = 40;
  /** The run plans its first 50 assignments at once; the kill comes a third of the way into committing them. */
  private static final int PAGE = 50;
  private static final int KILL_AFTER = 7;
  /** The one assignment of its own package; late in the first page, which the kill leaves half committed. */
  private static final String SOLO = "a040-solo";

  private static ServicePackage solo(String retail) {
    return ServicePackage.builder("solo").name("Solo").currency("USD").retail(retail).cost("4.00")
        .frequency(Frequency.MONTHLY).build();
  }

  private static List<ServicePackage> catalog(String soloRetail) {
    return Stream.concat(MixedScenario.catalog().stream(), Stream.of(solo(soloRetail))).toList();
  }

  private static List<Assignment> assignments() {
    List<Assignment> assignments = new ArrayList<>(MixedScenario.assignments(ASSIGNMENTS));
    assignments.add(Assignment.builder(SOLO).customerId("c1").packageId("solo").startDate(LocalDate.of(2026, 1, 10))
        .autoDecrementCredit(true).build());
    return assignments;
  }

  @Test
  void linesInFlightAtAKillAreChargedOnTheTermsStoredAtTheRerun() throws Exception {
    TestDatabase.Fresh work = DB.fresh();
    DataSource pool = work.pool();
    JdbcStores stores = JdbcStores.create(pool);
    MixedScenario.setUp(stores, catalog("40.00"), assignments());

    try (ChildCharge child = ChildCharge.start(work.url(), MixedScenario.RUN, BATCH, PAGE)) {
      assertTrue(child.awaitCommits(KILL_AFTER), "the child commits " + KILL_AFTER + " batches");
      assertTrue(child.awaitCommitStart(), "and hands the next to its unit of work");
      child.kill(pool);
    }
    ChargeOutcome crashed = ChargeOutcome.read(pool);
    crashed.assertEveryLinePostedOnce(key -> false, "after the kill");
    crashed.assertGrantsAreThoseOfTheJournaledLines(stores.catalog(), MixedScenario.ZONE, "after the kill");
    Set<String> charged = new TreeSet<>();
    crashed.lines().forEach(l -> charged.add(l.assignmentId()));
    assertFalse(charged.isEmpty(), "the child committed lines before it was killed");

    // The lines still due, by assignment: those the kill left in flight or not planned yet.
    PackageBilling billing = MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, BATCH, PAGE);
    Map<String, List<ChargeLine>> due = new TreeMap<>();
    billing.run(MixedScenario.RUN, RunMode.SIMULATE).lines(LineStatus.DUE).stream().map(PlannedLine::line)
        .forEach(l -> due.computeIfAbsent(l.assignmentId(), id -> new ArrayList<>()).add(l));
    assertFalse(due.isEmpty(), "the kill left lines uncharged");

    // The page the child was committing: planned, a third of it committed. Its assignments still
    // wholly uncharged had their lines in flight; they get end dates inside their first period.
    List<String> firstPage = assignments().stream().map(Assignment::id).sorted().limit(PAGE).toList();
    assertTrue(firstPage.contains(SOLO));
    assertTrue(charged.stream().allMatch(firstPage::contains), "the kill came inside the first page: " + charged);
    Map<String, LocalDate> newEnds = new TreeMap<>();
    int freeMinutes = 0;
    int others = 0;
    for (Map.Entry<String, List<ChargeLine>> entry : due.entrySet()) {
      String id = entry.getKey();
      if (charged.contains(id) || id.equals(SOLO) || !firstPage.contains(id)) {
        continue;
      }
      Optional<ChargeLine> grant = entry.getValue().stream().filter(l -> l.kind() == LineKind.FREE_MINUTES)
          .findFirst();
      Optional<ChargeLine> recurring = entry.getValue().stream().filter(l -> l.kind() == LineKind.RECURRING
          && l.period().days() > 2).findFirst();
      if (grant.isPresent() && freeMinutes < 3) {
        freeMinutes++;
        newEnds.put(id, middle(grant.get().period()));
      } else if (grant.isEmpty() && recurring.isPresent() && others < 3) {
        others++;
        newEnds.put(id, middle(recurring.get().period()));
      }
    }
    assertEquals(3, freeMinutes, "free-minute assignments in flight: " + newEnds);
    assertEquals(3, others, "other assignments in flight: " + newEnds);
    newEnds.forEach(billing::unassign);
    assertEquals(List.of(), billing.charged(SOLO), SOLO + " was in flight");
    assertTrue(due.containsKey(SOLO));
    billing.define(solo("44.00"));

    billing.run(MixedScenario.RUN, RunMode.CHARGE);
    assertEquals(0, billing.run(MixedScenario.RUN, RunMode.CHARGE).summary().count(LineStatus.CHARGED),
        "the rerun charged everything");

    ChargeOutcome rerun = ChargeOutcome.read(pool);
    rerun.assertEveryLinePostedOnce(key -> false, "after the rerun");
    rerun.assertGrantsAreThoseOfTheJournaledLines(stores.catalog(), MixedScenario.ZONE, "after the rerun");
    rerun.assertBalancesAreTheirEntries("after the rerun");
    int cutGrants = 0;
    for (Map.Entry<String, LocalDate> end : newEnds.entrySet()) {
      List<ChargeLine> lines = rerun.lines().stream().filter(l -> l.assignmentId().equals(end.getKey())).toList();
      assertTrue(lines.stream().noneMatch(l -> l.period().start().isAfter(end.getValue())), "nothing of "
          + end.getKey() + " after its new end " + end.getValue() + ": " + lines);
      for (ChargeLine line : lines) {
        if (line.kind() == LineKind.FREE_MINUTES && line.period().contains(end.getValue())) {
          GrantBalance grant = rerun.grants().get(line.key().toString());
          assertEquals(Optional.of(end.getValue().plusDays(1).atStartOfDay(MixedScenario.ZONE).toInstant()),
              grant.grant().validUntil(), "the cut period's grant ends with the new end date: " + grant);
          assertTrue(grant.allocatedSeconds() < line.quantity() * 60L * billing.findAssignment(end.getKey())
              .orElseThrow().minutes().orElseThrow(), "and is prorated: " + grant);
          cutGrants++;
        }
      }
    }
    assertEquals(freeMinutes, cutGrants, "a prorated grant for each free-minute assignment ended mid-period");
    List<ChargeLine> soloLines = rerun.lines().stream().filter(l -> l.assignmentId().equals(SOLO)).toList();
    assertEquals(4, soloLines.size(), SOLO + "'s months: " + soloLines);
    assertTrue(soloLines.stream().allMatch(l -> l.unitPrice().equals(Money.of("44.00", "USD"))),
        SOLO + " charged at the new price: " + soloLines);

    TestDatabase.Fresh reference = DB.fresh();
    DataSource referencePool = reference.pool();
    JdbcStores.create(referencePool);
    List<Assignment> finalTerms = Races.assignments(stores);
    ChargeOutcome clean = Races.freshPlan(DB, referencePool, catalog("44.00"), finalTerms, MixedScenario.RUN);
    assertEquals(clean.netPerPeriod(), rerun.netPerPeriod(), "net RECURRING + ADJUSTMENT per period");
    StoreState expected = StoreState.read(referencePool);
    StoreState actual = StoreState.read(pool);
    // Assignments differ in versions and stored reprice markers only; everything a run writes is compared.
    StoreState.assertSame(withoutAssignments(expected), withoutAssignments(actual),
        "a kill, new terms for lines in flight, a rerun");
  }

  /** The middle day of a period (days over two after its start). */
  private static LocalDate middle(BillingPeriod period) {
    return period.start().plusDays(period.days() / 2);
  }

  private static StoreState withoutAssignments(StoreState state) {
    return new StoreState(state.lines(), state.watermarks(), state.creditEntries(), state.balances(), List.of(),
        state.grants());
  }
}
