package dev.allotment.engine;

import static dev.allotment.engine.LifecycleLines.at;
import static dev.allotment.engine.LifecycleLines.charged;
import static dev.allotment.engine.LifecycleLines.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.MinimumDaysException;
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
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * More hand-computed lifecycle scenarios (see {@link LifecycleTableTest}): the successor's stub
 * under each first-period rule, grants under FULL and across a suspension, billing days kept by a
 * change, yearly proration, a retroactive suspension over several charged periods, credit, minimum
 * spend and minimum days around changes and suspensions, and upcoming lines after a change.
 */
final class LifecycleEdgesTest {
  private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
  private static final LocalDate APR_1 = LocalDate.of(2026, 4, 1);
  private static final LocalDate MAY_1 = LocalDate.of(2026, 5, 1);
  private static final ServicePackage BASIC = LifecycleLines.monthlyOnThe1st("basic", "30.00", "9.00")
      .setupRetail("5.00").setupCost("1.00").build();

  private final MutableBillingClock clock = MutableBillingClock.startOf(LocalDate.of(2026, 1, 1), ZoneOffset.UTC);
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores).build();

  private static LocalDate apr(int day) {
    return LocalDate.of(2026, 4, day);
  }

  private RunReport charge(LocalDate date) {
    clock.setDate(date);
    return billing.run(date, RunMode.CHARGE);
  }

  private void assign(String id, ServicePackage p, LocalDate start) {
    billing.define(p);
    billing.assign(Assignment.builder(id).customerId("c-" + id).packageId(p.id()).startDate(start).build());
  }

  private void assignMinutes(String id, ServicePackage p, LocalDate start) {
    billing.define(p);
    billing.assign(Assignment.builder(id).customerId("c-" + id).packageId(p.id()).minutes(100).startDate(start).build());
  }

  /**
   * basic from 1 April, changed on 11 April (basic's credit -20.00/-6.00 each time): to a FREE
   * package of 60.00/24.00, whose stub [11 Apr, 1 May) is prorated all the same: 40.00/16.00; to a
   * FULL one: a whole period 60.00/24.00. And a FULL package of 30.00/9.00 changed to basic: its cut
   * is not prorated (no credit); basic's stub 20/30 = 20.00/6.00 and its setup.
   */
  @Test
  void theSuccessorsStubFollowsTheNewPackagesFirstPeriodExceptThatFreeIsProrated() {
    billing.define(LifecycleLines.monthlyOnThe1st("free60", "60.00", "24.00").firstPeriod(FirstPeriod.FREE).build());
    billing.define(LifecycleLines.monthlyOnThe1st("full60", "60.00", "24.00").firstPeriod(FirstPeriod.FULL).build());
    assign("to-free", BASIC, APR_1);
    assign("to-full", BASIC, APR_1);
    assign("from-full", LifecycleLines.monthlyOnThe1st("full30", "30.00", "9.00").firstPeriod(FirstPeriod.FULL)
        .build(), APR_1);
    charge(APR_1);

    billing.change("to-free", PlanChange.immediate(apr(11)).toPackage("free60"));
    billing.change("to-full", PlanChange.immediate(apr(11)).toPackage("full60"));
    billing.change("from-full", PlanChange.immediate(apr(11)).toPackage("basic"));

    assertEquals(List.of(
        "from-full~2026-04-11 RECURRING 2026-04-11..2026-05-01 20.00/6.00",
        "from-full~2026-04-11 SETUP 2026-04-11 5.00/1.00",
        "to-free ADJUSTMENT#1 2026-04-01 -20.00/-6.00",
        "to-free~2026-04-11 RECURRING 2026-04-11..2026-05-01 40.00/16.00",
        "to-full ADJUSTMENT#1 2026-04-01 -20.00/-6.00",
        "to-full~2026-04-11 RECURRING 2026-04-11..2026-05-01 60.00/24.00"), charged(charge(apr(11))));
  }

  /** fm under FULL (10.00/2.00, 6,000 s) ended on 10 April: no credit, and the grant keeps its seconds, valid until 11 April. */
  @Test
  void underFullAnEndDateCutsTheGrantsValidityButNotItsSeconds() {
    assignMinutes("ff", LifecycleLines.withMinutes(LifecycleLines.monthlyOnThe1st("fm-full", "10.00", "2.00"))
        .firstPeriod(FirstPeriod.FULL).build(), APR_1);
    charge(APR_1);
    billing.unassign("ff", apr(10));

    assertEquals(List.of("ff GRANT_ADJUSTMENT#1 2026-04-01 6000s until 2026-04-11"), charged(charge(apr(12))));
    assertEquals(600, billing.consume(UsageRecord.of("u1", "c-ff", "4420", at(apr(10), 20, 0), 600)).coveredSeconds());
    assertEquals(0, billing.consume(UsageRecord.of("u2", "c-ff", "4420", at(apr(11), 0, 0), 600)).coveredSeconds());
  }

  /**
   * fm (10.00/2.00, 100 minutes) from 1 April, suspended [11 Apr, 21 Apr): April cut to 10/30 =
   * 3.33/0.67 (credit -6.67/-1.33), its grant to 2,000 s valid until 11 April; the resume stub
   * [21 Apr, 1 May) = 10/30: 3.33/0.67 and 2,000 s. A call on a suspended day is not covered.
   */
  @Test
  void aSuspensionCutsTheGrantAtItsStartAndTheResumeStubGrantsItsShare() {
    assignMinutes("sf", LifecycleLines.withMinutes(LifecycleLines.monthlyOnThe1st("fm", "10.00", "2.00")).build(),
        APR_1);
    charge(APR_1);
    billing.suspend("sf", apr(11));
    assertEquals(List.of("sf ADJUSTMENT#1 2026-04-01 -6.67/-1.33",
        "sf GRANT_ADJUSTMENT#1 2026-04-01 2000s until 2026-04-11"), charged(charge(apr(11))));
    billing.resume("sf", apr(21));
    assertEquals(List.of("sf FREE_MINUTES 2026-04-21..2026-05-01 2000s until 2026-05-01",
        "sf RECURRING 2026-04-21..2026-05-01 3.33/0.67"), charged(charge(apr(21))));

    assertEquals(0, billing.consume(UsageRecord.of("u1", "c-sf", "4420", at(apr(15), 9, 0), 60)).coveredSeconds());
    assertEquals(60, billing.consume(UsageRecord.of("u2", "c-sf", "4420", at(apr(22), 9, 0), 60))
        .takenFrom("sf/FREE_MINUTES/2026-04-21"));
  }

  /**
   * Monthly with no match days from 15 January bills on the 15th: [15 Feb, 15 Mar) has 28 days.
   * Changed on 3 March to another such package at 56.00: the successor keeps the 15th (its anchor
   * is the predecessor's): the old period keeps 16 of 28 days (28.00 -> 16.00, credit -12.00); the
   * stub [3 Mar, 15 Mar) is 12/28 of 56.00 = 24.00; then 56.00 from 15 March.
   */
  @Test
  void aChangeKeepsTheBillingDaysOfAPackageWithoutMatchDays() {
    ServicePackage m28 = ServicePackage.builder("m28").name("M28").currency("USD").retail("28.00")
        .frequency(Frequency.MONTHLY).build();
    billing.define(ServicePackage.builder("m56").name("M56").currency("USD").retail("56.00")
        .frequency(Frequency.MONTHLY).build());
    assign("k", m28, LocalDate.of(2026, 1, 15));
    charge(LocalDate.of(2026, 2, 15));
    billing.change("k", PlanChange.immediate(LocalDate.of(2026, 3, 3)).toPackage("m56"));

    assertEquals(List.of("k ADJUSTMENT#1 2026-02-15 -12.00/0.00",
        "k~2026-03-03 RECURRING 2026-03-03..2026-03-15 24.00/0.00"), charged(charge(LocalDate.of(2026, 3, 3))));
    assertEquals(List.of("k~2026-03-03 RECURRING 2026-03-15..2026-04-15 56.00/0.00"),
        charged(charge(LocalDate.of(2026, 3, 15))));
  }

  /**
   * Yearly 365.00 from 1 January 2026; x2 from 1 July: the old year keeps 181 of 365 days (181.00,
   * credit -184.00); the stub [1 Jul 2026, 1 Jan 2027) is 184/365 of 730.00 = 368.00; then 730.00.
   */
  @Test
  void aYearlyPackageChangedMidYearProratesByTheDaysOfTheYear() {
    assign("y", ServicePackage.builder("yr").name("Yearly").currency("USD").retail("365.00")
        .frequency(Frequency.YEARLY).build(), LocalDate.of(2026, 1, 1));
    charge(LocalDate.of(2026, 1, 1));
    billing.change("y", PlanChange.immediate(LocalDate.of(2026, 7, 1)).toQuantity(2));

    assertEquals(List.of("y ADJUSTMENT#1 2026-01-01 -184.00/0.00",
        "y~2026-07-01 RECURRING 2026-07-01..2027-01-01 368.00/0.00"), charged(charge(LocalDate.of(2026, 7, 1))));
    assertEquals(List.of("y~2026-07-01 RECURRING 2027-01-01..2028-01-01 730.00/0.00"),
        charged(charge(LocalDate.of(2027, 1, 1))));
  }

  /**
   * 31.00/6.20 on the 1st from 1 March, charged for March, April and May; on 5 May suspended back
   * from 21 March and resumed on 16 May: March keeps 20 of 31 days (-11.00/-2.20), April and the
   * period from 1 May no longer exist (-31.00/-6.20 each), the stub [16 May, 1 Jun) is 16/31 =
   * 16.00/3.20.
   */
  @Test
  void aRetroactiveSuspensionCreditsEveryChargedPeriodItRemoves() {
    assign("r", LifecycleLines.monthlyOnThe1st("m31", "31.00", "6.20").build(), MAR_1);
    charge(MAR_1);
    charge(APR_1);
    charge(MAY_1);
    clock.setDate(LocalDate.of(2026, 5, 5));
    billing.suspend("r", LocalDate.of(2026, 3, 21));
    billing.resume("r", LocalDate.of(2026, 5, 16));

    assertEquals(List.of("r ADJUSTMENT#1 2026-03-01 -11.00/-2.20", "r ADJUSTMENT#1 2026-04-01 -31.00/-6.20",
        "r ADJUSTMENT#1 2026-05-01 -31.00/-6.20", "r RECURRING 2026-05-16..2026-06-01 16.00/3.20"),
        charged(charge(LocalDate.of(2026, 5, 16))));
  }

  /** Auto-decrement carries over: -5.00 -30.00, then +20.00 -15.00 -40.00, then -60.00. */
  @Test
  void anAutoDecrementChainDebitsAndCreditsTheCustomersCredit() {
    billing.define(BASIC);
    billing.define(LifecycleLines.monthlyOnThe1st("gold", "60.00", "24.00").setupRetail("15.00").build());
    billing.assign(Assignment.builder("a").customerId("c").packageId("basic").startDate(APR_1)
        .autoDecrementCredit(true).build());
    charge(APR_1);
    assertEquals(Money.of("-35.00", "USD"), stores.creditLedger().balance("c", Fixtures.USD));

    Assignment successor = billing.change("a", PlanChange.immediate(apr(11)).toPackage("gold"));
    assertEquals(true, successor.autoDecrementCredit());
    charge(apr(11));
    assertEquals(Money.of("-70.00", "USD"), stores.creditLedger().balance("c", Fixtures.USD));
    charge(MAY_1);
    assertEquals(Money.of("-130.00", "USD"), stores.creditLedger().balance("c", Fixtures.USD));
  }

  /**
   * Minimum spend 62.00 from 1 March, x2 from 11 March; 5.00 spent on 5 March, 7.00 on 25 March.
   * The cut [1 Mar, 11 Mar) commits 10/31 x 62 = 20.00 less 5.00 = 15.00; the successor's stub
   * [11 Mar, 1 Apr) commits 21/31 x 124 = 84.00 less 7.00 = 77.00.
   */
  @Test
  void aMinimumSpendChangeProratesTheCommitmentOnBothSides() {
    assign("ms", LifecycleLines.monthlyOnThe1st("min", "62.00", "0.00").minimumSpend(true).build(), MAR_1);
    stores.spend().record("c-ms", LocalDate.of(2026, 3, 5), Money.of("5.00", "USD"));
    stores.spend().record("c-ms", LocalDate.of(2026, 3, 25), Money.of("7.00", "USD"));
    charge(MAR_1);
    billing.change("ms", PlanChange.immediate(LocalDate.of(2026, 3, 11)).toQuantity(2));
    charge(APR_1);

    assertEquals(List.of("MINIMUM_SPEND 2026-03-01..2026-03-11 15.00/0.00"), show(billing.charged("ms")));
    assertEquals(List.of("MINIMUM_SPEND 2026-03-11..2026-04-01 77.00/0.00"), show(billing.charged("ms~2026-03-11")));
  }

  /** Minimum 30 days from 1 April, suspended [5 Apr, 25 Apr): the suspended days count, so 1 May is still the first end. */
  @Test
  void suspendedDaysCountTowardsMinimumDays() {
    assign("l", LifecycleLines.monthlyOnThe1st("locked", "30.00", "9.00").minimumDays(30).build(), APR_1);
    billing.suspend("l", apr(5));
    billing.resume("l", apr(25));

    MinimumDaysException e = assertThrows(MinimumDaysException.class, () -> billing.unassign("l", apr(30)));
    assertEquals(MAY_1, e.firstAllowedEndDate());
    assertEquals(MAY_1, billing.unassign("l", MAY_1).endDate().orElseThrow());
  }

  /**
   * Asked on 8 April to upgrade basic to gold from 11 April, the week ahead shows the credit
   * (due at the next run), gold's setup and its stub; and writes nothing.
   */
  @Test
  void upcomingShowsTheChangesCreditAndTheSuccessorsLines() {
    billing.define(LifecycleLines.monthlyOnThe1st("gold", "60.00", "24.00").setupRetail("15.00").build());
    assign("a", BASIC, APR_1);
    charge(APR_1);
    clock.setDate(apr(8));
    billing.change("a", PlanChange.immediate(apr(11)).toPackage("gold"));

    List<ChargeLine> upcoming = billing.upcoming("c-a", apr(8), 7);

    assertEquals(List.of("a ADJUSTMENT#1 2026-04-01 -20.00/-6.00",
        "a~2026-04-11 RECURRING 2026-04-11..2026-05-01 40.00/16.00", "a~2026-04-11 SETUP 2026-04-11 15.00/0.00"),
        upcoming.stream().map(l -> l.assignmentId() + " " + show(l)).sorted().toList());
    assertEquals(2, billing.charged("a").size(), "upcoming wrote nothing");
  }

  /**
   * A DID-bound fm assignment changed to x2 on 16 April: the successor is bound to the same DID,
   * its stub grant (100 x 2 x 60 x 15/30 = 6,000 s) serves calls on that DID only.
   */
  @Test
  void theSuccessorKeepsTheDidAndItsGrantServesOnlyThatDid() {
    billing.define(LifecycleLines.withMinutes(LifecycleLines.monthlyOnThe1st("fm", "10.00", "2.00")).build());
    billing.assign(Assignment.builder("d").customerId("c-d").did("4412345").packageId("fm").minutes(100)
        .startDate(APR_1).build());
    charge(APR_1);
    Assignment successor = billing.change("d", PlanChange.immediate(apr(16)).toQuantity(2));
    assertEquals("4412345", successor.did().orElseThrow());

    assertEquals(List.of("d GRANT_ADJUSTMENT#1 2026-04-01 3000s until 2026-04-16",
        "d~2026-04-16 FREE_MINUTES 2026-04-16..2026-05-01 6000s until 2026-05-01"), charged(charge(apr(16))).stream()
        .filter(l -> l.contains("FREE_MINUTES") || l.contains("GRANT")).toList());
    assertEquals(0, billing.consume(UsageRecord.onDid("u1", "c-d", "4499999", "4420", at(apr(20), 9, 0), 60))
        .coveredSeconds());
    assertEquals(60, billing.consume(UsageRecord.onDid("u2", "c-d", "4412345", "4420", at(apr(20), 9, 0), 60))
        .takenFrom("d~2026-04-16/FREE_MINUTES/2026-04-16"));
  }

  /**
   * domain.md "Events": a change, a suspension and a resume are ASSIGNMENT_CHANGED events (the
   * change one for the old assignment and one for its successor); the run after a change writes a
   * LINE_CHARGED per journal line, GRANT_CUT for the cut grant and GRANT_ISSUED for the new one;
   * a simulation writes none.
   */
  @Test
  void changesSuspensionsAndResumesAreEventsAndSoAreTheCutsTheyCause() {
    billing.define(LifecycleLines.withMinutes(LifecycleLines.monthlyOnThe1st("fm", "10.00", "2.00")).build());
    billing.define(LifecycleLines.withMinutes(LifecycleLines.monthlyOnThe1st("fm-plus", "20.00", "5.00")).build());
    billing.assign(Assignment.builder("f").customerId("c-f").packageId("fm").minutes(100).startDate(APR_1).build());
    charge(APR_1);
    long cursor = billing.events().read(0, 10_000).size();

    billing.change("f", PlanChange.immediate(apr(11)).toPackage("fm-plus"));
    assertEquals(List.of("ASSIGNMENT_CHANGED c-f", "ASSIGNMENT_CHANGED c-f"), types(cursor));
    cursor += 2;
    billing.run(apr(11), RunMode.SIMULATE);
    assertEquals(List.of(), types(cursor), "a simulation writes no events");
    charge(apr(11));
    assertEquals(List.of("GRANT_CUT c-f", "GRANT_ISSUED c-f", "LINE_CHARGED c-f", "LINE_CHARGED c-f",
        "LINE_CHARGED c-f", "LINE_CHARGED c-f"), types(cursor).stream().sorted().toList(),
        "lines: f's ADJUSTMENT and GRANT_ADJUSTMENT, the successor's RECURRING and FREE_MINUTES");
    cursor = billing.events().read(0, 10_000).size();

    billing.suspend("f~2026-04-11", apr(20));
    billing.resume("f~2026-04-11", apr(25));
    assertEquals(List.of("ASSIGNMENT_CHANGED c-f", "ASSIGNMENT_CHANGED c-f"), types(cursor));
  }

  private List<String> types(long after) {
    return billing.events().read(after, 10_000).stream().map(e -> e.event().type() + " " + e.event().customerId())
        .toList();
  }

  /** The same change asked again returns the successor stored the first time and stores nothing. */
  @Test
  void theSameChangeAskedAgainStoresNothingMore() {
    assign("a", BASIC, APR_1);
    Assignment first = billing.change("a", PlanChange.immediate(apr(11)).toQuantity(2));
    Assignment old = billing.findAssignment("a").orElseThrow();
    long events = billing.events().read(0, 10_000).size();

    assertEquals(first, billing.change("a", PlanChange.immediate(apr(11)).toQuantity(2)));
    assertEquals(old, billing.findAssignment("a").orElseThrow());
    assertEquals(events, billing.events().read(0, 10_000).size());
  }

  /**
   * basic with own retail 20.00 from 1 April, charged; own retail raised to 25.00, then ended on
   * 15 April: April is repriced at the 20.00 it was charged at: 15/30 = 10.00 (credit -10.00,
   * cost 9.00 -> 4.50); the new price only applies to periods not yet charged.
   */
  @Test
  void aCutRepricesAtThePriceChargedNotAtALaterOwnPrice() {
    billing.define(BASIC);
    billing.assign(Assignment.builder("o").customerId("c-o").packageId("basic").startDate(APR_1)
        .ownPrices(OwnPrices.NONE.withRetail(new BigDecimal("20.00"))).build());
    charge(APR_1);
    billing.setOwnPrices("o", OwnPrices.NONE.withRetail(new BigDecimal("25.00")));
    billing.unassign("o", apr(15));

    assertEquals(List.of("o ADJUSTMENT#1 2026-04-01 -10.00/-4.50"), charged(charge(apr(16))));
  }

  /**
   * In Berlin (UTC+2 in April) fm changed on 11 April: the old grant ends at 11 April 00:00 Berlin,
   * 10 April 22:00 UTC. A call at 21:30 UTC (23:30 Berlin, 10 April) takes the old grant's seconds;
   * one at 22:30 UTC (00:30 Berlin, 11 April) only the successor's.
   */
  @Test
  void aCutGrantEndsAtMidnightInTheProvidersZone() {
    MutableBillingClock berlin = MutableBillingClock.startOf(APR_1, java.time.ZoneId.of("Europe/Berlin"));
    PackageBilling zoned = PackageBilling.builder().clock(berlin).stores(new InMemoryStores()).build();
    zoned.define(LifecycleLines.withMinutes(LifecycleLines.monthlyOnThe1st("fm", "10.00", "2.00")).build());
    zoned.assign(Assignment.builder("z").customerId("c-z").packageId("fm").minutes(100).startDate(APR_1).build());
    zoned.run(APR_1, RunMode.CHARGE);
    zoned.change("z", PlanChange.immediate(apr(11)).toQuantity(2));
    berlin.setDate(apr(11));
    zoned.run(apr(11), RunMode.CHARGE);

    assertEquals(60, zoned.consume(UsageRecord.of("u1", "c-z", "4420", java.time.Instant.parse(
        "2026-04-10T21:30:00Z"), 60)).takenFrom("z/FREE_MINUTES/2026-04-01"));
    assertEquals(60, zoned.consume(UsageRecord.of("u2", "c-z", "4420", java.time.Instant.parse(
        "2026-04-10T22:30:00Z"), 60)).takenFrom("z~2026-04-11/FREE_MINUTES/2026-04-11"));
  }

  /**
   * basic (30.00/9.00, no free minutes) from 1 April, changed on 11 April to fm (10.00/2.00, free
   * minutes) with 100 minutes a unit: basic's credit -20.00/-6.00; the successor's stub [11 Apr,
   * 1 May) is 20/30 of 10.00/2.00 = 6.67/1.33 and 20/30 of 6,000 s = 4,000 s. Without the minutes
   * the change is refused, naming newMinutes; minutes for a package without free minutes too.
   */
  @Test
  void aChangeToAFreeMinutesPackageTakesTheMinutesItIsGiven() {
    assign("m", BASIC, APR_1);
    billing.define(LifecycleLines.withMinutes(LifecycleLines.monthlyOnThe1st("fm", "10.00", "2.00")).build());
    charge(APR_1);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> billing.change("m", PlanChange.immediate(apr(11)).toPackage("fm")));
    assertTrue(missing.getMessage().contains("newMinutes"), missing.getMessage());
    IllegalArgumentException needless = assertThrows(IllegalArgumentException.class,
        () -> billing.change("m", PlanChange.immediate(apr(11)).toQuantity(2).toMinutes(100)));
    assertTrue(needless.getMessage().contains("newMinutes") && needless.getMessage().contains("basic"),
        needless.getMessage());
    assertEquals(Optional.empty(), billing.findAssignment("m~2026-04-11"), "nothing stored by the refusals");

    Assignment successor = billing.change("m", PlanChange.immediate(apr(11)).toPackage("fm").toMinutes(100));

    assertEquals(OptionalInt.of(100), successor.minutes());
    assertEquals(List.of("m ADJUSTMENT#1 2026-04-01 -20.00/-6.00",
        "m~2026-04-11 FREE_MINUTES 2026-04-11..2026-05-01 4000s until 2026-05-01",
        "m~2026-04-11 RECURRING 2026-04-11..2026-05-01 6.67/1.33"), charged(charge(apr(11))));
  }
}
