package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Billing laws over random packages, assignments and run dates. */
final class BillingLawsTest {

  @Provide
  Arbitrary<Generators.Case> cases() {
    return Generators.cases();
  }

  /** Cases with RECURRING lines to adjust. */
  @Provide
  Arbitrary<Generators.Case> recurringCases() {
    return Generators.cases().filter(c -> c.pkg().frequency() != Frequency.NONE && !c.pkg().minimumSpend()
        && !(c.pkg().retail().isZero() && c.pkg().cost().isZero()));
  }

  private static AssignmentPlan plan(Generators.Case c, ChargeHistory history, LocalDate date) {
    return Spend.plan(c.pkg(), c.assignment(), history, Generators.SPEND, date);
  }

  private static AssignmentPlan scratch(Generators.Case c, LocalDate date) {
    return plan(c, ChargeHistory.EMPTY, date);
  }

  /** The planner agrees line for line with the naive day-by-day model of domain.md. */
  @Property(tries = 300)
  void planFromScratchEqualsTheReferenceModel(@ForAll("cases") Generators.Case c) {
    List<String> expected = new ArrayList<>(Reference.plan(c.pkg(), c.assignment(), Generators.SPEND, c.d2()));
    List<String> actual = new ArrayList<>(scratch(c, c.d2()).due().stream().map(Reference::text).toList());
    expected.sort(null);
    actual.sort(null);
    assertEquals(expected, actual);
  }

  /** The plan for D2 >= D1 contains every due line of the plan for D1. */
  @Property(tries = 300)
  void aLaterPlanContainsEveryLineOfAnEarlierOne(@ForAll("cases") Generators.Case c) {
    List<ChargeLine> later = scratch(c, c.d2()).due();
    for (ChargeLine line : scratch(c, c.d1()).due()) {
      assertTrue(later.contains(line), () -> line + " is still due on " + c.d2());
    }
  }

  /** A plan fed back as already charged, with or without its watermark, has nothing due. */
  @Property(tries = 300)
  void aChargedPlanHasNothingMoreDue(@ForAll("cases") Generators.Case c) {
    AssignmentPlan first = scratch(c, c.d1());

    AssignmentPlan replanned = plan(c, ChargeHistory.of(first.due()), c.d1());
    AssignmentPlan fromWatermark = plan(c, new ChargeHistory(first.decidedThrough(), first.due()), c.d1());

    assertEquals(List.of(), replanned.due());
    assertEquals(List.of(), fromWatermark.due());
    assertEquals(first.due().size(), replanned.lines().size(), "every charged line is reported ALREADY_CHARGED");
    assertEquals(first.decidedThrough(), fromWatermark.decidedThrough(), "nothing new decided");
  }

  /**
   * Charging the plan of D1 and planning D2 from its watermark gives the due lines of D2 from
   * scratch minus D1's lines, in the same order; the watermark ends where a scratch plan's does.
   */
  @Property(tries = 300)
  void planningFromAWatermarkIsTheTailOfAPlanFromScratch(@ForAll("cases") Generators.Case c) {
    AssignmentPlan first = scratch(c, c.d1());
    AssignmentPlan fromScratch = scratch(c, c.d2());

    AssignmentPlan incremental = plan(c, new ChargeHistory(first.decidedThrough(), first.due()), c.d2());
    AssignmentPlan replanned = plan(c, ChargeHistory.of(first.due()), c.d2());

    List<ChargeLine> tail = new ArrayList<>(fromScratch.due());
    tail.removeAll(first.due());
    assertEquals(tail, incremental.due());
    assertEquals(tail, replanned.due());
    assertEquals(fromScratch.decidedThrough(), incremental.decidedThrough());
  }

  /**
   * A run that stops after the first k due lines records {@code watermarkAfter(k)}; planning again
   * from that watermark and those k lines gives exactly the remaining due lines, so the journal
   * stays a prefix of the plan.
   */
  @Property(tries = 300)
  void aRunStoppedMidwayResumesWithTheRestOfThePlan(@ForAll("cases") Generators.Case c,
      @ForAll @IntRange(min = 0, max = 1000) int stopAt) {
    AssignmentPlan earlier = scratch(c, c.d1());
    AssignmentPlan plan = plan(c, new ChargeHistory(earlier.decidedThrough(), earlier.due()), c.d2());
    List<ChargeLine> due = plan.due();
    int committed = Math.min(stopAt, due.size());

    Optional<LocalDate> watermark = plan.watermarkAfter(committed);
    List<ChargeLine> journal = new ArrayList<>(earlier.due());
    journal.addAll(due.subList(0, committed));
    AssignmentPlan resumed = plan(c, new ChargeHistory(watermark, journal), c.d2());

    assertEquals(due.subList(committed, due.size()), resumed.due());
    assertEquals(plan.decidedThrough(), resumed.decidedThrough());
    earlier.decidedThrough().ifPresent(previous -> assertTrue(
        watermark.filter(w -> !w.isBefore(previous)).isPresent(), () -> "never moves back: " + watermark));
  }

  /** Every money amount is rounded to the currency's fraction digits. */
  @Property(tries = 300)
  void everyLineIsRoundedToTheCurrency(@ForAll("cases") Generators.Case c) {
    int digits = c.pkg().currency().getDefaultFractionDigits();
    for (ChargeLine line : scratch(c, c.d2()).due()) {
      for (Money amount : List.of(line.retail(), line.cost())) {
        assertEquals(c.pkg().currency(), amount.currency());
        // throws ArithmeticException when rounding would be necessary
        assertEquals(0, amount.amount().setScale(digits, RoundingMode.UNNECESSARY).compareTo(amount.amount()));
      }
    }
  }

  /** Keys are unique within a plan, due and already-charged lines together. */
  @Property(tries = 300)
  void keysAreUniqueWithinAPlan(@ForAll("cases") Generators.Case c) {
    AssignmentPlan first = scratch(c, c.d1());
    AssignmentPlan second = plan(c, ChargeHistory.of(first.due()), c.d2());

    Set<LineKey> keys = new HashSet<>();
    for (PlannedLine line : second.lines()) {
      assertTrue(keys.add(line.line().key()), () -> "duplicate key " + line.line().key());
      assertEquals("a-1", line.line().key().assignmentId());
    }
  }

  /**
   * Every line is within its assignment's life, due no earlier than its period start (the
   * minimum-spend true-up at the period end), prorated by at most one whole period, and costs at
   * most quantity x unit price.
   */
  @Property(tries = 300)
  void linesStayWithinTheAssignmentAndOneWholePeriod(@ForAll("cases") Generators.Case c) {
    Assignment a = c.assignment();
    for (ChargeLine line : scratch(c, c.d2()).due()) {
      Proration p = line.proration();
      assertTrue(p.days() >= 1 && p.days() <= p.ofDays(), () -> "proration " + p);
      assertTrue(a.isActiveOn(line.period().start()), () -> line.period() + " starts within the assignment");
      assertTrue(a.endExclusive().map(e -> !line.period().endExclusive().isAfter(e)).orElse(true),
          () -> line.period() + " ends within the assignment");
      assertTrue(!line.dueDate().isAfter(c.d2()), "due by the run date");
      LocalDate expectedDue = line.kind() == LineKind.MINIMUM_SPEND ? line.period().endExclusive()
          : line.period().start();
      assertEquals(expectedDue, line.dueDate());
      if (line.kind() == LineKind.RECURRING) {
        Money whole = line.unitPrice().times(line.quantity()).rounded();
        assertTrue(line.retail().compareTo(whole) <= 0, () -> line.retail() + " <= " + whole);
      }
    }
  }

  /** Minimum-spend line = max(0, round(retail x qty x f - spend)); emitted exactly when positive. */
  @Property(tries = 300)
  void minimumSpendIsTheRoundedShortfall(@ForAll("cases") Generators.Case c) {
    ServicePackage pkg = c.pkg();
    if (!pkg.minimumSpend()) {
      return;
    }
    Map<LocalDate, ChargeLine> byPeriod = new HashMap<>();
    for (ChargeLine line : scratch(c, c.d2()).due()) {
      if (line.kind() == LineKind.MINIMUM_SPEND) {
        byPeriod.put(line.period().start(), line);
      }
    }
    OccurrenceSchedule schedule = OccurrenceSchedule.of(pkg, c.assignment());
    int seen = 0;
    for (Optional<BilledPeriod> p = schedule.firstPeriod();
        p.isPresent() && !p.get().period().endExclusive().isAfter(c.d2()); p = schedule.periodAfter(p.get())) {
      BillingPeriod period = p.get().period();
      Optional<Proration> f = p.get().proration(pkg.firstPeriod());
      BigDecimal expected = f.isEmpty() ? BigDecimal.ZERO : Reference.minimumSpend(pkg.retail(),
          c.assignment().quantity(), f.get().days(), f.get().ofDays(),
          Generators.SPEND.spent("c-1", pkg.currency(), period).amount());
      ChargeLine line = byPeriod.get(period.start());
      if (expected.signum() == 0) {
        assertEquals(null, line, "no line without a shortfall");
      } else {
        seen++;
        assertEquals(0, expected.compareTo(line.retail().amount()), () -> expected + " vs " + line);
        assertTrue(line.cost().isZero());
      }
    }
    assertEquals(seen, byPeriod.size(), "no other minimum-spend lines");
  }

  /** A FREE_MINUTES grant is minutes x qty x 60 x f, rounded down, valid over its period. */
  @Property(tries = 300)
  void freeMinuteGrantsAreProratedAndRoundedDown(@ForAll("cases") Generators.Case c) {
    if (!c.pkg().grantsFreeMinutes()) {
      return;
    }
    long full = 60L * c.assignment().minutes().getAsInt() * c.assignment().quantity();
    for (ChargeLine line : scratch(c, c.d2()).due()) {
      if (line.kind() != LineKind.FREE_MINUTES) {
        continue;
      }
      Proration p = line.proration();
      long expected = BigDecimal.valueOf(full).multiply(BigDecimal.valueOf(p.days()))
          .divide(BigDecimal.valueOf(p.ofDays()), 0, RoundingMode.FLOOR).longValueExact();
      assertEquals(expected, line.grantSeconds());
      assertTrue(line.grantSeconds() > 0);
      assertTrue(line.retail().isZero() && line.cost().isZero());
      if (c.pkg().frequency() != Frequency.NONE) {
        assertEquals(Optional.of(line.period().endExclusive()), line.grantValidUntil());
      }
    }
  }

  /** A year of MONTHLY-on-the-1st lines starting on a 1st sums to 12 x retail x quantity. */
  @Property(tries = 300)
  void aYearOfMonthlyLinesSumsToTwelveTimesRetailTimesQuantity(
      @ForAll("monthlyYears") Generators.Case c) {
    ServicePackage pkg = c.pkg();
    List<ChargeLine> lines = scratch(c, c.assignment().endDate().orElseThrow()).due();

    assertEquals(12, lines.size());
    Money sum = lines.stream().map(ChargeLine::retail).reduce(Money::plus).orElseThrow();
    assertEquals(pkg.retail().times(12L * c.assignment().quantity()), sum);
    Money cost = lines.stream().map(ChargeLine::cost).reduce(Money::plus).orElseThrow();
    assertEquals(pkg.cost().times(12L * c.assignment().quantity()), cost);
  }

  @Provide
  Arbitrary<Generators.Case> monthlyYears() {
    Arbitrary<BigDecimal> cents = Arbitraries.longs().between(1, 500_000).map(v -> BigDecimal.valueOf(v, 2));
    Arbitrary<BigDecimal> yen = Arbitraries.longs().between(1, 500_000).map(BigDecimal::valueOf);
    Arbitrary<LocalDate> firsts = Combinators.combine(Arbitraries.integers().between(1990, 2050),
        Arbitraries.integers().between(1, 12)).as((y, m) -> LocalDate.of(y, m, 1));
    return Combinators.combine(Arbitraries.of("USD", "JPY"), cents, yen, Arbitraries.of(FirstPeriod.class), firsts,
            Generators.quantities())
        .as((currency, usd, jpy, policy, start, quantity) -> {
          BigDecimal retail = currency.equals("JPY") ? jpy : usd;
          ServicePackage pkg = ServicePackage.builder("p-1").name("Monthly").currency(currency).retail(retail)
              .cost(retail.divide(BigDecimal.valueOf(4)).setScale(currency.equals("JPY") ? 0 : 2, RoundingMode.DOWN))
              .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).firstPeriod(policy).build();
          Assignment a = Assignment.builder("a-1").customerId("c-1").packageId("p-1").startDate(start)
              .endDate(start.plusYears(1).minusDays(1)).quantity(quantity).build();
          return new Generators.Case(pkg, a, start, start);
        });
  }

  /**
   * End-date changes: after charging through D1, moving the end date, running, moving it again
   * and running on D2, the adjustments and new lines make every RECURRING period sum to what a
   * plan from scratch of the finally changed assignment charges; keys never repeat; committing
   * leaves nothing due. Only adjustments are negative.
   */
  @Property(tries = 300)
  void chargedPlusAdjustmentsEqualsAFreshPlanAfterEndDateChanges(@ForAll("recurringCases") Generators.Case c,
      @ForAll boolean reinstateFirst, @ForAll @IntRange(min = -120, max = 120) int firstEnd,
      @ForAll boolean reinstateSecond, @ForAll @IntRange(min = -120, max = 120) int secondEnd) {
    // The new ends land near the runs, so they often cut a charged period (or uncut one).
    LocalDate middle = c.d1().plusDays((c.d2().toEpochDay() - c.d1().toEpochDay()) / 2);
    Assignment first = changeEnd(c.pkg(), c.assignment(), reinstateFirst, c.d1().plusDays(firstEnd));
    Assignment second = changeEnd(c.pkg(), first, reinstateSecond, middle.plusDays(secondEnd));
    List<ChargeLine> history = new ArrayList<>(scratch(c, c.d1()).due());

    AssignmentPlan run1 = Spend.plan(c.pkg(), first, ChargeHistory.of(history), Generators.SPEND, middle);
    history.addAll(run1.due());
    AssignmentPlan run2 = Spend.plan(c.pkg(), second, ChargeHistory.of(history), Generators.SPEND, c.d2());
    history.addAll(run2.due());
    AssignmentPlan fresh = Spend.plan(c.pkg(), second, ChargeHistory.EMPTY, Generators.SPEND, c.d2());

    for (ChargeLine line : history) {
      assertTrue(line.kind() == LineKind.ADJUSTMENT || (!line.retail().isNegative() && !line.cost().isNegative()),
          () -> "only adjustments may be negative: " + line);
    }
    for (ChargeLine line : run2.due()) {
      if (line.kind() == LineKind.ADJUSTMENT) {
        assertEquals(c.d2(), line.dueDate(), "an adjustment is due on the run date");
      }
    }
    assertEquals(history.size(), history.stream().map(ChargeLine::key).distinct().count(), "keys never repeat");
    Map<LocalDate, Money> charged = recurringByPeriod(history);
    Map<LocalDate, Money> expected = recurringByPeriod(fresh.due());
    Money zero = Money.zero(c.pkg().currency());
    Set<LocalDate> periods = new HashSet<>(charged.keySet());
    periods.addAll(expected.keySet());
    for (LocalDate period : periods) {
      assertEquals(expected.getOrDefault(period, zero), charged.getOrDefault(period, zero), "period " + period);
    }
    assertEquals(List.of(), Spend.plan(c.pkg(), second, ChargeHistory.of(history), Generators.SPEND, c.d2()).due(),
        "adjustments converge");
  }

  private static Assignment changeEnd(ServicePackage pkg, Assignment a, boolean reinstate, LocalDate end) {
    if (reinstate) {
      return a.withoutEndDate(pkg);
    }
    return a.withEndDate(end.isBefore(a.startDate()) ? a.startDate() : end, pkg);
  }

  private static Map<LocalDate, Money> recurringByPeriod(List<ChargeLine> lines) {
    Map<LocalDate, Money> sums = new HashMap<>();
    for (ChargeLine line : lines) {
      if (line.kind() == LineKind.RECURRING || line.kind() == LineKind.ADJUSTMENT) {
        sums.merge(line.period().start(), line.retail(), Money::plus);
      }
    }
    return sums;
  }
}
