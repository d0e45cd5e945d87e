package dev.allotment.core;

import static dev.allotment.core.Fixtures.assignment;
import static dev.allotment.core.Fixtures.d;
import static dev.allotment.core.Fixtures.due;
import static dev.allotment.core.Fixtures.monthly;
import static dev.allotment.core.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class PlannerTest {

  /**
   * RECURRING lines of a MONTHLY-on-the-1st package at 31.00 retail / 15.50 cost, written
   * {@code periodStart..endExclusive retail/cost}. Worked by hand: a stub [03-11, 04-01) is 21 of
   * March's 31 days (31 x 21/31 = 21.00; 15.50 x 21/31 = 10.50); a cut [04-01, 04-11) is 10 of
   * April's 30 days (31 x 10/30 = 10.333 -> 10.33; 15.50 x 10/30 = 5.1666 -> 5.17); one day of
   * March is 1/31 (1.00 / 0.50).
   */
  @ParameterizedTest(name = "{0} {1}..{2} run {3}")
  @CsvSource(delimiter = ';', value = {
      // start on a match day
      "PRORATED; 2026-03-01; ;           2026-04-01; 2026-03-01..2026-04-01 31.00/15.50, 2026-04-01..2026-05-01 31.00/15.50",
      "FULL;     2026-03-01; ;           2026-04-01; 2026-03-01..2026-04-01 31.00/15.50, 2026-04-01..2026-05-01 31.00/15.50",
      "FREE;     2026-03-01; ;           2026-04-01; 2026-03-01..2026-04-01 31.00/15.50, 2026-04-01..2026-05-01 31.00/15.50",
      // start off a match day: the stub
      "PRORATED; 2026-03-11; ;           2026-04-01; 2026-03-11..2026-04-01 21.00/10.50, 2026-04-01..2026-05-01 31.00/15.50",
      "FULL;     2026-03-11; ;           2026-04-01; 2026-03-11..2026-04-01 31.00/15.50, 2026-04-01..2026-05-01 31.00/15.50",
      "FREE;     2026-03-11; ;           2026-04-01; 2026-04-01..2026-05-01 31.00/15.50",
      // end date inside a period: only PRORATED prorates the cut
      "PRORATED; 2026-03-01; 2026-04-10; 2026-12-31; 2026-03-01..2026-04-01 31.00/15.50, 2026-04-01..2026-04-11 10.33/5.17",
      "FULL;     2026-03-01; 2026-04-10; 2026-12-31; 2026-03-01..2026-04-01 31.00/15.50, 2026-04-01..2026-04-11 31.00/15.50",
      "FREE;     2026-03-01; 2026-04-10; 2026-12-31; 2026-03-01..2026-04-01 31.00/15.50, 2026-04-01..2026-04-11 31.00/15.50",
      // an end on the day before a match day cuts nothing
      "PRORATED; 2026-03-01; 2026-04-30; 2026-12-31; 2026-03-01..2026-04-01 31.00/15.50, 2026-04-01..2026-05-01 31.00/15.50",
      // start == end, on a match day (a cut) and off it (a stub that is also cut)
      "PRORATED; 2026-03-01; 2026-03-01; 2026-12-31; 2026-03-01..2026-03-02 1.00/0.50",
      "FULL;     2026-03-01; 2026-03-01; 2026-12-31; 2026-03-01..2026-03-02 31.00/15.50",
      "FREE;     2026-03-01; 2026-03-01; 2026-12-31; 2026-03-01..2026-03-02 31.00/15.50",
      "PRORATED; 2026-03-15; 2026-03-15; 2026-12-31; 2026-03-15..2026-03-16 1.00/0.50",
      "FULL;     2026-03-15; 2026-03-15; 2026-12-31; 2026-03-15..2026-03-16 31.00/15.50",
      "FREE;     2026-03-15; 2026-03-15; 2026-12-31; ",
      // nothing is due before the start, and a line is due on its period's start, not before
      "PRORATED; 2026-03-11; ;           2026-03-10; ",
      "PRORATED; 2026-03-11; ;           2026-03-31; 2026-03-11..2026-04-01 21.00/10.50",
  })
  void recurringLinesByFirstPeriodPolicy(FirstPeriod policy, LocalDate start, LocalDate end, LocalDate run,
      String expected) {
    ServicePackage pkg = monthly("31.00", 1).cost("15.50").firstPeriod(policy).build();
    AssignmentBuilder a = assignment(start);
    if (end != null) {
      a.endDate(end);
    }

    List<ChargeLine> lines = due(plan(pkg, a.build(), run), LineKind.RECURRING);

    assertEquals(list(expected), lines.stream().map(PlannerTest::amounts).toList());
    for (ChargeLine line : lines) {
      assertEquals(line.period().start(), line.dueDate(), "RECURRING is charged in advance");
    }
  }

  /** Match {30,31} in February 2026: both days clamp onto the 28th, which bills once. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "CLAMP; 2026-01-31..2026-02-28 10.00/0.00, 2026-02-28..2026-03-30 10.00/0.00, 2026-03-30..2026-03-31 10.00/0.00",
      "SKIP;  2026-01-31..2026-03-30 10.00/0.00, 2026-03-30..2026-03-31 10.00/0.00",
  })
  void twoMatchDaysClampedOntoOneDateBillOnce(MonthEnd monthEnd, String expected) {
    ServicePackage pkg = monthly("10", 30, 31).monthEnd(monthEnd).build();
    Assignment a = assignment(d("2026-01-31")).build();

    List<ChargeLine> lines = due(plan(pkg, a, d("2026-03-30")), LineKind.RECURRING);

    assertEquals(list(expected), lines.stream().map(PlannerTest::amounts).toList());
  }

  /**
   * YEARLY from 29 Feb 2024 under PRORATED, ending 2025-06-30: a whole year to 2025-02-28, then
   * [2025-02-28, 2025-07-01) is 1 + 31 + 30 + 31 + 30 = 123 of the 365 days to 2026-02-28:
   * 365.00 x 123/365 = 123.00.
   */
  @Test
  void yearlyFrom29FebruaryFollowsTheClampedAnniversary() {
    ServicePackage pkg = ServicePackage.builder("p-1").name("Yearly").currency("USD").retail("365")
        .frequency(Frequency.YEARLY).build();
    Assignment a = assignment(d("2024-02-29")).endDate(d("2025-06-30")).build();

    List<ChargeLine> lines = due(plan(pkg, a, d("2030-01-01")), LineKind.RECURRING);

    assertEquals(List.of("2024-02-29..2025-02-28 365.00/0.00", "2025-02-28..2025-07-01 123.00/0.00"),
        lines.stream().map(PlannerTest::amounts).toList());
  }

  /** 9.99 x 1000 = 9990.00; a 21/31 stub: 9.99 x 21/31 = 6.767 -> 6.77, x1000: 209790/31 = 6767.419 -> 6767.42. */
  @ParameterizedTest(name = "quantity {0} from {1}")
  @CsvSource({
      "1,    2026-03-01, 9.99",
      "1000, 2026-03-01, 9990.00",
      "1,    2026-03-11, 6.77",
      "1000, 2026-03-11, 6767.42",
  })
  void quantityMultipliesBeforeTheSingleRounding(int quantity, LocalDate start, String expected) {
    ServicePackage pkg = monthly("9.99", 1).build();
    Assignment a = assignment(start).quantity(quantity).build();

    List<ChargeLine> lines = due(plan(pkg, a, start), LineKind.RECURRING);

    assertEquals(1, lines.size());
    assertEquals(Fixtures.usd(expected), lines.get(0).retail());
    assertEquals(quantity, lines.get(0).quantity());
    assertEquals(Fixtures.usd("9.99"), lines.get(0).unitPrice());
  }

  @Test
  void quantityZeroIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> assignment(d("2026-03-01")).quantity(0).build());
    assertTrue(e.getMessage().contains("quantity") && e.getMessage().contains("0"), e.getMessage());
  }

  /**
   * Minimum spend, retail 50: the shortfall of a period is due at its end (04-01 for March), one
   * rounding, only when positive, with no cost.
   */
  @ParameterizedTest(name = "qty {0}, spend {1} -> {2}")
  @CsvSource({
      "1, 25,      25.00",
      "1, 0,       50.00",
      "1, 50,      ",
      "1, 50.00,   ",
      "1, 70,      ",
      "2, 25,      75.00",
      "2, 100,     ",
      "1, 49.995,  0.01", // 0.005 rounds HALF_UP to a cent
      "1, 49.9951, ", // 0.0049 rounds to zero: nothing to charge
  })
  void minimumSpendTrueUp(int quantity, String spent, String expected) {
    ServicePackage pkg = monthly("50", 1).minimumSpend(true).build();
    Assignment a = assignment(d("2026-03-01")).quantity(quantity).build();
    Spend spend = Fixtures.spendOn(Map.of(d("2026-03-01"), spent));

    AssignmentPlan beforeEnd = Spend.plan(pkg, a, ChargeHistory.EMPTY, spend, d("2026-03-31"));
    AssignmentPlan atEnd = Spend.plan(pkg, a, ChargeHistory.EMPTY, spend, d("2026-04-01"));

    assertEquals(List.of(), beforeEnd.due(), "the true-up of March is due when March has ended");
    List<ChargeLine> lines = due(atEnd, LineKind.MINIMUM_SPEND);
    assertEquals(expected == null ? List.of() : List.of(Fixtures.usd(expected)),
        lines.stream().map(ChargeLine::retail).toList());
    assertEquals(List.of(), due(atEnd, LineKind.RECURRING), "minimum spend replaces the recurring charge");
    for (ChargeLine line : lines) {
      assertEquals(new BillingPeriod(d("2026-03-01"), d("2026-04-01")), line.period());
      assertEquals(d("2026-04-01"), line.dueDate());
      assertTrue(line.cost().isZero());
    }
  }

  /**
   * Prorated minimum spend. Stub [03-11, 04-01) with spend 10: (50 x 21 - 10 x 31) / 31 = 740/31 =
   * 23.87. Cut last period [04-01, 04-11) with spend 0: 50 x 10/30 = 16.67, due on end + 1.
   */
  @Test
  void minimumSpendIsProratedOnStubAndCut() {
    ServicePackage pkg = monthly("50", 1).minimumSpend(true).build();
    Assignment stub = assignment(d("2026-03-11")).build();
    Assignment cut = assignment(d("2026-03-01")).endDate(d("2026-04-10")).build();
    Spend spend = Fixtures.spendOn(Map.of(d("2026-03-11"), "10", d("2026-03-01"), "60"));

    List<ChargeLine> stubLines = due(Spend.plan(pkg, stub, ChargeHistory.EMPTY, spend, d("2026-04-01")),
        LineKind.MINIMUM_SPEND);
    List<ChargeLine> cutLines = due(Spend.plan(pkg, cut, ChargeHistory.EMPTY, spend, d("2026-12-31")),
        LineKind.MINIMUM_SPEND);

    assertEquals(List.of("MINIMUM_SPEND 2026-03-11..2026-04-01 due 2026-04-01 23.87/0.00"),
        stubLines.stream().map(PlannerTest::describe).toList());
    assertEquals(List.of("MINIMUM_SPEND 2026-04-01..2026-04-11 due 2026-04-11 16.67/0.00"),
        cutLines.stream().map(PlannerTest::describe).toList());
  }

  @Test
  void minimumSpendStubUnderFreeIsNotTrued() {
    ServicePackage pkg = monthly("50", 1).minimumSpend(true).firstPeriod(FirstPeriod.FREE).build();
    Assignment a = assignment(d("2026-03-11")).build();

    List<ChargeLine> lines = due(plan(pkg, a, d("2026-05-01")), LineKind.MINIMUM_SPEND);

    assertEquals(List.of("MINIMUM_SPEND 2026-04-01..2026-05-01 due 2026-05-01 50.00/0.00"),
        lines.stream().map(PlannerTest::describe).toList());
  }

  /** SETUP = setup price x quantity, on the start date, only when retail or cost is non-zero. */
  @ParameterizedTest(name = "setup {0}/{1} x{2}")
  @CsvSource({
      "10,   4,    3, SETUP 2026-03-11..2026-03-12 due 2026-03-11 30.00/12.00",
      "0,    5,    1, SETUP 2026-03-11..2026-03-12 due 2026-03-11 0.00/5.00",
      "2.5,  0,    2, SETUP 2026-03-11..2026-03-12 due 2026-03-11 5.00/0.00",
      "0.333, 0,   1, SETUP 2026-03-11..2026-03-12 due 2026-03-11 0.33/0.00",
      "0.335, 0,   1, SETUP 2026-03-11..2026-03-12 due 2026-03-11 0.34/0.00",
      "0,    0,    5, ",
  })
  void setupLines(String setupRetail, String setupCost, int quantity, String expected) {
    ServicePackage pkg = monthly("0", 1).setupRetail(setupRetail).setupCost(setupCost).build();
    Assignment a = assignment(d("2026-03-11")).quantity(quantity).build();

    AssignmentPlan plan = plan(pkg, a, d("2027-01-01"));

    assertEquals(list(expected), due(plan, LineKind.SETUP).stream().map(PlannerTest::describe).toList());
    assertEquals(list(expected), plan.due().stream().map(PlannerTest::describe).toList(),
        "a package with zero retail and cost has no recurring lines");
  }

  @Test
  void setupIsNotDueBeforeTheStart() {
    ServicePackage pkg = monthly("10", 1).setupRetail("5").build();
    assertEquals(List.of(), plan(pkg, assignment(d("2026-03-11")).build(), d("2026-03-10")).due());
  }

  @Test
  void frequencyNoneChargesOnlyTheSetup() {
    ServicePackage pkg = ServicePackage.builder("p-1").name("One-off").currency("USD").retail("99")
        .setupRetail("20").frequency(Frequency.NONE).build();
    Assignment a = assignment(d("2026-03-11")).quantity(2).build();

    AssignmentPlan plan = plan(pkg, a, d("2036-03-11"));

    assertEquals(List.of("SETUP 2026-03-11..2026-03-12 due 2026-03-11 40.00/0.00"),
        plan.due().stream().map(PlannerTest::describe).toList());
  }

  /** NONE with free minutes: one grant at the start, 100 x 2 x 60 = 12000 s, valid until end + 1 or open. */
  @ParameterizedTest(name = "end {0}")
  @CsvSource({
      "2026-06-30, 2026-07-01",
      ",",
  })
  void frequencyNoneGrantsFreeMinutesOnce(LocalDate end, LocalDate validUntil) {
    ServicePackage pkg = ServicePackage.builder("p-1").name("Bundle").currency("USD")
        .frequency(Frequency.NONE).types(PackageType.FREE_MINUTES).build();
    AssignmentBuilder a = assignment(d("2026-03-11")).quantity(2).minutes(100);
    if (end != null) {
      a.endDate(end);
    }

    AssignmentPlan plan = plan(pkg, a.build(), d("2036-03-11"));

    assertEquals(1, plan.due().size());
    ChargeLine grant = plan.due().get(0);
    assertEquals(LineKind.FREE_MINUTES, grant.kind());
    assertEquals(12000, grant.grantSeconds());
    assertEquals(d("2026-03-11"), grant.dueDate());
    assertEquals(Optional.ofNullable(validUntil), grant.grantValidUntil());
    assertTrue(grant.retail().isZero() && grant.cost().isZero());
  }

  /**
   * FREE_MINUTES grants of a free bundle (retail 0: no money line) of 100 minutes x quantity. A
   * stub [03-11, 04-01) gets 6000 x 21/31 = 4064.5 -> 4064 s (rounded down); a cut [04-01, 04-11)
   * 6000 x 10/30 = 2000 s; quantity 3 of a 7/31 stub: 18000 x 7/31 = 4064.5 -> 4064.
   */
  @ParameterizedTest(name = "{0} x{1} {2}..{3}")
  @CsvSource(delimiter = ';', value = {
      "PRORATED; 1; 2026-03-11; ;           2026-03-11..2026-04-01 4064 until 2026-04-01, 2026-04-01..2026-05-01 6000 until 2026-05-01",
      "FULL;     1; 2026-03-11; ;           2026-03-11..2026-04-01 6000 until 2026-04-01, 2026-04-01..2026-05-01 6000 until 2026-05-01",
      "FREE;     1; 2026-03-11; ;           2026-04-01..2026-05-01 6000 until 2026-05-01",
      "PRORATED; 1; 2026-03-01; 2026-04-10; 2026-03-01..2026-04-01 6000 until 2026-04-01, 2026-04-01..2026-04-11 2000 until 2026-04-11",
      "FULL;     1; 2026-03-01; 2026-04-10; 2026-03-01..2026-04-01 6000 until 2026-04-01, 2026-04-01..2026-04-11 6000 until 2026-04-11",
      "PRORATED; 3; 2026-03-25; ;           2026-03-25..2026-04-01 4064 until 2026-04-01, 2026-04-01..2026-05-01 18000 until 2026-05-01",
  })
  void freeMinutesGrantSeconds(FirstPeriod policy, int quantity, LocalDate start, LocalDate end, String expected) {
    ServicePackage pkg = monthly("0", 1).types(PackageType.FREE_MINUTES).firstPeriod(policy).build();
    AssignmentBuilder a = assignment(start).quantity(quantity).minutes(100);
    if (end != null) {
      a.endDate(end);
    }

    AssignmentPlan plan = plan(pkg, a.build(), d("2026-04-30"));

    assertEquals(list(expected), plan.due().stream()
        .map(l -> l.kind() + " " + l.period().start() + ".." + l.period().endExclusive() + " " + l.grantSeconds()
            + " until " + l.grantValidUntil().orElseThrow())
        .map(s -> s.substring("FREE_MINUTES ".length()))
        .toList());
  }

  @Test
  void freeMinutesAndRecurringChargeOnThePeriodStartInKindOrder() {
    ServicePackage pkg = monthly("10", 1).setupRetail("5").types(PackageType.FREE_MINUTES).build();
    Assignment a = assignment(d("2026-03-01")).minutes(60).build();

    AssignmentPlan plan = plan(pkg, a, d("2026-04-01"));

    assertEquals(List.of(
            "SETUP 2026-03-01..2026-03-02 due 2026-03-01 5.00/0.00",
            "RECURRING 2026-03-01..2026-04-01 due 2026-03-01 10.00/0.00",
            "FREE_MINUTES 2026-03-01..2026-04-01 due 2026-03-01 0.00/0.00",
            "RECURRING 2026-04-01..2026-05-01 due 2026-04-01 10.00/0.00",
            "FREE_MINUTES 2026-04-01..2026-05-01 due 2026-04-01 0.00/0.00"),
        plan.due().stream().map(PlannerTest::describe).toList());
  }

  /** A daily package of 1.00 over 10 days of March, watermarks after each prefix of runs. */
  @ParameterizedTest(name = "charged through {0}, then run {1}")
  @CsvSource({
      "2026-03-01, 2026-03-10",
      "2026-03-04, 2026-03-10",
      "2026-03-09, 2026-03-10",
      "2026-03-10, 2026-03-10",
      "2026-02-20, 2026-03-05",
  })
  void planFromAWatermarkIsTheTailOfAPlanFromScratch(LocalDate firstRun, LocalDate secondRun) {
    ServicePackage pkg = ServicePackage.builder("p-1").name("Daily").currency("USD").retail("1").setupRetail("3")
        .frequency(Frequency.DAILY).build();
    Assignment a = assignment(d("2026-03-01")).endDate(d("2026-03-31")).build();

    AssignmentPlan first = plan(pkg, a, firstRun);
    AssignmentPlan fromScratch = plan(pkg, a, secondRun);
    AssignmentPlan fromWatermark = plan(pkg, a, new ChargeHistory(first.decidedThrough(), first.due()), secondRun);

    List<ChargeLine> tail = new ArrayList<>(fromScratch.due());
    tail.removeAll(first.due());
    assertEquals(tail, fromWatermark.due());
    // By hand: the daily lines due after the first run, each 1.00, are (secondRun - firstRun) many
    // (all of them when the first run was before the start, plus the setup).
    long expected = firstRun.isBefore(a.startDate())
        ? secondRun.toEpochDay() - a.startDate().toEpochDay() + 2
        : secondRun.toEpochDay() - firstRun.toEpochDay();
    assertEquals(expected, fromWatermark.due().size());
    assertEquals(Optional.of(secondRun), fromWatermark.decidedThrough());
    assertEquals(first.decidedThrough(), fromWatermark.previousWatermark());
  }

  @Test
  void watermarkIsTheLastDecisionPointNotTheRunDate() {
    ServicePackage pkg = monthly("10", 1).build();
    Assignment a = assignment(d("2026-03-11")).build();

    AssignmentPlan plan = plan(pkg, a, d("2026-04-20"));

    assertEquals(Optional.of(d("2026-04-01")), plan.decidedThrough());
    assertEquals(Optional.empty(), plan.previousWatermark());
    assertEquals(Optional.empty(), plan(pkg, a, d("2026-03-10")).decidedThrough());
  }

  @Test
  void chargedLinesAreReportedAndNeverDueAgain() {
    ServicePackage pkg = monthly("10", 1).build();
    Assignment a = assignment(d("2026-03-01")).build();
    AssignmentPlan first = plan(pkg, a, d("2026-03-01"));

    AssignmentPlan second = plan(pkg, a, ChargeHistory.of(first.due()), d("2026-04-01"));

    assertEquals(List.of("RECURRING 2026-04-01..2026-05-01 due 2026-04-01 10.00/0.00"),
        second.due().stream().map(PlannerTest::describe).toList());
    assertEquals(List.of(new PlannedLine(first.due().get(0), LineStatus.ALREADY_CHARGED)),
        second.lines().stream().filter(l -> l.status() == LineStatus.ALREADY_CHARGED).toList());
    assertTrue(plan(pkg, a, ChargeHistory.of(first.due()), d("2026-03-31")).isSettled());
  }

  @Test
  void rejectsAnAssignmentOfAnotherPackage() {
    ServicePackage pkg = monthly("10", 1).build();
    Assignment a = Assignment.builder("a-1").customerId("c").packageId("other").startDate(d("2026-03-01")).build();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Planner.plan(List.of(pkg), List.of(a), Map.of(), Map.of(), d("2026-03-01")));
    assertTrue(e.getMessage().contains("other"), e.getMessage());
  }

  @Test
  void planTotalsSumTheDueLinesPerCurrency() {
    ServicePackage pkg = monthly("31.00", 1).cost("15.50").build();
    Assignment a = assignment(d("2026-03-11")).build();

    Plan plan = Planner.plan(List.of(pkg), List.of(a), Map.of(), Map.of(), d("2026-04-01"));

    // 21.00 + 31.00 retail, 10.50 + 15.50 cost (see recurringLinesByFirstPeriodPolicy)
    CurrencyTotals usd = plan.totals().of(Money.currency("USD"));
    assertEquals(2, usd.lines());
    assertEquals(Fixtures.usd("52.00"), usd.retail());
    assertEquals(Fixtures.usd("26.00"), usd.cost());
    assertEquals(Fixtures.usd("26.00"), usd.margin());
  }

  static String describe(ChargeLine l) {
    return l.kind() + " " + l.period().start() + ".." + l.period().endExclusive() + " due " + l.dueDate() + " "
        + plain(l.retail()) + "/" + plain(l.cost());
  }

  private static String amounts(ChargeLine l) {
    return l.period().start() + ".." + l.period().endExclusive() + " " + plain(l.retail()) + "/" + plain(l.cost());
  }

  /** The amount at the currency's scale (a zero may come at scale 0; equality is numeric). */
  static String plain(Money m) {
    return m.amount().setScale(m.currency().getDefaultFractionDigits(), java.math.RoundingMode.UNNECESSARY)
        .toPlainString();
  }

  private static List<String> list(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split("\\s*,\\s*")).map(String::trim).toList();
  }

  /**
   * domain.md emits no line whose retail and cost are both zero: a sliver of a period that rounds
   * to 0.00 is decided (the watermark passes it) but not charged; a setup fee below half a cent too.
   */
  @org.junit.jupiter.api.Test
  void linesThatRoundToZeroAreNotEmittedButTheirDecisionIsTaken() {
    ServicePackage pkg = monthly("0.01", 1).setupRetail("0.004").build();
    Assignment a = Fixtures.assignment(d("2026-01-31")).build();

    AssignmentPlan plan = Fixtures.plan(pkg, a, d("2026-02-01"));

    // The stub [01-31, 02-01) is 1/31 of 0.01 = 0.00 and the setup fee rounds to 0.00: only February.
    assertEquals(List.of(LineKey.of("a-1", LineKind.RECURRING, d("2026-02-01"))),
        plan.due().stream().map(ChargeLine::key).toList());
    assertEquals(java.util.Optional.of(d("2026-02-01")), plan.decidedThrough());
  }

  @org.junit.jupiter.api.Test
  void aNegativeSpendIsRefusedNamingCustomerPeriodAndValue() {
    ServicePackage pkg = monthly("50.00", 1).minimumSpend(true).build();
    Assignment a = Fixtures.assignment(d("2026-01-01")).build();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Spend.plan(pkg, a,
        ChargeHistory.EMPTY, (customer, currency, period) -> Money.of("-10.00", "USD"), d("2026-02-01")));

    assertTrue(e.getMessage().contains("spend of customer 'c-1'") && e.getMessage().contains("2026-01-01")
        && e.getMessage().contains("-10.00 USD"), e.getMessage());
  }
}
