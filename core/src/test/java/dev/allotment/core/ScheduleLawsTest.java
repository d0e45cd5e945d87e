package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.Provide;

/** Laws of occurrence schedules and billed periods, checked against day-by-day brute force. */
final class ScheduleLawsTest {

  /** A recurring rule cut to [start, end] (end null = open), plus a query date near it. */
  record Scenario(Generators.FrequencyAndMatch rule, MonthEnd monthEnd, LocalDate start, LocalDate end,
      LocalDate query) {
    OccurrenceSchedule schedule() {
      return OccurrenceSchedule.of(rule.frequency(), rule.match(), monthEnd, start, end);
    }

    Reference.Rule reference() {
      return new Reference.Rule(rule.frequency(), rule.match(), monthEnd, start);
    }

    /** Where brute force stops for an open schedule. */
    LocalDate horizon() {
      return end != null ? end : start.plusYears(4);
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Integer> length = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(-1)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 62)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 1500)));
    return Combinators.combine(Generators.recurringRules(), Arbitraries.of(MonthEnd.class), Generators.dates(), length,
            Arbitraries.integers().between(-400, 1900))
        .as((rule, monthEnd, start, days, queryOffset) -> new Scenario(rule, monthEnd, start,
            days < 0 ? null : start.plusDays(days), start.plusDays(queryOffset)));
  }

  /**
   * Occurrences ascend strictly, stay within [start, end], each lies on a matched day (or a
   * clamped month end), and none is missed: they are exactly the brute-force dates.
   */
  @Property(tries = 400)
  void occurrencesAreExactlyTheMatchedDaysWithinStartAndEnd(@ForAll("scenarios") Scenario s) {
    List<LocalDate> dates = s.schedule().dates(s.start(), s.horizon()).toList();

    for (int i = 1; i < dates.size(); i++) {
      int at = i;
      assertTrue(dates.get(i - 1).isBefore(dates.get(i)), () -> "strictly increasing at " + at + ": " + dates);
    }
    for (LocalDate d : dates) {
      assertTrue(!d.isBefore(s.start()) && !d.isAfter(s.horizon()), () -> d + " within [start, end]");
      assertTrue(s.reference().matches(d), () -> d + " is a matched day");
    }
    assertEquals(Reference.occurrences(s.reference(), s.start(), s.horizon()), dates);
  }

  /**
   * The epoch days are the brute-force dates' epoch days, whether streamed whole or one by one
   * (from any day of the span, so a walk may start mid-month or mid-week).
   */
  @Property(tries = 400)
  void epochDaysAreTheOccurrencesEpochDays(@ForAll("scenarios") Scenario s, @ForAll @IntRange(max = 60) int skip) {
    LocalDate from = s.start().plusDays(skip);
    List<Long> expected = Reference.occurrences(s.reference(), from.isAfter(s.horizon()) ? s.horizon() : from,
        s.horizon()).stream().filter(d -> !d.isBefore(from)).map(LocalDate::toEpochDay).toList();
    assertEquals(expected, s.schedule().epochDays(from, s.horizon()).boxed().toList());
    List<Long> oneByOne = new java.util.ArrayList<>();
    java.util.PrimitiveIterator.OfLong it = s.schedule().epochDays(from, s.horizon()).iterator();
    while (it.hasNext()) {
      oneByOne.add(it.nextLong());
    }
    assertEquals(expected, oneByOne);
  }

  /** {@code firstOnOrAfter}, {@code nextAfter} and {@code lastOnOrBefore} agree with walking day by day. */
  @Property(tries = 1000)
  void firstOnOrAfterNextAfterAndLastOnOrBeforeAgreeWithBruteForce(@ForAll("scenarios") Scenario s) {
    OccurrenceSchedule schedule = s.schedule();
    Reference.Rule rule = s.reference();

    Optional<LocalDate> first = Optional.empty();
    LocalDate limit = s.end() != null ? s.end() : (s.query().isAfter(s.start()) ? s.query() : s.start()).plusYears(2);
    for (LocalDate d = s.query().isBefore(s.start()) ? s.start() : s.query(); !d.isAfter(limit); d = d.plusDays(1)) {
      if (rule.matches(d)) {
        first = Optional.of(d);
        break;
      }
    }
    Optional<LocalDate> last = Optional.empty();
    LocalDate top = s.end() != null && s.query().isAfter(s.end()) ? s.end() : s.query();
    for (LocalDate d = top; !d.isBefore(s.start()); d = d.minusDays(1)) {
      if (rule.matches(d)) {
        last = Optional.of(d);
        break;
      }
    }

    Optional<LocalDate> next = Optional.empty();
    LocalDate afterQuery = s.query().plusDays(1);
    for (LocalDate d = afterQuery.isBefore(s.start()) ? s.start() : afterQuery; !d.isAfter(limit); d = d.plusDays(1)) {
      if (rule.matches(d)) {
        next = Optional.of(d);
        break;
      }
    }

    assertEquals(first, schedule.firstOnOrAfter(s.query()), "firstOnOrAfter " + s.query());
    assertEquals(next, schedule.nextAfter(s.query()), "nextAfter " + s.query());
    assertEquals(last, schedule.lastOnOrBefore(s.query()), "lastOnOrBefore " + s.query());
    assertEquals(first.filter(s.query()::equals).isPresent(), schedule.isOccurrence(s.query()));
  }

  /**
   * The billed days of consecutive periods tile [start, end] without gaps or overlaps; each
   * period is the brute-force one (stub cut from the rule period around the start, last period
   * cut by the end), lies within its whole rule period, and so bills at most one whole period.
   */
  @Property(tries = 400)
  void periodsTileStartToEndAndNeverExceedOneWholePeriod(@ForAll("scenarios") Scenario s) {
    OccurrenceSchedule schedule = s.schedule();
    LocalDate through = s.horizon();
    List<Reference.Period> expected = Reference.periods(s.reference(), s.start(), s.end(), through);

    List<BilledPeriod> actual = new ArrayList<>();
    for (Optional<BilledPeriod> p = schedule.firstPeriod();
        p.isPresent() && !p.get().period().start().isAfter(through); p = schedule.periodAfter(p.get())) {
      actual.add(p.get());
    }

    assertEquals(expected.size(), actual.size());
    LocalDate next = s.start();
    for (int i = 0; i < actual.size(); i++) {
      BilledPeriod billed = actual.get(i);
      Reference.Period ref = expected.get(i);
      assertEquals(next, billed.period().start(), "no gap, no overlap");
      next = billed.period().endExclusive();
      assertEquals(new BillingPeriod(ref.start(), ref.endExclusive()), billed.period());
      assertEquals(new BillingPeriod(ref.wholeStart(), ref.wholeEnd()), billed.wholePeriod());
      assertEquals(ref.stub(), billed.stub());
      assertEquals(ref.cut(), billed.cut());
      for (FirstPeriod policy : FirstPeriod.values()) {
        Optional<Proration> proration = billed.proration(policy);
        proration.ifPresent(p -> assertTrue(p.days() <= p.ofDays() && p.days() >= 1, "at most one whole period"));
        assertEquals(ref.share(policy).map(f -> f[0] + "/" + f[1]),
            proration.map(p -> p.days() + "/" + p.ofDays()));
      }
      assertEquals(Optional.of(billed), schedule.periodContaining(billed.period().lastDay()));
      assertEquals(Optional.of(billed), schedule.periodStartingOn(billed.period().start()));
    }
    if (s.end() != null) {
      assertEquals(s.end().plusDays(1), next, "the last period ends with the end date");
      assertEquals(Optional.empty(), schedule.periodContaining(s.end().plusDays(1)));
    }
    assertEquals(Optional.empty(), schedule.periodContaining(s.start().minusDays(1)));
  }
}
