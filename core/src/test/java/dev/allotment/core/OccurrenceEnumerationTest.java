package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link OccurrenceSchedule#dates} steps from one occurrence to the next; these laws hold it to
 * the rule's answers from scratch ({@link OccurrenceSchedule#firstOnOrAfter}, date by date), through
 * both ways a stream is consumed; {@link OccurrenceSchedule#nextAfter}, which answers "strictly
 * after" without making the next day first, is held to the same.
 */
final class OccurrenceEnumerationTest {

  /** The occurrences in [from, to] asked one by one: the reference. */
  private static List<LocalDate> oneByOne(OccurrenceSchedule schedule, LocalDate from, LocalDate to) {
    List<LocalDate> dates = new ArrayList<>();
    Optional<LocalDate> next = schedule.firstOnOrAfter(from);
    while (next.isPresent() && !next.get().isAfter(to)) {
      dates.add(next.get());
      next = schedule.firstOnOrAfter(next.get().plusDays(1));
    }
    return dates;
  }

  @Property(tries = 500)
  void enumerationEqualsTheRuleAskedDateByDate(@ForAll("rules") Generators.FrequencyAndMatch rule,
      @ForAll("monthEnds") MonthEnd monthEnd, @ForAll("starts") LocalDate start,
      @ForAll @IntRange(min = 0, max = 1500) int length, @ForAll @IntRange(min = -40, max = 1600) int fromOffset,
      @ForAll @IntRange(min = 0, max = 1600) int span, @ForAll boolean openEnded) {
    LocalDate end = openEnded ? null : start.plusDays(length);
    OccurrenceSchedule schedule = OccurrenceSchedule.of(rule.frequency(), rule.match(), monthEnd, start, end);
    LocalDate from = start.plusDays(fromOffset);
    LocalDate to = from.plusDays(span);

    List<LocalDate> expected = oneByOne(schedule, from, to);
    assertEquals(expected, schedule.dates(from, to).toList(), "forEachRemaining");
    List<LocalDate> stepped = new ArrayList<>();
    Iterator<LocalDate> iterator = schedule.dates(from, to).iterator();
    while (iterator.hasNext()) {
      stepped.add(iterator.next());
    }
    assertEquals(expected, stepped, "tryAdvance");
    assertEquals(expected.stream().limit(3).toList(), schedule.dates(from, to).limit(3).toList(), "limit");
  }

  @Property(tries = 1000)
  void nextAfterIsTheFirstOccurrenceFromTheNextDay(@ForAll("rules") Generators.FrequencyAndMatch rule,
      @ForAll("monthEnds") MonthEnd monthEnd, @ForAll("starts") LocalDate start,
      @ForAll @IntRange(min = 0, max = 800) int length, @ForAll @IntRange(min = -40, max = 900) int offset,
      @ForAll boolean openEnded) {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(rule.frequency(), rule.match(), monthEnd, start,
        openEnded ? null : start.plusDays(length));
    LocalDate date = start.plusDays(offset);
    assertEquals(schedule.firstOnOrAfter(date.plusDays(1)), schedule.nextAfter(date), "after " + date);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Generators.FrequencyAndMatch> rules() {
    return Generators.anyRules();
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<MonthEnd> monthEnds() {
    return Arbitraries.of(MonthEnd.class);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<LocalDate> starts() {
    return Generators.dates();
  }

  /** Hand-checked: {15, 31} under SKIP across February of a leap year and a year end. */
  @Example
  void monthlyFifteenthAndThirtyFirstSkippingShortMonths() {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(Frequency.MONTHLY, FrequencyMatch.daysOfMonth(15, 31),
        MonthEnd.SKIP, LocalDate.of(2027, 12, 20), null);
    assertEquals(List.of(LocalDate.of(2027, 12, 31), LocalDate.of(2028, 1, 15), LocalDate.of(2028, 1, 31),
        LocalDate.of(2028, 2, 15), LocalDate.of(2028, 3, 15), LocalDate.of(2028, 3, 31)),
        schedule.dates(LocalDate.of(2027, 12, 1), LocalDate.of(2028, 4, 14)).toList());
  }

  /** Hand-checked: {31} under CLAMP falls on each month's last day, 29 February in a leap year. */
  @Example
  void monthlyThirtyFirstClampedToMonthEnds() {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(Frequency.MONTHLY, FrequencyMatch.daysOfMonth(31),
        MonthEnd.CLAMP, LocalDate.of(2028, 1, 31), LocalDate.of(2028, 4, 30));
    assertEquals(List.of(LocalDate.of(2028, 1, 31), LocalDate.of(2028, 2, 29), LocalDate.of(2028, 3, 31),
        LocalDate.of(2028, 4, 30)), schedule.dates(LocalDate.of(2028, 1, 1), LocalDate.of(2028, 12, 31)).toList());
  }

  /** Hand-checked: {Mon, Thu} gaps of 3 and 4 days; the end bounds the last date. */
  @Example
  void weeklyMondayThursday() {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(Frequency.WEEKLY,
        FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), MonthEnd.CLAMP, LocalDate.of(2026, 3, 1),
        LocalDate.of(2026, 3, 12));
    assertEquals(List.of(LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 5), LocalDate.of(2026, 3, 9),
        LocalDate.of(2026, 3, 12)), schedule.dates(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 12, 31)).toList());
  }
}
