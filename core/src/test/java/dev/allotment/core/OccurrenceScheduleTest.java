package dev.allotment.core;

import static dev.allotment.core.Fixtures.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class OccurrenceScheduleTest {

  /** Every expected date list below was read off a calendar by hand. */
  @ParameterizedTest(name = "{0} [{1}] {2} {3}..{4}")
  @CsvSource(delimiter = ';', value = {
      // 31st in February and April
      "MONTHLY; 31;     CLAMP; 2026-01-01; 2026-06-30; 2026-01-31 2026-02-28 2026-03-31 2026-04-30 2026-05-31 2026-06-30",
      "MONTHLY; 31;     SKIP;  2026-01-01; 2026-06-30; 2026-01-31 2026-03-31 2026-05-31",
      "MONTHLY; 31;     CLAMP; 2024-01-01; 2024-03-31; 2024-01-31 2024-02-29 2024-03-31",
      "MONTHLY; 31;     SKIP;  2024-02-01; 2024-04-30; 2024-03-31",
      // the source's example: mid-month and month end
      "MONTHLY; 15,31;  CLAMP; 2026-02-01; 2026-04-30; 2026-02-15 2026-02-28 2026-03-15 2026-03-31 2026-04-15 2026-04-30",
      "MONTHLY; 15,31;  SKIP;  2026-02-01; 2026-04-30; 2026-02-15 2026-03-15 2026-03-31 2026-04-15",
      // two (or three) days clamped onto one date bill once
      "MONTHLY; 30,31;  CLAMP; 2026-02-01; 2026-03-31; 2026-02-28 2026-03-30 2026-03-31",
      "MONTHLY; 30,31;  SKIP;  2026-02-01; 2026-03-31; 2026-03-30 2026-03-31",
      "MONTHLY; 30,31;  CLAMP; 2024-02-01; 2024-02-29; 2024-02-29",
      "MONTHLY; 29,30,31; CLAMP; 2026-02-01; 2026-04-30; 2026-02-28 2026-03-29 2026-03-30 2026-03-31 2026-04-29 2026-04-30",
      "MONTHLY; 28,31;  CLAMP; 2026-02-01; 2026-02-28; 2026-02-28",
      "MONTHLY; 1;      CLAMP; 2026-01-15; 2026-04-15; 2026-02-01 2026-03-01 2026-04-01",
      // empty match: the start's day of month
      "MONTHLY; ;       CLAMP; 2026-01-31; 2026-04-30; 2026-01-31 2026-02-28 2026-03-31 2026-04-30",
      "MONTHLY; ;       SKIP;  2026-01-31; 2026-04-30; 2026-01-31 2026-03-31",
      "MONTHLY; ;       CLAMP; 2026-01-10; 2026-03-09; 2026-01-10 2026-02-10",
      // 29 February anniversaries
      "YEARLY;  ;       CLAMP; 2024-02-29; 2028-12-31; 2024-02-29 2025-02-28 2026-02-28 2027-02-28 2028-02-29",
      "YEARLY;  ;       CLAMP; 2025-06-15; 2027-06-14; 2025-06-15 2026-06-15",
      // weekly: March 2026 starts on a Sunday
      "WEEKLY;  MON,THU; CLAMP; 2026-03-01; 2026-03-19; 2026-03-02 2026-03-05 2026-03-09 2026-03-12 2026-03-16 2026-03-19",
      "WEEKLY;  SUN;     CLAMP; 2026-03-02; 2026-03-31; 2026-03-08 2026-03-15 2026-03-22 2026-03-29",
      "WEEKLY;  ;        CLAMP; 2026-03-04; 2026-03-25; 2026-03-04 2026-03-11 2026-03-18 2026-03-25",
      "WEEKLY;  MON,TUE,WED,THU,FRI,SAT,SUN; CLAMP; 2026-03-30; 2026-04-02; 2026-03-30 2026-03-31 2026-04-01 2026-04-02",
      "DAILY;   ;       CLAMP; 2026-02-27; 2026-03-02; 2026-02-27 2026-02-28 2026-03-01 2026-03-02",
      // start == end
      "DAILY;   ;       CLAMP; 2026-03-15; 2026-03-15; 2026-03-15",
      "MONTHLY; 15;     CLAMP; 2026-03-15; 2026-03-15; 2026-03-15",
      "MONTHLY; 1;      CLAMP; 2026-03-15; 2026-03-15; ",
      "WEEKLY;  MON;    CLAMP; 2026-03-15; 2026-03-15; ",
      "YEARLY;  ;       CLAMP; 2026-03-15; 2026-03-15; 2026-03-15",
      "NONE;    ;       CLAMP; 2026-03-15; 2027-03-15; ",
  })
  void occurrences(Frequency frequency, String match, MonthEnd monthEnd, LocalDate start, LocalDate end,
      String expected) {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(frequency, FrequencyMatch.parse(match == null ? "" : match),
        monthEnd, start, end);

    assertEquals(dates(expected), schedule.dates(start, end).toList());
    for (LocalDate date : dates(expected)) {
      assertTrue(schedule.isOccurrence(date), date + " is an occurrence");
    }
  }

  @Test
  void occurrencesNeverFallOutsideStartAndEnd() {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(Frequency.MONTHLY, FrequencyMatch.daysOfMonth(1),
        MonthEnd.CLAMP, d("2026-01-15"), d("2026-03-31"));

    assertEquals(List.of(d("2026-02-01"), d("2026-03-01")), schedule.dates(d("2025-01-01"), d("2027-01-01")).toList());
    assertEquals(Optional.of(d("2026-02-01")), schedule.firstOnOrAfter(d("2025-06-01")));
    assertEquals(Optional.empty(), schedule.firstOnOrAfter(d("2026-03-02")));
    assertEquals(Optional.of(d("2026-03-01")), schedule.lastOnOrBefore(d("2030-01-01")));
    assertEquals(Optional.empty(), schedule.lastOnOrBefore(d("2026-01-31")));
    assertFalse(schedule.isOccurrence(d("2026-01-01")));
    assertFalse(schedule.isOccurrence(d("2026-04-01")));
  }

  /**
   * Billed periods: the stub is cut from the whole rule period around the start, the end date
   * cuts the last period. Columns: frequency, match, start, end (blank = open), a date, the billed
   * period containing it, the whole rule period, stub, cut.
   */
  @ParameterizedTest(name = "{0} [{1}] {2}..{3}: {4} in {5}")
  @CsvSource(delimiter = ';', value = {
      "MONTHLY; 1;  2026-03-01; ;           2026-03-20; 2026-03-01 2026-04-01; 2026-03-01 2026-04-01; false; false",
      "MONTHLY; 1;  2026-03-11; ;           2026-03-20; 2026-03-11 2026-04-01; 2026-03-01 2026-04-01; true;  false",
      "MONTHLY; 1;  2026-03-11; ;           2026-04-01; 2026-04-01 2026-05-01; 2026-04-01 2026-05-01; false; false",
      "MONTHLY; 1;  2026-03-01; 2026-04-10; 2026-04-05; 2026-04-01 2026-04-11; 2026-04-01 2026-05-01; false; true",
      "MONTHLY; 1;  2026-03-11; 2026-03-20; 2026-03-15; 2026-03-11 2026-03-21; 2026-03-01 2026-04-01; true;  true",
      "MONTHLY; 1;  2026-03-15; 2026-03-15; 2026-03-15; 2026-03-15 2026-03-16; 2026-03-01 2026-04-01; true;  true",
      "MONTHLY; 1;  2026-03-01; 2026-03-31; 2026-03-31; 2026-03-01 2026-04-01; 2026-03-01 2026-04-01; false; false",
      "MONTHLY; 31; 2026-02-10; ;           2026-02-10; 2026-02-10 2026-02-28; 2026-01-31 2026-02-28; true;  false",
      "WEEKLY;  MON,THU; 2026-03-03; ;      2026-03-04; 2026-03-03 2026-03-05; 2026-03-02 2026-03-05; true;  false",
      "WEEKLY;  MON,THU; 2026-03-03; ;      2026-03-08; 2026-03-05 2026-03-09; 2026-03-05 2026-03-09; false; false",
      "DAILY;   ;   2026-03-15; 2026-03-15; 2026-03-15; 2026-03-15 2026-03-16; 2026-03-15 2026-03-16; false; false",
      "YEARLY;  ;   2024-02-29; ;           2025-03-01; 2025-02-28 2026-02-28; 2025-02-28 2026-02-28; false; false",
      "YEARLY;  ;   2024-02-29; 2024-12-31; 2024-06-01; 2024-02-29 2025-01-01; 2024-02-29 2025-02-28; false; true",
  })
  void billedPeriods(Frequency frequency, String match, LocalDate start, LocalDate end, LocalDate date,
      String billed, String whole, boolean stub, boolean cut) {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(frequency, FrequencyMatch.parse(match == null ? "" : match),
        MonthEnd.CLAMP, start, end);

    BilledPeriod period = schedule.periodContaining(date).orElseThrow();

    assertEquals(period(billed), period.period());
    assertEquals(period(whole), period.wholePeriod());
    assertEquals(stub, period.stub());
    assertEquals(cut, period.cut());
    assertEquals(Optional.of(period), schedule.periodStartingOn(period.period().start()));
  }

  /**
   * The first-period policy on a stub and on a cut: stub [03-11, 04-01) is 21 of March's 31 days;
   * the cut [04-01, 04-11) is 10 of April's 30; a 1-day start == end stub is 1 of 31.
   */
  @ParameterizedTest(name = "{0} {1}..{2} at {3} -> {4}")
  @CsvSource(delimiter = ';', value = {
      "PRORATED; 2026-03-01; ;           2026-03-01; 1",
      "FULL;     2026-03-01; ;           2026-03-01; 1",
      "FREE;     2026-03-01; ;           2026-03-01; 1",
      "PRORATED; 2026-03-11; ;           2026-03-11; 21/31",
      "FULL;     2026-03-11; ;           2026-03-11; 1",
      "FREE;     2026-03-11; ;           2026-03-11; none",
      "PRORATED; 2026-03-01; 2026-04-10; 2026-04-01; 10/30",
      "FULL;     2026-03-01; 2026-04-10; 2026-04-01; 1",
      "FREE;     2026-03-01; 2026-04-10; 2026-04-01; 1",
      "PRORATED; 2026-03-15; 2026-03-15; 2026-03-15; 1/31",
      "FULL;     2026-03-15; 2026-03-15; 2026-03-15; 1",
      "FREE;     2026-03-15; 2026-03-15; 2026-03-15; none",
      "PRORATED; 2026-03-01; 2026-03-01; 2026-03-01; 1/31",
  })
  void prorationByFirstPeriodPolicy(FirstPeriod policy, LocalDate start, LocalDate end, LocalDate periodStart,
      String expected) {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(Frequency.MONTHLY, FrequencyMatch.daysOfMonth(1),
        MonthEnd.CLAMP, start, end);

    Optional<Proration> proration = schedule.periodStartingOn(periodStart).orElseThrow().proration(policy);

    assertEquals(expected, proration.map(Proration::toString).orElse("none"));
  }

  @Test
  void consecutivePeriodsFollowEachOther() {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(Frequency.MONTHLY, FrequencyMatch.daysOfMonth(15, 31),
        MonthEnd.CLAMP, d("2026-02-20"), d("2026-04-20"));
    StringBuilder periods = new StringBuilder();
    for (Optional<BilledPeriod> p = schedule.firstPeriod(); p.isPresent(); p = schedule.periodAfter(p.get())) {
      periods.append(p.get().period());
    }
    assertEquals("[2026-02-20, 2026-02-28)[2026-02-28, 2026-03-15)[2026-03-15, 2026-03-31)"
        + "[2026-03-31, 2026-04-15)[2026-04-15, 2026-04-21)", periods.toString());
  }

  /** An open schedule near {@link LocalDate#MAX}: the next occurrence the calendar cannot hold is none. */
  @ParameterizedTest(name = "{0} [{1}] after {2}")
  @CsvSource(delimiter = ';', value = {
      "DAILY;   ;     +999999999-12-31",
      "MONTHLY; 15;   +999999999-12-20",
      "MONTHLY; 31;   +999999999-12-31",
      "WEEKLY;  MON;  +999999999-12-28", // a Tuesday: no Monday left that year
      "YEARLY;  ;     +999999999-06-01",
  })
  void noOccurrencePastTheLastDateTheCalendarHolds(Frequency frequency, String match, LocalDate date) {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(frequency, FrequencyMatch.parse(match == null ? "" : match),
        MonthEnd.CLAMP, d("2026-01-01"), null);

    assertEquals(Optional.empty(), schedule.nextAfter(date));
    if (!date.equals(LocalDate.MAX)) {
      assertEquals(Optional.empty(), schedule.firstOnOrAfter(date.plusDays(1)));
    }
  }

  @Test
  void noOccurrenceBeforeTheFirstDateTheCalendarHolds() {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(Frequency.MONTHLY, FrequencyMatch.daysOfMonth(15),
        MonthEnd.CLAMP, LocalDate.MIN, null);

    assertEquals(Optional.empty(), schedule.lastOnOrBefore(LocalDate.MIN.plusDays(3)));
    assertEquals(Optional.of(LocalDate.MIN.withDayOfMonth(15)), schedule.lastOnOrBefore(LocalDate.MIN.plusDays(20)));
  }

  @Test
  void noneHasNoPeriods() {
    OccurrenceSchedule schedule = OccurrenceSchedule.of(Frequency.NONE, FrequencyMatch.empty(), MonthEnd.CLAMP,
        d("2026-03-01"), null);
    assertEquals(Optional.empty(), schedule.firstPeriod());
    assertEquals(Optional.empty(), schedule.firstOnOrAfter(d("2026-03-01")));
    assertEquals(Optional.empty(), schedule.lastOnOrBefore(d("2027-03-01")));
  }

  private static List<LocalDate> dates(String spaceSeparated) {
    if (spaceSeparated == null || spaceSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(spaceSeparated.trim().split("\\s+")).map(LocalDate::parse).toList();
  }

  private static BillingPeriod period(String twoDates) {
    List<LocalDate> bounds = dates(twoDates);
    return new BillingPeriod(bounds.get(0), bounds.get(1));
  }
}
