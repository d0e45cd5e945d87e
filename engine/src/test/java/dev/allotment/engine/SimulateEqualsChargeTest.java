package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The law that makes billing honest: over random catalogs, assignments, end-date changes, credit
 * and dates, a CHARGE reports exactly what the SIMULATE before it reported (DUE becoming
 * CHARGED), and a second CHARGE charges nothing.
 */
final class SimulateEqualsChargeTest {
  private static final LocalDate BASE = LocalDate.of(2025, 11, 1);

  record PackageSpec(Frequency frequency, List<Integer> matchDays, MonthEnd monthEnd, FirstPeriod firstPeriod,
      int retailCents, int costCents, int setupCents, boolean minimumSpend, boolean freeMinutes, boolean eur) {}

  record AssignmentSpec(int packageIndex, int customer, int quantity, int startOffset, int endOffset, boolean auto,
      int minutes, boolean did) {}

  record Scenario(List<PackageSpec> packages, List<AssignmentSpec> assignments, int firstRun, int secondRunAfter,
      int changedAssignment, int newEndBeforeFirstRun, CreditPolicy policy, List<Integer> topUps, int batchSize,
      int pageSize) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<PackageSpec> packageSpec = Combinators.combine(
        Arbitraries.of(Frequency.class),
        Arbitraries.integers().between(1, 31).list().ofMaxSize(3),
        Arbitraries.of(MonthEnd.class),
        Arbitraries.of(FirstPeriod.class),
        Arbitraries.integers().between(0, 10_000),
        Arbitraries.integers().between(0, 5_000),
        Arbitraries.integers().between(0, 3).flatMap(i -> i == 0 ? Arbitraries.integers().between(1, 20_000)
            : Arbitraries.just(0)),
        Arbitraries.integers().between(0, 9))
        .as((f, days, end, first, retail, cost, setup, flags) -> new PackageSpec(f, days, end, first, retail, cost,
            setup, flags == 1 || flags == 2, flags >= 7, flags == 3 || flags == 8));
    Arbitrary<AssignmentSpec> assignmentSpec = Combinators.combine(
        Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(1, 3),
        Arbitraries.integers().between(0, 120),
        Arbitraries.integers().between(-1, 200),
        Arbitraries.of(true, false),
        Arbitraries.integers().between(1, 500),
        Arbitraries.integers().between(0, 4))
        .as((p, c, q, start, end, auto, minutes, did) -> new AssignmentSpec(p, c, q, start, end, auto, minutes,
            did == 0));
    return Combinators.combine(
        packageSpec.list().ofMinSize(1).ofMaxSize(4),
        assignmentSpec.list().ofMinSize(1).ofMaxSize(6),
        Arbitraries.integers().between(30, 260),
        Arbitraries.integers().between(0, 150),
        Arbitraries.integers().between(-1, 30),
        Arbitraries.integers().between(-1, 90),
        Arbitraries.of(CreditPolicy.class),
        Arbitraries.integers().between(0, 40_000).list().ofSize(3))
        .flatAs((packages, assignments, first, after, changed, newEnd, policy, topUps) -> Combinators.combine(
            Arbitraries.integers().between(1, 9), Arbitraries.integers().between(1, 4))
            .as((batch, page) -> new Scenario(packages, assignments, first, after, changed, newEnd, policy, topUps,
                batch, page)));
  }

  private static ServicePackage servicePackage(int index, PackageSpec spec) {
    ServicePackage.Builder b = ServicePackage.builder("p" + index).name("Package " + index)
        .currency(spec.eur() ? "EUR" : "USD").retail(BigDecimal.valueOf(spec.retailCents(), 2))
        .cost(BigDecimal.valueOf(spec.costCents(), 2)).setupRetail(BigDecimal.valueOf(spec.setupCents(), 2))
        .frequency(spec.frequency()).monthEnd(spec.monthEnd()).firstPeriod(spec.firstPeriod())
        .minimumSpend(spec.minimumSpend() && spec.frequency() != Frequency.NONE);
    if (spec.frequency() == Frequency.MONTHLY) {
      b.frequencyMatch(FrequencyMatch.daysOfMonth(spec.matchDays()));
    } else if (spec.frequency() == Frequency.WEEKLY) {
      b.frequencyMatch(FrequencyMatch.daysOfWeek(spec.matchDays().stream().map(d -> DayOfWeek.of(1 + d % 7)).toList()));
    }
    if (spec.freeMinutes()) {
      b.types(PackageType.FREE_MINUTES);
    }
    return b.build();
  }

  private static World world(Scenario s) {
    List<ServicePackage> packages = new ArrayList<>();
    for (int i = 0; i < s.packages().size(); i++) {
      packages.add(servicePackage(i, s.packages().get(i)));
    }
    List<Assignment> assignments = new ArrayList<>();
    for (int i = 0; i < s.assignments().size(); i++) {
      AssignmentSpec spec = s.assignments().get(i);
      ServicePackage p = packages.get(spec.packageIndex() % packages.size());
      LocalDate start = BASE.plusDays(spec.startOffset());
      Assignment.Builder b = Assignment.builder("a" + i).customerId("c" + spec.customer()).packageId(p.id())
          .quantity(spec.quantity()).startDate(start).autoDecrementCredit(spec.auto());
      if (spec.endOffset() >= 0) {
        b.endDate(start.plusDays(spec.endOffset()));
      }
      if (p.grantsFreeMinutes()) {
        b.minutes(spec.minutes());
      }
      if (spec.did()) {
        b.did("44" + i);
      }
      assignments.add(b.build());
    }
    World world = new World(s.policy(), s.batchSize());
    world.define(packages, assignments);
    for (int c = 0; c < 3; c++) {
      int cents = s.topUps().get(c);
      if (cents > 0) {
        world.topUp("c" + c, Money.of(BigDecimal.valueOf(cents, 2), Fixtures.USD));
        world.topUp("c" + c, Money.of(BigDecimal.valueOf(cents / 3 + 1, 2), Fixtures.EUR));
      }
    }
    return world;
  }

  private static PackageBilling engine(World world, Scenario s) {
    return PackageBilling.builder().clock(world.clock).catalog(world.catalog).assignments(world.assignments)
        .journal(world.journal).creditLedger(world.ledger).grantWriter(world.grants).spendSource(world.spend)
        .creditPolicy(s.policy()).batchSize(s.batchSize()).pageSize(s.pageSize()).build();
  }

  @Property(tries = 150)
  void chargeReportsWhatTheSimulationPredictedAndASecondChargeAddsNothing(@ForAll("scenarios") Scenario s) {
    World world = world(s);
    PackageBilling billing = engine(world, s);
    LocalDate first = BASE.plusDays(s.firstRun());
    LocalDate second = first.plusDays(s.secondRunAfter());

    check(billing, world, first);
    // An end-date change between the runs: ADJUSTMENT lines and their credit postings on the next one.
    // The new end lies up to 90 days before the first run, inside what it charged.
    if (s.changedAssignment() >= 0) {
      String id = "a" + s.changedAssignment() % s.assignments().size();
      Assignment a = billing.findAssignment(id).orElseThrow();
      if (s.newEndBeforeFirstRun() < 0) {
        billing.reinstate(id);
      } else {
        LocalDate end = first.minusDays(s.newEndBeforeFirstRun());
        billing.unassign(id, end.isBefore(a.startDate()) ? a.startDate() : end);
      }
    }
    check(billing, world, second);
  }

  private static void check(PackageBilling billing, World world, LocalDate date) {
    World.Outcome before = world.outcome();
    RunReport simulated = billing.run(date, RunMode.SIMULATE);
    assertEquals(before, world.outcome(), "a simulation writes nothing");
    assertEquals(0, simulated.summary().count(LineStatus.CHARGED));

    RunReport charged = billing.run(date, RunMode.CHARGE);
    assertEquals(simulated.lines(), Fixtures.relabel(charged.lines(), LineStatus.CHARGED, LineStatus.DUE));
    assertEquals(simulated.totals(), charged.totals());
    assertEquals(simulated.summary().count(LineStatus.DUE), charged.summary().count(LineStatus.CHARGED));
    assertEquals(0, charged.summary().count(LineStatus.DUE));

    World.Outcome after = world.outcome(); // also checks every journaled line's net credit posting
    RunReport again = billing.run(date, RunMode.CHARGE);
    assertEquals(0, again.summary().count(LineStatus.CHARGED), "a second charge adds nothing");
    assertEquals(after, world.outcome());
    if (billing.creditPolicy() == CreditPolicy.ALLOW_NEGATIVE) {
      assertTrue(again.lines().stream().allMatch(l -> l.status() == LineStatus.ALREADY_CHARGED));
    } else {
      assertEquals(charged.summary().count(LineStatus.SKIPPED_NO_CREDIT),
          again.summary().count(LineStatus.SKIPPED_NO_CREDIT), "what had no credit still has none");
    }
  }
}
