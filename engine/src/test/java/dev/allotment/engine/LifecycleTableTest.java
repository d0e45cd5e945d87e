package dev.allotment.engine;

import static dev.allotment.engine.LifecycleLines.at;
import static dev.allotment.engine.LifecycleLines.charged;
import static dev.allotment.engine.LifecycleLines.show;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.Successor;
import dev.allotment.core.Assignment;
import dev.allotment.core.Consumption;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Money;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Plan changes, suspensions and grants that follow money, in scenarios whose every journal line is
 * worked out by hand from domain.md ("Periods and lines", "Grants follow money", "Prices per
 * assignment", "Changing an assignment", "Suspending and resuming"). Lines are compared in the
 * text form of {@link LifecycleLines#show}: kind, period, retail/cost (or grant seconds/validity).
 * 2026: 1 April is a Wednesday, 6 April a Monday; March and May have 31 days, April 30.
 */
final class LifecycleTableTest {
  private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
  private static final LocalDate APR_1 = LocalDate.of(2026, 4, 1);
  private static final LocalDate MAY_1 = LocalDate.of(2026, 5, 1);

  private static final ServicePackage BASIC = LifecycleLines.monthlyOnThe1st("basic", "30.00", "9.00")
      .setupRetail("5.00").setupCost("1.00").build();
  private static final ServicePackage GOLD = LifecycleLines.monthlyOnThe1st("gold", "60.00", "24.00")
      .setupRetail("15.00").setupCost("3.00").build();
  private static final ServicePackage DAILY = LifecycleLines.daily("daily", "1.10", "0.40")
      .setupRetail("2.00").setupCost("0.50").build();
  private static final ServicePackage WEEKLY = LifecycleLines.weeklyMonThu("weekly", "7.00", "2.10").build();
  private static final ServicePackage WEEKLY_PLUS = LifecycleLines.weeklyMonThu("weekly-plus", "14.00", "4.20").build();
  private static final ServicePackage FM = LifecycleLines.withMinutes(
      LifecycleLines.monthlyOnThe1st("fm", "10.00", "2.00")).build();
  private static final ServicePackage FM_PLUS = LifecycleLines.withMinutes(
      LifecycleLines.monthlyOnThe1st("fm-plus", "20.00", "5.00")).build();

  private final MutableBillingClock clock = MutableBillingClock.startOf(MAR_1, ZoneOffset.UTC);
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores).build();

  private static LocalDate apr(int day) {
    return LocalDate.of(2026, 4, day);
  }

  private static LocalDate mar(int day) {
    return LocalDate.of(2026, 3, day);
  }

  private RunReport charge(LocalDate date) {
    clock.setDate(date);
    return billing.run(date, RunMode.CHARGE);
  }

  private void assign(String id, ServicePackage p, int quantity, LocalDate start) {
    billing.define(p);
    billing.assign(Assignment.builder(id).customerId("c-" + id).packageId(p.id()).quantity(quantity)
        .startDate(start).build());
  }

  private void assignMinutes(String id, ServicePackage p, LocalDate start) {
    billing.define(p);
    billing.assign(Assignment.builder(id).customerId("c-" + id).packageId(p.id()).minutes(100).startDate(start).build());
  }

  private List<String> journal(String id) {
    return show(billing.charged(id));
  }

  /**
   * basic (30.00/9.00, setup 5.00/1.00) from 1 April; upgraded to gold (60.00/24.00, setup
   * 15.00/3.00) on 11 April. basic's April becomes [1 Apr, 11 Apr) = 10/30: 10.00/3.00, so the
   * 11 April run credits -20.00/-6.00; gold's stub [11 Apr, 1 May) = 20/30 of 60.00/24.00 =
   * 40.00/16.00, plus gold's setup; May is a whole gold month.
   */
  @Test
  void anUpgradeMidPeriodCreditsTheUnusedPartAndBillsTheSuccessorsStubAndSetup() {
    billing.define(GOLD);
    assign("a", BASIC, 1, APR_1);
    charge(APR_1);
    clock.setDate(apr(8));

    Assignment successor = billing.change("a", PlanChange.immediate(apr(11)).toPackage("gold"));

    assertEquals("a~2026-04-11", successor.id());
    assertEquals(Successor.id("a", apr(11)), successor.id());
    assertEquals(Optional.of("a"), successor.previous().map(p -> p.assignmentId()));
    assertEquals(List.of("gold", "c-a", "2026-04-11"),
        List.of(successor.packageId(), successor.customerId(), successor.startDate().toString()));
    assertEquals(APR_1, successor.scheduleAnchor(), "billing days continue from the predecessor's");
    assertEquals(Optional.of(apr(10)), billing.findAssignment("a").orElseThrow().endDate());

    assertEquals(List.of(
        "a ADJUSTMENT#1 2026-04-01 -20.00/-6.00",
        "a~2026-04-11 RECURRING 2026-04-11..2026-05-01 40.00/16.00",
        "a~2026-04-11 SETUP 2026-04-11 15.00/3.00"), charged(charge(apr(11))));
    charge(MAY_1);

    assertEquals(List.of("SETUP 2026-04-01 5.00/1.00", "RECURRING 2026-04-01..2026-05-01 30.00/9.00",
        "ADJUSTMENT#1 2026-04-01 -20.00/-6.00"), journal("a"));
    assertEquals(List.of("SETUP 2026-04-11 15.00/3.00", "RECURRING 2026-04-11..2026-05-01 40.00/16.00",
        "RECURRING 2026-05-01..2026-06-01 60.00/24.00"), journal("a~2026-04-11"));
  }

  /**
   * gold from 1 April, downgraded to basic at the next period, asked on 15 April: effective 1 May,
   * gold ends 30 April with April whole (no proration, no adjustment); basic starts on a billing
   * day (no stub) and charges its setup, being a new package.
   */
  @Test
  void aDowngradeAtTheNextPeriodNeitherProratesNorAdjustsAndChargesTheNewSetup() {
    billing.define(BASIC);
    assign("g", GOLD, 1, APR_1);
    charge(APR_1);
    clock.setDate(apr(15));

    Assignment successor = billing.change("g", PlanChange.nextPeriod(apr(15)).toPackage("basic"));

    assertEquals("g~2026-05-01", successor.id());
    assertEquals(Optional.of(apr(30)), billing.findAssignment("g").orElseThrow().endDate());
    assertEquals(List.of(), charged(charge(apr(20))), "nothing to adjust: April stays whole");
    assertEquals(List.of("g~2026-05-01 RECURRING 2026-05-01..2026-06-01 30.00/9.00",
        "g~2026-05-01 SETUP 2026-05-01 5.00/1.00"), charged(charge(MAY_1)));
    assertEquals(List.of("SETUP 2026-04-01 15.00/3.00", "RECURRING 2026-04-01..2026-05-01 60.00/24.00"),
        journal("g"));
  }

  /**
   * basic x3 from 1 April (setup 15.00/3.00, April 90.00/27.00); down to x1 at the next period,
   * asked on 1 April itself, a period start: the first period beginning after 1 April is May's.
   * Same package: no setup; May 30.00/9.00; April untouched.
   */
  @Test
  void aQuantityDowngradeAtTheNextPeriodOfTheSamePackageChargesNoSetup() {
    assign("q", BASIC, 3, APR_1);
    charge(APR_1);

    Assignment successor = billing.change("q", PlanChange.nextPeriod(APR_1).toQuantity(1));

    assertEquals("q~2026-05-01", successor.id());
    assertEquals(1, successor.quantity());
    assertEquals(List.of("q~2026-05-01 RECURRING 2026-05-01..2026-06-01 30.00/9.00"), charged(charge(MAY_1)));
    assertEquals(List.of("SETUP 2026-04-01 15.00/3.00", "RECURRING 2026-04-01..2026-05-01 90.00/27.00"),
        journal("q"));
  }

  /** daily 1.10/0.40 x3 (3.30/1.20 a day, setup 6.00/1.50) from 1 April; x5 from 4 April: 5.50/2.00 a day, no setup. */
  @Test
  void aQuantityChangeOnADailyPackageBillsTheNewQuantityFromTheEffectiveDay() {
    assign("d", DAILY, 3, APR_1);
    charge(apr(3));

    billing.change("d", PlanChange.immediate(apr(4)).toQuantity(5));

    assertEquals(List.of(
        "d~2026-04-04 RECURRING 2026-04-04..2026-04-05 5.50/2.00",
        "d~2026-04-04 RECURRING 2026-04-05..2026-04-06 5.50/2.00",
        "d~2026-04-04 RECURRING 2026-04-06..2026-04-07 5.50/2.00"), charged(charge(apr(6))));
    assertEquals(List.of("SETUP 2026-04-01 6.00/1.50", "RECURRING 2026-04-01..2026-04-02 3.30/1.20",
        "RECURRING 2026-04-02..2026-04-03 3.30/1.20", "RECURRING 2026-04-03..2026-04-04 3.30/1.20"), journal("d"));
  }

  /** The same x3 -> x5, asked after 2 and 3 April were charged, effective 2 April: both days credited whole. */
  @Test
  void aRetroactiveQuantityChangeCreditsTheDaysAlreadyChargedAndRebillsThem() {
    assign("d", DAILY, 3, APR_1);
    charge(apr(3));

    billing.change("d", PlanChange.immediate(apr(2)).toQuantity(5));

    assertEquals(List.of(
        "d ADJUSTMENT#1 2026-04-02 -3.30/-1.20",
        "d ADJUSTMENT#1 2026-04-03 -3.30/-1.20",
        "d~2026-04-02 RECURRING 2026-04-02..2026-04-03 5.50/2.00",
        "d~2026-04-02 RECURRING 2026-04-03..2026-04-04 5.50/2.00"), charged(charge(apr(3))));
  }

  /**
   * weekly {Mon, Thu} 7.00/2.10 from Monday 6 April: periods [Mon, Thu) of 3 days and [Thu, Mon)
   * of 4, each a whole 7.00. Changed on Tuesday 14 April to weekly-plus 14.00/4.20: the old period
   * [13 Apr, 16 Apr) keeps 1 of its 3 days: 2.33/0.70, a credit of -4.67/-1.40; the new stub
   * [14 Apr, 16 Apr) is 2/3 of 14.00/4.20 = 9.33/2.80; Thursday's period whole.
   */
  @Test
  void aChangeMidWeekOnAWeeklyMonThuPackageProratesByTheDaysOfTheRulePeriod() {
    billing.define(WEEKLY_PLUS);
    assign("w", WEEKLY, 1, apr(6));
    charge(apr(13));

    billing.change("w", PlanChange.immediate(apr(14)).toPackage("weekly-plus"));

    assertEquals(List.of(
        "w ADJUSTMENT#1 2026-04-13 -4.67/-1.40",
        "w~2026-04-14 RECURRING 2026-04-14..2026-04-16 9.33/2.80",
        "w~2026-04-14 RECURRING 2026-04-16..2026-04-20 14.00/4.20"), charged(charge(apr(16))));
    assertEquals(List.of("RECURRING 2026-04-06..2026-04-09 7.00/2.10", "RECURRING 2026-04-09..2026-04-13 7.00/2.10",
        "RECURRING 2026-04-13..2026-04-16 7.00/2.10", "ADJUSTMENT#1 2026-04-13 -4.67/-1.40"), journal("w"));
  }

  /**
   * Monthly on the 1st, 31.00/6.20, from 1 March; suspended from 21 March, resumed on 16 April.
   * PRORATED: March cut to 20 of 31 days = 20.00/4.00 (credit -11.00/-2.20); nothing on 1 April;
   * the stub [16 Apr, 1 May) is 15/30 = 15.50/3.10; May whole. FULL: the cut is not prorated and
   * the stub bills a whole period. FREE: the cut is not prorated, and the resume stub is PRORATED
   * (a resume never makes a free stub).
   */
  @Test
  void aSuspensionAcrossAMonthEndCutsThePeriodSkipsTheSuspendedMonthStartAndProratesTheResumeStub() {
    for (FirstPeriod policy : FirstPeriod.values()) {
      ServicePackage p = LifecycleLines.monthlyOnThe1st("m31-" + policy, "31.00", "6.20").firstPeriod(policy).build();
      assign("s-" + policy, p, 1, MAR_1);
    }
    charge(MAR_1);
    clock.setDate(mar(20));
    for (FirstPeriod policy : FirstPeriod.values()) {
      billing.suspend("s-" + policy, mar(21));
    }

    assertEquals(List.of("s-PRORATED ADJUSTMENT#1 2026-03-01 -11.00/-2.20"), charged(charge(mar(21))));
    assertEquals(List.of(), charged(charge(APR_1)), "1 April is suspended: nothing is billed");
    clock.setDate(apr(10));
    for (FirstPeriod policy : FirstPeriod.values()) {
      billing.resume("s-" + policy, apr(16));
    }
    assertEquals(List.of(), charged(charge(apr(15))));
    assertEquals(List.of(
        "s-FREE RECURRING 2026-04-16..2026-05-01 15.50/3.10",
        "s-FULL RECURRING 2026-04-16..2026-05-01 31.00/6.20",
        "s-PRORATED RECURRING 2026-04-16..2026-05-01 15.50/3.10"), charged(charge(apr(16))));
    charge(MAY_1);

    assertEquals(List.of("RECURRING 2026-03-01..2026-04-01 31.00/6.20", "ADJUSTMENT#1 2026-03-01 -11.00/-2.20",
        "RECURRING 2026-04-16..2026-05-01 15.50/3.10", "RECURRING 2026-05-01..2026-06-01 31.00/6.20"),
        journal("s-PRORATED"));
    assertEquals(List.of("RECURRING 2026-03-01..2026-04-01 31.00/6.20", "RECURRING 2026-04-16..2026-05-01 31.00/6.20",
        "RECURRING 2026-05-01..2026-06-01 31.00/6.20"), journal("s-FULL"));
  }

  /**
   * Minimum spend 62.00 a month from 1 March, suspended [11 Mar, 21 Mar): 21 active days of 31.
   * The cut [1 Mar, 11 Mar) commits 10/31 x 62 = 20.00, less 5.00 spent = 15.00; the resume stub
   * [21 Mar, 1 Apr) commits 11/31 x 62 = 22.00, less 7.00 = 15.00: together 42.00 (21/31 of 62)
   * less 12.00. April: 62.00 less 20.00 = 42.00. No cost amounts.
   */
  @Test
  void aMinimumSpendCommitmentIsProratedByActiveDaysAroundASuspension() {
    ServicePackage min = LifecycleLines.monthlyOnThe1st("min", "62.00", "0.00").minimumSpend(true).build();
    assign("ms", min, 1, MAR_1);
    stores.spend().record("c-ms", mar(5), Money.of("5.00", "USD"));
    stores.spend().record("c-ms", mar(25), Money.of("7.00", "USD"));
    stores.spend().record("c-ms", apr(10), Money.of("20.00", "USD"));
    assertEquals(List.of(), charged(charge(MAR_1)), "nothing for the first period at its start");
    clock.setDate(mar(10));
    billing.suspend("ms", mar(11));
    clock.setDate(mar(15));
    billing.resume("ms", mar(21));
    charge(APR_1);
    charge(MAY_1);

    assertEquals(List.of("MINIMUM_SPEND 2026-03-01..2026-03-11 15.00/0.00", "MINIMUM_SPEND 2026-03-21..2026-04-01 15.00/0.00",
        "MINIMUM_SPEND 2026-04-01..2026-05-01 42.00/0.00"), journal("ms"));
  }

  /**
   * fm (10.00/2.00, 100 minutes) from 1 April: 6,000 s valid [1 Apr, 1 May). 1,200 s used on
   * 5 April. Changed on 11 April to fm-plus x3 (20.00/5.00): fm's April is 10/30: 3.33/0.67
   * (credit -6.67/-1.33) and its grant 2,000 s valid until 11 April; the successor's stub grant is
   * 100 x 3 x 60 x 20/30 = 12,000 s and its money 40.00/10.00. A late call of 900 s on 10 April
   * gets the 800 s left of the cut grant; a call on 12 April only the successor's grant.
   */
  @Test
  void aFreeMinutePackageChangedMidPeriodCutsTheOldGrantAndGrantsTheSuccessorsStub() {
    billing.define(FM_PLUS);
    assignMinutes("f", FM, APR_1);
    charge(APR_1);
    clock.setDate(apr(5));
    Consumption before = billing.consume(UsageRecord.of("call-1", "c-f", "4420", at(apr(5), 10, 0), 1_200));
    assertEquals(1_200, before.takenFrom("f/FREE_MINUTES/2026-04-01"));
    clock.setDate(apr(8));

    billing.change("f", PlanChange.immediate(apr(11)).toPackage("fm-plus").toQuantity(3));

    assertEquals(List.of(
        "f ADJUSTMENT#1 2026-04-01 -6.67/-1.33",
        "f GRANT_ADJUSTMENT#1 2026-04-01 2000s until 2026-04-11",
        "f~2026-04-11 FREE_MINUTES 2026-04-11..2026-05-01 12000s until 2026-05-01",
        "f~2026-04-11 RECURRING 2026-04-11..2026-05-01 40.00/10.00"), charged(charge(apr(11))));
    Consumption late = billing.consume(UsageRecord.of("call-2", "c-f", "4420", at(apr(10), 23, 0), 900));
    Consumption after = billing.consume(UsageRecord.of("call-3", "c-f", "4420", at(apr(12), 9, 0), 3_000));

    assertEquals(List.of(800L, 100L), List.of(late.takenFrom("f/FREE_MINUTES/2026-04-01"), late.uncoveredSeconds()));
    assertEquals(List.of(0L, 3_000L, 0L), List.of(after.takenFrom("f/FREE_MINUTES/2026-04-01"),
        after.takenFrom("f~2026-04-11/FREE_MINUTES/2026-04-11"), after.uncoveredSeconds()));
    assertEquals(List.of("f/FREE_MINUTES/2026-04-01 2000/2000"), balances("c-f", at(apr(10), 12, 0)));
    assertEquals(List.of("f~2026-04-11/FREE_MINUTES/2026-04-11 3000/12000"), balances("c-f", at(apr(12), 12, 0)));
    assertEquals(0, billing.available("c-f", Optional.empty(), "4420", at(apr(10), 23, 30)));
  }

  private List<String> balances(String customer, java.time.Instant at) {
    return billing.balances(customer, at).stream()
        .map(b -> b.grant().id() + " " + b.usedSeconds() + "/" + b.allocatedSeconds()).sorted().toList();
  }

  /**
   * fm from 1 April, 6,000 s; 3,000 s used on 2 April. Ended on 6 April: [1 Apr, 7 Apr) = 6/30:
   * 2.00/0.40 (credit -8.00/-1.60), 1,200 s valid until 7 April, but the store keeps the 3,000
   * used. End moved to 20 April: 20/30: 6.67/1.33 (+4.67/+0.93), 4,000 s until 21 April. End
   * removed: whole again (+3.33/+0.67), 6,000 s until 1 May.
   */
  @Test
  void anEndDateMovedIntoAChargedFreeMinutePeriodReproratesTheGrantNeverBelowUsedAndALaterEndRestores() {
    assignMinutes("e", FM, APR_1);
    charge(APR_1);
    billing.consume(UsageRecord.of("call-1", "c-e", "4420", at(apr(2), 10, 0), 3_000));

    billing.unassign("e", apr(6));
    assertEquals(List.of("e ADJUSTMENT#1 2026-04-01 -8.00/-1.60",
        "e GRANT_ADJUSTMENT#1 2026-04-01 1200s until 2026-04-07"), charged(charge(apr(8))));
    assertEquals(List.of("e/FREE_MINUTES/2026-04-01 3000/3000"), balances("c-e", at(apr(3), 0, 0)));
    assertEquals(0, billing.consume(UsageRecord.of("call-2", "c-e", "4420", at(apr(5), 8, 0), 600)).coveredSeconds());
    assertEquals(List.of(), balances("c-e", at(apr(7), 0, 0)), "the grant's validity ends with 6 April");

    billing.unassign("e", apr(20));
    assertEquals(List.of("e ADJUSTMENT#2 2026-04-01 4.67/0.93",
        "e GRANT_ADJUSTMENT#2 2026-04-01 4000s until 2026-04-21"), charged(charge(apr(21))));
    assertEquals(List.of("e/FREE_MINUTES/2026-04-01 3000/4000"), balances("c-e", at(apr(3), 0, 0)));
    assertEquals(600, billing.consume(UsageRecord.of("call-3", "c-e", "4420", at(apr(15), 8, 0), 600)).coveredSeconds());

    billing.reinstate("e");
    assertEquals(List.of("e ADJUSTMENT#3 2026-04-01 3.33/0.67",
        "e GRANT_ADJUSTMENT#3 2026-04-01 6000s until 2026-05-01"), charged(charge(apr(22))));
    assertEquals(List.of("e/FREE_MINUTES/2026-04-01 3600/6000"), balances("c-e", at(apr(29), 0, 0)));
  }

  /**
   * basic with own retail 20.00 (cost and setup the package's) from 1 April. x2 from 16 April:
   * own price carried (same package): April cut to 15/30 = 10.00/4.50 (credit -10.00/-4.50), stub
   * 15/30 x 2 x 20.00/9.00 = 20.00/9.00. Then gold from 16 May: own price dropped: May of the
   * first successor 40.00/18.00 cut to 15/31 = 19.35/8.71 (credit -20.65/-9.29); gold stub 16/31 x 2
   * x 60.00/24.00 = 61.94/24.77, and gold's setup x2 = 30.00/6.00.
   */
  @Test
  void ownPricesCarryOverOnlyWhileThePackageStays() {
    billing.define(GOLD);
    billing.define(BASIC);
    billing.assign(Assignment.builder("op").customerId("c-op").packageId("basic").startDate(APR_1)
        .ownPrices(OwnPrices.NONE.withRetail(new BigDecimal("20"))).build());
    charge(APR_1);
    Assignment first = billing.change("op", PlanChange.immediate(apr(16)).toQuantity(2));
    assertEquals(OwnPrices.NONE.withRetail(new BigDecimal("20")), first.ownPrices());
    assertEquals(List.of("op ADJUSTMENT#1 2026-04-01 -10.00/-4.50",
        "op~2026-04-16 RECURRING 2026-04-16..2026-05-01 20.00/9.00"), charged(charge(apr(16))));
    charge(MAY_1);

    Assignment second = billing.change(first.id(), PlanChange.immediate(LocalDate.of(2026, 5, 16)).toPackage("gold"));

    assertEquals("op~2026-04-16~2026-05-16", second.id());
    assertEquals(OwnPrices.NONE, second.ownPrices());
    assertEquals(List.of("op~2026-04-16 ADJUSTMENT#1 2026-05-01 -20.65/-9.29",
        "op~2026-04-16~2026-05-16 RECURRING 2026-05-16..2026-06-01 61.94/24.77",
        "op~2026-04-16~2026-05-16 SETUP 2026-05-16 30.00/6.00"), charged(charge(LocalDate.of(2026, 5, 16))));
    assertEquals(List.of("SETUP 2026-04-01 5.00/1.00", "RECURRING 2026-04-01..2026-05-01 20.00/9.00",
        "ADJUSTMENT#1 2026-04-01 -10.00/-4.50"), journal("op"));
  }
}
