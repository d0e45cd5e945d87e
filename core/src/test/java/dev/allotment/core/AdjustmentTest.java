package dev.allotment.core;

import static dev.allotment.core.Fixtures.assignment;
import static dev.allotment.core.Fixtures.d;
import static dev.allotment.core.Fixtures.monthly;
import static dev.allotment.core.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A MONTHLY-on-the-1st package at 30.00 retail / 12.00 cost, assigned open-ended from
 * 2026-01-01 and charged through 2026-04-01 (January to April, 30.00/12.00 each); then the end
 * date moves.
 */
final class AdjustmentTest {
  private static final LocalDate START = d("2026-01-01");
  private static final LocalDate CHARGED_ON = d("2026-04-01");

  /**
   * Worked by hand. End 04-10 cuts April to 10/30: 10.00/4.00, so -20.00/-8.00. End 03-20 cuts
   * March to 20/31: 600/31 = 19.35 (-10.65) and 240/31 = 7.74 (-4.26), and April is no longer
   * billed (-30.00/-12.00). Under FULL and FREE a cut is not prorated, only periods after the end
   * are credited. End 04-30 is the last day of April: nothing changes.
   */
  @ParameterizedTest(name = "{0}: end {1}")
  @CsvSource(delimiter = ';', value = {
      "PRORATED; 2026-04-10; 2026-04-01#1 -20.00/-8.00",
      "PRORATED; 2026-03-20; 2026-03-01#1 -10.65/-4.26, 2026-04-01#1 -30.00/-12.00",
      "PRORATED; 2026-04-30; ",
      "PRORATED; 2026-01-01; 2026-01-01#1 -29.03/-11.61, 2026-02-01#1 -30.00/-12.00, 2026-03-01#1 -30.00/-12.00, 2026-04-01#1 -30.00/-12.00",
      "FULL;     2026-04-10; ",
      "FULL;     2026-03-20; 2026-04-01#1 -30.00/-12.00",
      "FREE;     2026-03-20; 2026-04-01#1 -30.00/-12.00",
  })
  void endDateMovedIntoChargedPeriods(FirstPeriod policy, LocalDate newEnd, String expected) {
    // 2026-01-01 alone: 1 of 31 days, 30/31 = 0.97 (-29.03) and 12/31 = 0.39 (-11.61).
    ServicePackage pkg = monthly("30.00", 1).cost("12.00").firstPeriod(policy).build();
    Assignment open = assignment(START).build();
    List<ChargeLine> charged = plan(pkg, open, CHARGED_ON).due();
    assertEquals(4, charged.size());

    AssignmentPlan plan = plan(pkg, open.withEndDate(newEnd, pkg), ChargeHistory.of(charged), d("2026-04-12"));

    assertEquals(list(expected), plan.due().stream().map(AdjustmentTest::describe).toList());
    for (ChargeLine adjustment : plan.due()) {
      assertEquals(LineKind.ADJUSTMENT, adjustment.kind());
      assertEquals(d("2026-04-12"), adjustment.dueDate(), "an adjustment is due on the run date");
      assertTrue(adjustment.retail().isNegative(), "moving the end earlier credits");
    }
  }

  @Test
  void reinstatingAfterACreditChargesTheDifferenceAgain() {
    ServicePackage pkg = monthly("30.00", 1).cost("12.00").build();
    Assignment open = assignment(START).build();
    List<ChargeLine> history = new ArrayList<>(plan(pkg, open, CHARGED_ON).due());
    Assignment ended = open.withEndDate(d("2026-04-10"), pkg);
    history.addAll(plan(pkg, ended, ChargeHistory.of(history), d("2026-04-12")).due());

    Assignment reinstated = ended.withoutEndDate(pkg);
    AssignmentPlan plan = plan(pkg, reinstated, ChargeHistory.of(history), d("2026-04-15"));

    assertEquals(List.of("2026-04-01#2 20.00/8.00"), plan.due().stream().map(AdjustmentTest::describe).toList());
    assertEquals(LineKey.parse("a-1/RECURRING/2026-04-01#2"), plan.due().get(0).key());
    // once committed, the three lines of April net out at a whole period and nothing more is due
    history.addAll(plan.due());
    assertTrue(plan(pkg, reinstated, ChargeHistory.of(history), d("2026-04-30")).isSettled());
    assertEquals(Fixtures.usd("30.00"), history.stream().filter(l -> l.period().start().equals(d("2026-04-01")))
        .map(ChargeLine::retail).reduce(Money::plus).orElseThrow());
    // and May is charged as usual
    assertEquals(List.of("RECURRING 2026-05-01 30.00/12.00"),
        plan(pkg, reinstated, ChargeHistory.of(history), d("2026-05-01")).due().stream()
            .map(AdjustmentTest::describe).toList());
  }

  /** End 04-10 (April at 10.00/4.00), extended to 04-20: 20/30 = 20.00/8.00, so +10.00/+4.00. */
  @Test
  void extendingTheEndWithinTheCutPeriodChargesTheExtraDays() {
    ServicePackage pkg = monthly("30.00", 1).cost("12.00").build();
    Assignment open = assignment(START).build();
    List<ChargeLine> history = new ArrayList<>(plan(pkg, open, CHARGED_ON).due());
    Assignment ended = open.withEndDate(d("2026-04-10"), pkg);
    history.addAll(plan(pkg, ended, ChargeHistory.of(history), d("2026-04-12")).due());

    AssignmentPlan plan = plan(pkg, ended.withEndDate(d("2026-04-20"), pkg), ChargeHistory.of(history), d("2026-04-21"));

    assertEquals(List.of("2026-04-01#2 10.00/4.00"), plan.due().stream().map(AdjustmentTest::describe).toList());
  }

  /** Extending past the charged period: April becomes whole (+20.00/+8.00) and May is billed 5/31. */
  @Test
  void extendingPastTheCutPeriodChargesTheRestAndTheNewPeriods() {
    ServicePackage pkg = monthly("31.00", 1).cost("0").build();
    Assignment ended = assignment(START).endDate(d("2026-04-10")).build();
    List<ChargeLine> history = plan(pkg, ended, d("2026-06-30")).due();
    assertEquals(Fixtures.usd("10.33"), history.get(history.size() - 1).retail()); // 31 x 10/30

    AssignmentPlan plan = plan(pkg, ended.withEndDate(d("2026-05-05"), pkg), ChargeHistory.of(history), d("2026-06-30"));

    // April: 31.00 - 10.33 = 20.67; May [05-01, 05-06): 31 x 5/31 = 5.00
    assertEquals(List.of("RECURRING 2026-05-01 5.00/0.00", "2026-04-01#1 20.67/0.00"),
        plan.due().stream().map(AdjustmentTest::describe).toList());
  }

  @Test
  void adjustmentsUseTheChargedUnitPriceNotTheCatalogPrice() {
    ServicePackage old = monthly("30.00", 1).cost("12.00").build();
    ServicePackage repriced = monthly("45.00", 1).cost("12.00").build();
    Assignment open = assignment(START).build();
    List<ChargeLine> charged = plan(old, open, CHARGED_ON).due();

    assertTrue(plan(repriced, open, ChargeHistory.of(charged), d("2026-04-12")).isSettled(),
        "a catalog price change alone adjusts nothing");
    assertEquals(List.of("2026-04-01#1 -20.00/-8.00"),
        plan(repriced, open.withEndDate(d("2026-04-10"), old), ChargeHistory.of(charged), d("2026-04-12")).due().stream()
            .map(AdjustmentTest::describe).toList());
  }

  /**
   * What a journal returns for planning (see ChargeJournal.histories): the watermark, and the
   * lines whose due date or period end reaches min(watermark + 1, repriceFrom).
   */
  private static ChargeHistory tail(List<ChargeLine> journal, LocalDate watermark, Assignment assignment) {
    LocalDate cutoff = assignment.repriceFrom().filter(r -> r.isBefore(watermark.plusDays(1)))
        .orElse(watermark.plusDays(1));
    return new ChargeHistory(Optional.of(watermark), journal.stream()
        .filter(l -> !l.dueDate().isBefore(cutoff) || !l.period().endExclusive().isBefore(cutoff)).toList());
  }

  /**
   * A minimum-spend package with free minutes, billed on the 1st, ending 03-31: the run of 04-01
   * trues March up on 04-01 and records that watermark. Extending the end turns 04-01 into the
   * start of a new period whose grant lies on the watermark; the reprice marker (04-01) makes the
   * planner look again from there, while March's true-up, held in the journal, is not charged twice.
   */
  @Test
  void extendingAnEndWhoseTrueUpSetTheWatermarkStillGrantsTheNewPeriod() {
    ServicePackage pkg = ServicePackage.builder("p-1").name("Bundle").currency("USD").retail("50")
        .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).minimumSpend(true)
        .types(PackageType.FREE_MINUTES).build();
    Assignment ended = assignment(d("2026-03-01")).endDate(d("2026-03-31")).minutes(100).build();
    AssignmentPlan first = Spend.plan(pkg, ended, ChargeHistory.EMPTY, Spend.NONE, d("2026-04-01"));
    assertEquals(List.of("FREE_MINUTES 2026-03-01 0.00/0.00", "MINIMUM_SPEND 2026-03-01 50.00/0.00"),
        first.due().stream().map(AdjustmentTest::describe).toList());
    assertEquals(Optional.of(d("2026-04-01")), first.decidedThrough());
    List<ChargeLine> journal = first.due();

    Assignment extended = ended.withoutEndDate(pkg);
    assertEquals(Optional.of(d("2026-03-01")), extended.repriceFrom());
    AssignmentPlan second = Spend.plan(pkg, extended, tail(journal, d("2026-04-01"), extended), Spend.NONE,
        d("2026-04-05"));

    assertEquals(List.of("FREE_MINUTES 2026-04-01 0.00/0.00"), second.due().stream().map(AdjustmentTest::describe).toList());
    assertEquals(6000, second.due().get(0).grantSeconds());
    assertTrue(second.lines().stream().anyMatch(l -> l.status() == LineStatus.ALREADY_CHARGED
        && l.line().kind() == LineKind.MINIMUM_SPEND), "March's true-up is held, not due again");
    assertTrue(second.repricingComplete());
  }

  /**
   * A line charged while an end date cut its period is stored with the short period. Extended
   * (topped up by an adjustment) and cut again later in the same period, it must be repriced
   * again: the reprice marker reaches back to the period's start, so the journal's tail holds the
   * line. (With a marker at the day after the end, 03-21, the March line, stored as
   * [03-01, 03-16), fell out of the tail and the customer kept paying 11.00 too much.)
   */
  @Test
  void aSecondCutAfterAnExtensionRepricesTheLineTheFirstCutShortened() {
    ServicePackage pkg = monthly("31.00", 1).build();
    Assignment open = assignment(START).autoDecrementCredit(true).build();
    List<ChargeLine> journal = new ArrayList<>(plan(pkg, open, d("2026-02-01")).due());

    Assignment cut = open.withEndDate(d("2026-03-15"), pkg);
    AssignmentPlan march = plan(pkg, cut, tail(journal, d("2026-02-01"), cut), d("2026-03-01"));
    assertEquals(List.of("RECURRING 2026-03-01 15.00/0.00"), march.due().stream().map(AdjustmentTest::describe).toList());
    journal.addAll(march.due());
    assertTrue(march.repricingComplete());

    Assignment extended = cut.withRepricingDone().withoutEndDate(pkg);
    AssignmentPlan april = plan(pkg, extended, tail(journal, d("2026-03-01"), extended), d("2026-04-01"));
    assertEquals(List.of("RECURRING 2026-04-01 31.00/0.00", "2026-03-01#1 16.00/0.00"),
        april.due().stream().map(AdjustmentTest::describe).toList());
    journal.addAll(april.due());

    Assignment cutAgain = extended.withRepricingDone().withEndDate(d("2026-03-20"), pkg);
    assertEquals(Optional.of(d("2026-03-01")), cutAgain.repriceFrom());
    AssignmentPlan credit = plan(pkg, cutAgain, tail(journal, d("2026-04-01"), cutAgain), d("2026-04-02"));

    // March: 31 x 20/31 = 20.00 against 15.00 + 16.00 charged; April is no longer billed.
    assertEquals(List.of("2026-03-01#2 -11.00/0.00", "2026-04-01#1 -31.00/0.00"),
        credit.due().stream().map(AdjustmentTest::describe).toList());
    journal.addAll(credit.due());
    assertEquals(Fixtures.usd("82.00"), journal.stream().map(ChargeLine::retail).reduce(Money::plus).orElseThrow(),
        "January, February and 20 days of March");
  }

  @Test
  void repricingIsIncompleteWhileTheRunDateLiesBeforeTheWatermark() {
    ServicePackage pkg = monthly("30.00", 1).build();
    Assignment open = assignment(START).build();
    AssignmentPlan charged = plan(pkg, open, CHARGED_ON);
    Assignment ended = open.withEndDate(d("2026-02-10"), pkg);

    AssignmentPlan early = plan(pkg, ended, tail(charged.due(), CHARGED_ON, ended), d("2026-03-15"));
    assertFalse(early.repricingComplete(), "April's line lies after the run date and was not repriced");
    AssignmentPlan onTime = plan(pkg, ended, tail(charged.due(), CHARGED_ON, ended), CHARGED_ON);
    assertTrue(onTime.repricingComplete());
    assertEquals(3, onTime.due().size(), "February cut, March and April credited");
  }

  @Test
  void repriceMarkerFollowsEndDateChanges() {
    ServicePackage pkg = monthly("30.00", 1).build();
    Assignment open = assignment(START).build();
    assertEquals(Optional.empty(), open.repriceFrom());

    // The marker is the start of the period holding the earlier of the old and the new end.
    Assignment ended = open.withEndDate(d("2026-04-10"), pkg);
    assertEquals(Optional.of(d("2026-04-01")), ended.repriceFrom());
    assertEquals(Optional.of(d("2026-04-01")), ended.withEndDate(d("2026-05-10"), pkg).repriceFrom(), "moves only earlier");
    assertEquals(Optional.of(d("2026-03-01")), ended.withEndDate(d("2026-03-20"), pkg).repriceFrom());
    assertEquals(Optional.of(d("2026-04-01")), ended.withoutEndDate(pkg).repriceFrom());
    assertEquals(Optional.empty(), ended.withRepricingDone().repriceFrom());
    assertSame(ended, ended.withEndDate(d("2026-04-10"), pkg), "an unchanged end is no change");
    assertTrue(ended.sameTermsAs(ended.withRepricingDone()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> open.withEndDate(d("2025-12-31"), pkg));
    assertTrue(e.getMessage().contains("endDate") && e.getMessage().contains("2025-12-31"), e.getMessage());
  }

  @Test
  void minimumDaysRefuseAnEarlyEndNamingTheFirstAllowedDate() {
    ServicePackage pkg = monthly("30.00", 1).minimumDays(30).build();
    Assignment start = assignment(d("2026-03-01")).build();

    MinimumDaysException e = assertThrows(MinimumDaysException.class,
        () -> start.withEndDate(d("2026-03-30"), pkg).checkAgainst(pkg));
    assertEquals(d("2026-03-31"), e.firstAllowedEndDate());
    assertTrue(e.getMessage().contains("2026-03-31"), e.getMessage());
    start.withEndDate(d("2026-03-31"), pkg).checkAgainst(pkg); // start + 30 days is allowed
    start.checkAgainst(pkg); // open-ended is allowed
  }

  private static String describe(ChargeLine l) {
    if (l.kind() == LineKind.ADJUSTMENT) {
      return l.period().start() + "#" + l.key().sequence() + " " + PlannerTest.plain(l.retail()) + "/"
          + PlannerTest.plain(l.cost());
    }
    return l.kind() + " " + l.period().start() + " " + PlannerTest.plain(l.retail()) + "/"
        + PlannerTest.plain(l.cost());
  }

  private static List<String> list(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split("\\s*,\\s*")).map(String::trim).toList();
  }
}
