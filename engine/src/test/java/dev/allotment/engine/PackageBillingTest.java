package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static dev.allotment.engine.Fixtures.USD;
import static dev.allotment.engine.Fixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PackageType;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import dev.allotment.spi.InMemorySpendSource;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.KeyConflictException;
import dev.allotment.spi.MutableBillingClock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class PackageBillingTest {
  private final MutableBillingClock clock = Fixtures.clock();
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = Fixtures.inMemory(clock, stores);

  private static Assignment monthlyTo(String id, String customer, boolean auto) {
    return Assignment.builder(id).customerId(customer).packageId("m").startDate(JAN_1).autoDecrementCredit(auto)
        .build();
  }

  @Test
  void chargeCatchesUpEveryMissedPeriodAndDebitsAutoDecrementCredit() {
    billing.define(Fixtures.monthly("m"));
    billing.assign(monthlyTo("a1", "c1", true));
    billing.assign(monthlyTo("a2", "c2", false));

    RunReport report = billing.run(LocalDate.of(2026, 3, 1), RunMode.CHARGE);

    // Jan 1 is the start and (empty match) the billing day: periods start Jan 1, Feb 1, Mar 1.
    List<LineKey> expected = new ArrayList<>();
    for (String a : List.of("a1", "a2")) {
      for (int month = 1; month <= 3; month++) {
        expected.add(LineKey.of(a, LineKind.RECURRING, LocalDate.of(2026, month, 1)));
      }
    }
    assertEquals(expected, report.lines().stream().map(l -> l.line().key()).toList());
    assertTrue(report.lines().stream().allMatch(l -> l.status() == LineStatus.CHARGED));
    assertEquals(usd("180.00"), report.totals().of(USD).retail());
    assertEquals(usd("72.00"), report.totals().of(USD).cost());
    assertEquals(usd("108.00"), report.totals().of(USD).margin());
    assertEquals(usd("-90.00"), stores.creditLedger().balance("c1", USD));
    assertEquals(usd("0"), stores.creditLedger().balance("c2", USD), "a2 does not auto-decrement");
    assertEquals(3, billing.charged("a1").size());
    assertEquals(2, report.summary().assignmentsPlanned());
  }

  @Test
  void simulateWritesNothingAndPredictsTheChargeExactly() {
    billing.define(Fixtures.monthly("m"));
    billing.assign(monthlyTo("a1", "c1", true));
    LocalDate date = LocalDate.of(2026, 2, 1);

    RunReport simulated = billing.run(date, RunMode.SIMULATE);
    assertEquals(List.of(), billing.charged("a1"));
    assertEquals(usd("0"), stores.creditLedger().balance("c1", USD));
    assertEquals(2, simulated.summary().count(LineStatus.DUE));

    RunReport charged = billing.run(date, RunMode.CHARGE);
    assertEquals(simulated.lines(), Fixtures.relabel(charged.lines(), LineStatus.CHARGED, LineStatus.DUE));
    assertEquals(simulated.totals(), charged.totals());

    RunReport again = billing.run(date, RunMode.CHARGE);
    assertEquals(0, again.summary().count(LineStatus.CHARGED));
    // The journal hands the planner only the tail past the watermark (O(new periods)): February,
    // whose period is still open, is shown for reference; January is settled and not reloaded.
    assertEquals(List.of(LineKey.of("a1", LineKind.RECURRING, date)),
        again.lines(LineStatus.ALREADY_CHARGED).stream().map(l -> l.line().key()).toList());
    assertEquals(again.lines().size(), again.summary().count(LineStatus.ALREADY_CHARGED));
    assertEquals(usd("-60.00"), stores.creditLedger().balance("c1", USD));
  }

  @Test
  void aCustomerRunTouchesOnlyThatCustomer() {
    billing.define(Fixtures.monthly("m"));
    billing.assign(monthlyTo("a1", "c1", true));
    billing.assign(monthlyTo("a2", "c2", true));

    RunReport report = billing.run(JAN_1, RunMode.CHARGE, "c2");

    assertEquals(List.of("c2"), report.lines().stream().map(l -> l.line().customerId()).distinct().toList());
    assertEquals("customer c2", report.scope());
    assertEquals(List.of(), billing.charged("a1"));
    assertEquals(1, billing.charged("a2").size());
  }

  @Test
  void theStreamingRunReportsWhatTheFullReportHolds() {
    billing.define(Fixtures.monthly("m"));
    for (int i = 0; i < 30; i++) {
      billing.assign(monthlyTo(String.format("a%02d", i), "c" + i % 4, true));
    }
    PackageBilling small = PackageBilling.builder().clock(clock).stores(billing.stores()).pageSize(7).batchSize(3)
        .build();
    RunReport full = small.run(LocalDate.of(2026, 2, 10), RunMode.SIMULATE);
    List<PlannedLine> streamed = new ArrayList<>();
    RunSummary summary = small.run(RunRequest.of(LocalDate.of(2026, 2, 10), RunMode.SIMULATE), streamed::add);

    assertEquals(full.summary(), summary);
    assertEquals(full.lines(), streamed);
    assertEquals(60, streamed.size());
    assertEquals(30, summary.assignmentsPlanned());
  }

  @Test
  void aPriceChangeAppliesToLinesNotChargedYet() {
    billing.define(Fixtures.monthly("m"));
    billing.assign(monthlyTo("a1", "c1", true));
    billing.run(JAN_1, RunMode.CHARGE);

    billing.define(ServicePackage.builder("m").name("Monthly m, dearer").currency("USD").retail("40.00").cost("12.00")
        .frequency(Frequency.MONTHLY).minimumDays(10).features("voicemail").build());
    RunReport feb = billing.run(LocalDate.of(2026, 2, 1), RunMode.CHARGE);

    assertEquals(List.of(usd("40.00")), feb.lines(LineStatus.CHARGED).stream().map(l -> l.line().retail()).toList(),
        "February at the new price, and no adjustment of January");
    assertEquals(usd("-70.00"), stores.creditLedger().balance("c1", USD));
  }

  @Test
  void changesThatReinterpretChargedLinesAreRefused() {
    billing.define(Fixtures.monthly("m"));
    PackageChangeException e = assertThrows(PackageChangeException.class,
        () -> billing.define(ServicePackage.builder("m").name("Monthly m").currency("EUR").retail("30.00")
            .cost("12.00").frequency(Frequency.WEEKLY).build()));
    assertTrue(e.getMessage().contains("currency (USD -> EUR)"), e.getMessage());
    assertTrue(e.getMessage().contains("frequency (MONTHLY -> WEEKLY)"), e.getMessage());
    assertTrue(e.getMessage().contains("define a new package"), e.getMessage());
    assertEquals(Fixtures.monthly("m"), billing.findPackage("m").orElseThrow());

    for (ServicePackageBuilder change : List.of(
        ServicePackage.builder("m").firstPeriod(FirstPeriod.FULL),
        ServicePackage.builder("m").minimumSpend(true),
        ServicePackage.builder("m").types(PackageType.FREE_MINUTES),
        ServicePackage.builder("m").monthEnd(dev.allotment.core.MonthEnd.SKIP),
        ServicePackage.builder("m").frequencyMatch(dev.allotment.core.FrequencyMatch.daysOfMonth(2)))) {
      ServicePackage changed = change.name("Monthly m").currency("USD").retail("30.00").cost("12.00")
          .frequency(Frequency.MONTHLY).build();
      assertThrows(PackageChangeException.class, () -> billing.define(changed), changed.toString());
    }
    assertEquals(Fixtures.monthly("m"), billing.findPackage("m").orElseThrow());
  }

  @Test
  void assignChecksThePackage() {
    billing.define(Fixtures.monthly("m"));
    billing.define(ServicePackage.builder("fm").name("Minutes").currency("USD").frequency(Frequency.MONTHLY)
        .types(PackageType.FREE_MINUTES).build());

    UnknownPackageException unknown = assertThrows(UnknownPackageException.class, () -> billing.assign(
        Assignment.builder("a1").customerId("c1").packageId("nope").startDate(JAN_1).build()));
    assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
    IllegalArgumentException noMinutes = assertThrows(IllegalArgumentException.class, () -> billing.assign(
        Assignment.builder("a2").customerId("c1").packageId("fm").startDate(JAN_1).build()));
    assertTrue(noMinutes.getMessage().contains("minutes"), noMinutes.getMessage());

    assertTrue(billing.assign(monthlyTo("a3", "c1", true)));
    assertFalse(billing.assign(monthlyTo("a3", "c1", true)), "the same assignment again is a no-op");
    assertThrows(KeyConflictException.class, () -> billing.assign(monthlyTo("a3", "c2", true)));
    assertEquals(List.of("a3"), Fixtures.all(stores.assignments()).stream().map(Assignment::id).toList());
  }

  @Test
  void unassignAndReinstateOfAnUnknownAssignmentAreRefused() {
    assertThrows(UnknownAssignmentException.class, () -> billing.unassign("ghost", JAN_1));
    assertThrows(UnknownAssignmentException.class, () -> billing.reinstate("ghost"));
  }

  @Test
  void entitlementsAreTheSortedFeaturesOfActiveAssignments() {
    billing.define(ServicePackage.builder("p1").name("P1").currency("USD").frequency(Frequency.MONTHLY)
        .retail("1").features("voicemail", "call-recording").build());
    billing.define(ServicePackage.builder("p2").name("P2").currency("USD").frequency(Frequency.MONTHLY)
        .retail("1").features("ivr", "voicemail").build());
    billing.define(ServicePackage.builder("p3").name("P3").currency("USD").frequency(Frequency.MONTHLY)
        .retail("1").features("fax").build());
    billing.assign(Assignment.builder("a1").customerId("c1").packageId("p1").startDate(JAN_1).build());
    billing.assign(Assignment.builder("a2").customerId("c1").packageId("p2").startDate(LocalDate.of(2026, 2, 1))
        .endDate(LocalDate.of(2026, 2, 28)).build());
    billing.assign(Assignment.builder("a3").customerId("c2").packageId("p3").startDate(JAN_1).build());

    assertEquals(List.of("call-recording", "voicemail"), List.copyOf(billing.entitlements("c1", JAN_1)));
    assertEquals(List.of("call-recording", "ivr", "voicemail"),
        List.copyOf(billing.entitlements("c1", LocalDate.of(2026, 2, 28))));
    assertEquals(List.of("call-recording", "voicemail"),
        List.copyOf(billing.entitlements("c1", LocalDate.of(2026, 3, 1))));
    assertEquals(Set.of(), billing.entitlements("c1", LocalDate.of(2025, 12, 31)));
    clock.setDate(LocalDate.of(2026, 2, 15));
    assertEquals(List.of("call-recording", "ivr", "voicemail"), List.copyOf(billing.entitlements("c1")));
  }

  @Test
  void upcomingListsTheLinesFallingDueInTheWindowAndWritesNothing() {
    // Minimum spend trues up against the spend recorded in the in-memory stores.
    InMemorySpendSource spend = stores.spend();
    billing.define(Fixtures.monthly("m"));
    billing.define(ServicePackage.builder("min").name("Min").currency("USD").retail("50.00")
        .frequency(Frequency.MONTHLY).minimumSpend(true).build());
    billing.assign(monthlyTo("a1", "c1", true));
    billing.assign(Assignment.builder("a2").customerId("c1").packageId("min").startDate(JAN_1).build());
    billing.assign(monthlyTo("a3", "c2", true));
    spend.record("c1", LocalDate.of(2026, 2, 10), usd("20.00"));
    billing.run(LocalDate.of(2026, 2, 1), RunMode.CHARGE);

    // Window [Feb 20, Mar 6): March's recurring line on Mar 1, and February's true-up due Mar 1:
    // 50.00 minimum less the 20.00 spent so far.
    List<ChargeLine> upcoming = billing.upcoming("c1", LocalDate.of(2026, 2, 20), 14);

    assertEquals(List.of(LineKey.of("a1", LineKind.RECURRING, LocalDate.of(2026, 3, 1)),
        LineKey.of("a2", LineKind.MINIMUM_SPEND, LocalDate.of(2026, 2, 1))),
        upcoming.stream().map(ChargeLine::key).toList());
    assertEquals(usd("30.00"), upcoming.get(1).retail());
    assertEquals(2, billing.charged("a1").size(), "Jan and Feb only: upcoming wrote nothing");
    assertEquals(List.of(), billing.upcoming("c1", LocalDate.of(2026, 2, 2), 27));
    assertThrows(IllegalArgumentException.class, () -> billing.upcoming("c1", JAN_1, 0));
  }

  @Test
  void theBuilderHasDefaultsForTuningOnlyAndRefusesSettingTwice() {
    assertThrows(IllegalStateException.class, () -> PackageBilling.builder().pageSize(5).pageSize(6));
    assertThrows(IllegalStateException.class, () -> PackageBilling.builder().stores(stores).stores(stores));
    assertThrows(IllegalArgumentException.class, () -> PackageBilling.builder().batchSize(0));
    assertThrows(IllegalArgumentException.class, () -> PackageBilling.builder().pageSize(0));
    PackageBilling built = PackageBilling.builder().clock(clock).stores(stores).build();
    assertEquals(CreditPolicy.ALLOW_NEGATIVE, built.runSettings().creditPolicy());
    assertEquals(1000, built.runSettings().pageSize());
    assertEquals(500, built.runSettings().batchSize());
    assertTrue(built.runSettings().readAhead());
    assertSame(stores, built.stores(), "the engine runs on the stores given, and no others");
    assertSame(clock, built.clock());
    assertTrue(PackageBilling.inMemory(clock).stores() instanceof InMemoryStores);
  }

  @Test
  void twoBatchesCommitAtOnceUnlessCommitsMustBeSequential() {
    assertEquals(2, PackageBilling.builder().clock(clock).stores(stores).build().runSettings().commitsInFlight());
    assertEquals(8, PackageBilling.builder().clock(clock).stores(stores).commitsInFlight(8).build().runSettings()
        .commitsInFlight());
    assertEquals(1, PackageBilling.builder().clock(clock).stores(stores).readAhead(false).build().runSettings()
        .commitsInFlight(), "the caller's thread only");
    assertEquals(1, PackageBilling.builder().clock(clock).stores(stores).creditPolicy(CreditPolicy.ONLY_IF_COVERED)
        .build().runSettings().commitsInFlight(), "credit decided in the order of a customer's lines");
    assertEquals(1, new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, 10, 10).clean().runSettings().commitsInFlight(),
        "the split stores");

    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> PackageBilling.builder().commitsInFlight(0));
    assertEquals("commitsInFlight must be within 1..8, was 0", zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PackageBilling.builder().commitsInFlight(9));
    assertThrows(IllegalStateException.class, () -> PackageBilling.builder().commitsInFlight(1).commitsInFlight(2));
    IllegalStateException sequential = assertThrows(IllegalStateException.class, () -> PackageBilling.builder()
        .clock(clock).stores(stores).creditPolicy(CreditPolicy.ONLY_IF_COVERED).commitsInFlight(2).build());
    assertTrue(sequential.getMessage().startsWith("commitsInFlight(2) needs batches committed on threads of their own,"
        + " but ONLY_IF_COVERED"), sequential.getMessage());
    assertThrows(IllegalStateException.class, () -> PackageBilling.builder().clock(clock).stores(stores)
        .readAhead(false).commitsInFlight(3).build());
    assertEquals(1, PackageBilling.builder().clock(clock).stores(stores).readAhead(false).commitsInFlight(1).build()
        .runSettings().commitsInFlight(), "1 is always allowed");
  }

  @Test
  void runWithoutADateUsesTheClock() {
    billing.define(Fixtures.monthly("m"));
    billing.assign(monthlyTo("a1", "c1", true));
    clock.setDate(LocalDate.of(2026, 4, 15));
    RunReport report = billing.run(RunMode.SIMULATE);
    assertEquals(LocalDate.of(2026, 4, 15), report.date());
    assertEquals(4, report.summary().count(LineStatus.DUE));
  }
}
