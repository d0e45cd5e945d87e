package dev.allotment.bench;

import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.OccurrenceSchedule;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Occurrence dates: {@link OccurrenceSchedule} against {@code org.dmfs:lib-recur} iterating the
 * equivalent RRULE, for DAILY, WEEKLY {Mon, Thu} and MONTHLY {15, 31} (months without a 31st skip
 * it, as BYMONTHDAY does: {@link MonthEnd#SKIP}).
 *
 * <ul>
 *   <li>{@code *Enumerate}: every occurrence of ten years from 2026-01-01, each consumed; the setup
 *       checks that both produce the same dates and prints how many (divide the time by it for a
 *       figure per date; the ratio of the two is the same per date);
 *   <li>{@code *EnumerateEpochDays} / {@code *EnumerateMillis}: the same, each side on its primitive
 *       path ({@code OccurrenceSchedule.epochDays}, lib-recur's {@code nextMillis()}): no date
 *       object per occurrence on either side;
 *   <li>{@code localDateStep}: the floor, {@code plusDays(1)} over the same ten years;
 *   <li>{@code *Next}: the first occurrence after a date ten years past the start: our schedule
 *       answers from the rule, lib-recur from a new iterator {@code fastForward}ed to it.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScheduleBenchmark {
  private static final LocalDate START = LocalDate.of(2026, 1, 1);
  private static final LocalDate END = START.plusYears(10).minusDays(1);
  private static final LocalDate PROBE = START.plusYears(10).plusDays(3);

  /** The rule. */
  @Param({"DAILY", "WEEKLY_MON_THU", "MONTHLY_15_31"})
  public String rule;

  private OccurrenceSchedule schedule;
  private RecurrenceRule recurrence;
  private DateTime peerStart;
  private DateTime peerEnd;
  private DateTime peerProbe;

  /** How many dates {@code rule} has in the ten years enumerated: the dates of an operation. */
  static long datesInTenYears(String rule) throws InvalidRecurrenceRuleException {
    ScheduleBenchmark benchmark = new ScheduleBenchmark();
    benchmark.rule = rule;
    benchmark.setUp();
    return benchmark.schedule.dates(START, END).count();
  }

  @Setup
  public void setUp() throws InvalidRecurrenceRuleException {
    switch (rule) {
      case "DAILY" -> {
        schedule = OccurrenceSchedule.of(Frequency.DAILY, FrequencyMatch.empty(), MonthEnd.CLAMP, START, null);
        recurrence = new RecurrenceRule("FREQ=DAILY");
      }
      case "WEEKLY_MON_THU" -> {
        schedule = OccurrenceSchedule.of(Frequency.WEEKLY,
            FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), MonthEnd.CLAMP, START, null);
        recurrence = new RecurrenceRule("FREQ=WEEKLY;BYDAY=MO,TH");
      }
      case "MONTHLY_15_31" -> {
        schedule = OccurrenceSchedule.of(Frequency.MONTHLY, FrequencyMatch.daysOfMonth(15, 31), MonthEnd.SKIP,
            START, null);
        recurrence = new RecurrenceRule("FREQ=MONTHLY;BYMONTHDAY=15,31");
      }
      default -> throw new IllegalArgumentException("rule " + rule);
    }
    peerStart = dateTime(START);
    peerEnd = dateTime(END);
    peerProbe = dateTime(PROBE.plusDays(1));
    List<LocalDate> ours = schedule.dates(START, END).toList();
    List<LocalDate> peer = new ArrayList<>();
    RecurrenceRuleIterator it = recurrence.iterator(peerStart);
    while (it.hasNext()) {
      DateTime next = it.nextDateTime();
      if (next.after(peerEnd)) {
        break;
      }
      LocalDate date = LocalDate.of(next.getYear(), next.getMonth() + 1, next.getDayOfMonth());
      // RFC 5545 makes DTSTART an instance even when it does not match the rule; ours has none there.
      if (!date.equals(START) || schedule.isOccurrence(START)) {
        peer.add(date);
      }
    }
    if (!ours.equals(peer)) {
      throw new IllegalStateException(rule + ": the schedules disagree; the comparison would be unfair");
    }
    List<Long> ourDays = schedule.epochDays(START, END).boxed().toList();
    List<Long> peerDays = new ArrayList<>();
    RecurrenceRuleIterator millis = recurrence.iterator(peerStart);
    while (millis.hasNext()) {
      long next = millis.nextMillis();
      if (next > peerEnd.getTimestamp()) {
        break;
      }
      long day = Math.floorDiv(next, 86_400_000L);
      if (day != START.toEpochDay() || schedule.isOccurrence(START)) {
        peerDays.add(day);
      }
    }
    if (!ourDays.equals(ours.stream().map(LocalDate::toEpochDay).toList()) || !ourDays.equals(peerDays)) {
      throw new IllegalStateException(rule + ": the epoch days disagree; the comparison would be unfair");
    }
    LocalDate ourNext = schedule.nextAfter(PROBE).orElseThrow();
    DateTime peerNext = libRecurNext();
    if (!ourNext.equals(LocalDate.of(peerNext.getYear(), peerNext.getMonth() + 1, peerNext.getDayOfMonth()))) {
      throw new IllegalStateException(rule + ": next after " + PROBE + " is " + ourNext + " here, " + peerNext
          + " in lib-recur");
    }
    System.out.println(rule + ": " + ours.size() + " dates in ten years");
  }

  /** lib-recur's DateTime counts months from 0. */
  private static DateTime dateTime(LocalDate date) {
    return new DateTime(date.getYear(), date.getMonthValue() - 1, date.getDayOfMonth());
  }

  @Benchmark
  public void allotmentEnumerate(Blackhole bh) {
    schedule.dates(START, END).forEach(bh::consume);
  }

  @Benchmark
  public void libRecurEnumerate(Blackhole bh) {
    RecurrenceRuleIterator it = recurrence.iterator(peerStart);
    while (it.hasNext()) {
      DateTime next = it.nextDateTime();
      if (next.after(peerEnd)) {
        break;
      }
      bh.consume(next);
    }
  }

  /** Every occurrence as an epoch day ({@code long}), no date object per occurrence. */
  @Benchmark
  public void allotmentEnumerateEpochDays(Blackhole bh) {
    schedule.epochDays(START, END).forEach(bh::consume);
  }

  /** lib-recur's own primitive path: {@code nextMillis()}, no {@code DateTime} per occurrence. */
  @Benchmark
  public void libRecurEnumerateMillis(Blackhole bh) {
    RecurrenceRuleIterator it = recurrence.iterator(peerStart);
    long end = peerEnd.getTimestamp();
    while (it.hasNext()) {
      long next = it.nextMillis();
      if (next > end) {
        break;
      }
      bh.consume(next);
    }
  }

  /**
   * The floor of any enumeration that hands out {@code LocalDate}s: a day-by-day {@code plusDays(1)}
   * loop over the same ten years, each day consumed (DAILY only; the other rules give the same).
   */
  @Benchmark
  public void localDateStep(Blackhole bh) {
    for (LocalDate day = START; !day.isAfter(END); day = day.plusDays(1)) {
      bh.consume(day);
    }
  }

  @Benchmark
  public LocalDate allotmentNext() {
    return schedule.nextAfter(PROBE).orElseThrow();
  }

  @Benchmark
  public DateTime libRecurNext() {
    RecurrenceRuleIterator it = recurrence.iterator(peerStart);
    it.fastForward(peerProbe);
    return it.nextDateTime();
  }
}
