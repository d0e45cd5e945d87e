package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import dev.allotment.spi.CreditLedger;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The law that makes billing honest: over random catalogs, assignments, end-date changes, credit,
 * dates, page and batch sizes, on the embedded default and on split stores, a CHARGE reports
 * exactly what the SIMULATE before it reported (DUE becoming CHARGED), and a second CHARGE charges
 * nothing.
 */
final class SimulateEqualsChargeTest {
  private static final LocalDate BASE = LocalDate.of(2025, 11, 1);

  record PackageSpec(Frequency frequency, List<Integer> matchDays, MonthEnd monthEnd, FirstPeriod firstPeriod,
      int retailCents, int costCents, int setupCents, boolean minimumSpend, boolean freeMinutes, boolean eur) {}

  record AssignmentSpec(int packageIndex, int customer, int quantity, int startOffset, int endOffset, boolean auto,
      int minutes, boolean did) {}

  record Scenario(List<PackageSpec> packages, List<AssignmentSpec> assignments, int firstRun, int secondRunAfter,
      int changedAssignment, int newEndBeforeFirstRun, CreditPolicy policy, List<Integer> topUps, int batchSize,
      int pageSize, boolean split) {}

  /** An engine on the scenario's stores, and their outcome. */
  private record Stores(PackageBilling billing, Supplier<World.Outcome> outcome) {}

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
            Arbitraries.integers().between(1, 9), Arbitraries.integers().between(1, 4), Arbitraries.of(false, true))
            .as((batch, page, split) -> new Scenario(packages, assignments, first, after, changed, newEnd, policy,
                topUps, batch, page, split)));
  }

  private static ServicePackage servicePackage(int index, PackageSpec spec) {
    ServicePackageBuilder b = ServicePackage.builder("p" + index).name("Package " + index)
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

  private static Stores stores(Scenario s) {
    List<ServicePackage> packages = new ArrayList<>();
    for (int i = 0; i < s.packages().size(); i++) {
      packages.add(servicePackage(i, s.packages().get(i)));
    }
    List<Assignment> assignments = new ArrayList<>();
    for (int i = 0; i < s.assignments().size(); i++) {
      AssignmentSpec spec = s.assignments().get(i);
      ServicePackage p = packages.get(spec.packageIndex() % packages.size());
      LocalDate start = BASE.plusDays(spec.startOffset());
      AssignmentBuilder b = Assignment.builder("a" + i).customerId("c" + spec.customer()).packageId(p.id())
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
    // Minimum-spend packages bill in USD and EUR: a spend source that answers in either.
    Stores stores;
    CreditLedger ledger;
    if (s.split()) {
      SplitWorld world = new SplitWorld(s.policy(), s.batchSize(), s.pageSize());
      stores = new Stores(world.clean(), world::outcome);
      ledger = world.ledger;
    } else {
      World world = new World(s.policy(), s.batchSize(), s.pageSize(), Fixtures.deterministicSpend());
      stores = new Stores(world.clean(), world::outcome);
      ledger = world.memory.creditLedger();
    }
    Fixtures.setUp(stores.billing(), packages, assignments);
    for (int c = 0; c < 3; c++) {
      int cents = s.topUps().get(c);
      if (cents > 0) {
        Fixtures.topUp(ledger, "c" + c, Money.of(BigDecimal.valueOf(cents, 2), Fixtures.USD));
        Fixtures.topUp(ledger, "c" + c, Money.of(BigDecimal.valueOf(cents / 3 + 1, 2), Fixtures.EUR));
      }
    }
    return stores;
  }

  @Property(tries = 150)
  void chargeReportsWhatTheSimulationPredictedAndASecondChargeAddsNothing(@ForAll("scenarios") Scenario s) {
    runs(s);
  }

  /**
   * Checks the scenario's two dates.
   *
   * @return the lines charged by runs after the first of a date (ONLY_IF_COVERED only)
   */
  private static long runs(Scenario s) {
    Stores world = stores(s);
    PackageBilling billing = world.billing();
    LocalDate first = BASE.plusDays(s.firstRun());
    LocalDate second = first.plusDays(s.secondRunAfter());

    long later = check(billing, world, first);
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
    return later + check(billing, world, second);
  }

  /** Checks the runs of one date; returns the lines charged by runs after the first. */
  private static long check(PackageBilling billing, Stores world, LocalDate date) {
    RunReport charged = simulateThenCharge(billing, world, date);
    long later = 0;
    if (billing.runSettings().creditPolicy() == CreditPolicy.ONLY_IF_COVERED) {
      // A run decides in commit order: a customer's line skipped early in it may be covered by a
      // credit (an ADJUSTMENT) decided later in the same run. The next run charges it, predicted
      // by its simulation too; and only then, for a customer whose credit the run before raised.
      for (int i = 0; i < 5 && charged.summary().count(LineStatus.CHARGED) > 0; i++) {
        RunReport next = simulateThenCharge(billing, world, date);
        Set<String> raised = charged.lines(LineStatus.CHARGED).stream().map(PlannedLine::line)
            .filter(l -> l.autoDecrement() && l.retail().isNegative()).map(ChargeLine::customerId)
            .collect(Collectors.toSet());
        for (PlannedLine line : next.lines(LineStatus.CHARGED)) {
          assertTrue(raised.contains(line.line().customerId()), "charged only after a credit of its customer: "
              + line);
        }
        later += next.summary().count(LineStatus.CHARGED);
        charged = next;
      }
    }

    World.Outcome after = world.outcome().get(); // also checks net postings and grants of every line
    RunReport again = billing.run(date, RunMode.CHARGE);
    assertEquals(0, again.summary().count(LineStatus.CHARGED), "a charge after the last adds nothing");
    assertEquals(after, world.outcome().get());
    if (billing.runSettings().creditPolicy() == CreditPolicy.ALLOW_NEGATIVE) {
      assertTrue(again.lines().stream().allMatch(l -> l.status() == LineStatus.ALREADY_CHARGED));
    } else {
      assertEquals(charged.summary().count(LineStatus.SKIPPED_NO_CREDIT),
          again.summary().count(LineStatus.SKIPPED_NO_CREDIT), "what had no credit still has none");
    }
    return later;
  }

  /** A SIMULATE, which writes nothing, then the CHARGE it predicts line for line. */
  private static RunReport simulateThenCharge(PackageBilling billing, Stores world, LocalDate date) {
    World.Outcome before = world.outcome().get();
    RunReport simulated = billing.run(date, RunMode.SIMULATE);
    assertEquals(before, world.outcome().get(), "a simulation writes nothing");
    assertEquals(0, simulated.summary().count(LineStatus.CHARGED));

    RunReport charged = billing.run(date, RunMode.CHARGE);
    assertEquals(simulated.lines(), Fixtures.relabel(charged.lines(), LineStatus.CHARGED, LineStatus.DUE));
    assertEquals(simulated.totals(), charged.totals());
    assertEquals(simulated.summary().count(LineStatus.DUE), charged.summary().count(LineStatus.CHARGED));
    assertEquals(0, charged.summary().count(LineStatus.DUE));
    return charged;
  }

  /**
   * The sample that showed a run may leave a line a later credit of the same run covers (found
   * with the engine before and after the one-unit-of-work redesign alike): five weekly assignments
   * of one customer, one of them ended on the first run's date, so the second run credits its
   * last period after deciding the others' lines.
   */
  @Example
  void aLineSkippedBeforeACreditOfTheSameRunIsChargedByTheNext() {
    AssignmentSpec open = new AssignmentSpec(0, 0, 1, 0, -1, true, 1, true);
    for (boolean split : List.of(false, true)) {
      assertTrue(0 < runs(new Scenario(List.of(new PackageSpec(
          Frequency.WEEKLY, List.of(), MonthEnd.CLAMP, FirstPeriod.PRORATED, 527, 0, 0, false, false, false)),
          List.of(open, open, open, new AssignmentSpec(0, 0, 3, 0, 76, true, 1, true),
              new AssignmentSpec(0, 0, 2, 0, 34, true, 1, true)), 30, 40, 4, 0, CreditPolicy.ONLY_IF_COVERED,
          List.of(40000, 1294, 2), 1, 1, split)), "the next run charged a line");
    }
  }
}
