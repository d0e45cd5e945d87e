package dev.allotment.core;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Year;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The occurrence dates and billed periods of one assignment of one package: the package's
 * frequency rule cut to the assignment's [start, end].
 *
 * <p>Every query is answered in constant time; {@link #dates} streams without materialising the
 * range (a thirty-year daily schedule costs nothing until iterated), stepping from one occurrence
 * to the next.
 *
 * <p>Charges are in advance: occurrence dates d1 &lt; d2 &lt; ... open periods [d_i, d_i+1); the last
 * period ends at end + 1 day at the latest; a start that is not an occurrence opens a stub
 * [start, d1) cut from the whole rule period around it.
 *
 * <p>Immutable and thread-safe.
 */
public final class OccurrenceSchedule {
  private final FrequencyRule rule;
  private final LocalDate start;
  private final LocalDate end; // inclusive, null = open

  private OccurrenceSchedule(FrequencyRule rule, LocalDate start, LocalDate end) {
    this.rule = rule;
    this.start = start;
    this.end = end;
  }

  /**
   * The schedule of {@code assignment} under {@code servicePackage}'s frequency rule, counted from
   * the assignment's {@linkplain Assignment#scheduleAnchor() anchor}, from its start to its end;
   * suspensions aside (see {@link AssignmentSchedule} for the days actually billed).
   *
   * @param servicePackage the package, whose frequency rule applies
   * @param assignment the assignment, whose start and end bound the schedule
   * @return the schedule
   */
  public static OccurrenceSchedule of(ServicePackage servicePackage, Assignment assignment) {
    Objects.requireNonNull(servicePackage, "servicePackage");
    Objects.requireNonNull(assignment, "assignment");
    return anchored(servicePackage, assignment.scheduleAnchor())
        .within(assignment.startDate(), assignment.endDate().orElse(null));
  }

  /** The package's open-ended rule counted from {@code anchor}. */
  static OccurrenceSchedule anchored(ServicePackage servicePackage, LocalDate anchor) {
    return of(servicePackage.frequency(), servicePackage.frequencyMatch(), servicePackage.monthEnd(), anchor, null);
  }

  /** The same rule (same anchor) billed from {@code from} to {@code to} (inclusive; null = open). */
  OccurrenceSchedule within(LocalDate from, LocalDate to) {
    return new OccurrenceSchedule(rule, from, to);
  }

  /**
   * The schedule of a rule between {@code start} and {@code end} (inclusive; null = open-ended).
   *
   * @param frequency how often
   * @param match which days of the frequency; empty for the start's day
   * @param monthEnd what a monthly day the month lacks becomes
   * @param start the first billed day
   * @param end the last billed day, or null for an open-ended schedule
   * @return the schedule
   * @throws IllegalArgumentException if end is before start or the match does not fit the frequency
   */
  public static OccurrenceSchedule of(Frequency frequency, FrequencyMatch match, MonthEnd monthEnd,
      LocalDate start, LocalDate end) {
    Objects.requireNonNull(frequency, "frequency");
    Objects.requireNonNull(match, "frequencyMatch");
    Objects.requireNonNull(monthEnd, "monthEnd");
    Objects.requireNonNull(start, "start");
    if (end != null && end.isBefore(start)) {
      throw new IllegalArgumentException("end " + end + " must not be before start " + start);
    }
    if (!match.isEmpty() && match.kind() != FrequencyMatch.kindFor(frequency)) {
      throw new IllegalArgumentException("frequencyMatch '" + match + "' does not fit frequency " + frequency);
    }
    return new OccurrenceSchedule(FrequencyRule.of(frequency, match, monthEnd, start), start, end);
  }

  /**
   * The first occurrence on or after {@code date}; empty past the end or for frequency NONE.
   *
   * @param date any date
   * @return the occurrence, or empty
   */
  public Optional<LocalDate> firstOnOrAfter(LocalDate date) {
    if (!rule.isRecurring()) {
      return Optional.empty();
    }
    LocalDate from = date.isBefore(start) ? start : date;
    if (end != null && from.isAfter(end)) {
      return Optional.empty();
    }
    LocalDate found = from.getYear() == Year.MAX_VALUE ? atCalendarEdge(() -> rule.onOrAfter(from))
        : rule.onOrAfter(from);
    return found == null || (end != null && found.isAfter(end)) ? Optional.empty() : Optional.of(found);
  }

  /**
   * The first occurrence strictly after {@code date}.
   *
   * @param date any date
   * @return the occurrence, or empty
   */
  public Optional<LocalDate> nextAfter(LocalDate date) {
    if (!rule.isRecurring()) {
      return Optional.empty();
    }
    if (date.isBefore(start)) {
      return firstOnOrAfter(start); // the day after date is start at the latest
    }
    if (end != null && !date.isBefore(end)) {
      return Optional.empty();
    }
    // Only in the calendar's last year can the occurrence fall past LocalDate.MAX; one comparison
    // keeps the handler off the usual path (with it there, this measured 40 % slower).
    LocalDate found = date.getYear() == Year.MAX_VALUE ? atCalendarEdge(() -> rule.after(date)) : rule.after(date);
    return found == null || (end != null && found.isAfter(end)) ? Optional.empty() : Optional.of(found);
  }

  /** The rule date {@code ruleDate} finds, or null if it would fall outside [LocalDate.MIN, LocalDate.MAX]. */
  private static LocalDate atCalendarEdge(Supplier<LocalDate> ruleDate) {
    try {
      return ruleDate.get();
    } catch (DateTimeException outsideTheCalendar) {
      return null;
    }
  }

  /**
   * The last occurrence on or before {@code date}; empty before the start or for frequency NONE.
   *
   * @param date any date
   * @return the occurrence, or empty
   */
  public Optional<LocalDate> lastOnOrBefore(LocalDate date) {
    if (!rule.isRecurring()) {
      return Optional.empty();
    }
    LocalDate upTo = end != null && date.isAfter(end) ? end : date;
    if (upTo.isBefore(start)) {
      return Optional.empty();
    }
    LocalDate found = upTo.getYear() == Year.MIN_VALUE ? atCalendarEdge(() -> rule.onOrBefore(upTo))
        : rule.onOrBefore(upTo);
    return found == null || found.isBefore(start) ? Optional.empty() : Optional.of(found);
  }

  /**
   * True when {@code date} is an occurrence.
   *
   * @param date any date
   * @return true for an occurrence
   */
  public boolean isOccurrence(LocalDate date) {
    return firstOnOrAfter(date).filter(date::equals).isPresent();
  }

  /**
   * The occurrences within [from, toInclusive], ascending, computed as the stream is consumed.
   *
   * @param from the first date examined
   * @param toInclusive the last date examined
   * @return the occurrences, lazily
   */
  public Stream<LocalDate> dates(LocalDate from, LocalDate toInclusive) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(toInclusive, "toInclusive");
    LocalDate last = end != null && end.isBefore(toInclusive) ? end : toInclusive;
    LocalDate first = rule.isRecurring() && !from.isAfter(last) ? firstOnOrAfter(from).orElse(null) : null;
    return StreamSupport.stream(new OccurrenceSpliterator(rule, first, last), false);
  }

  /**
   * The occurrences within [from, toInclusive] as epoch days ({@link LocalDate#toEpochDay}),
   * ascending, computed as the stream is consumed, without a date object per occurrence.
   *
   * @param from the first date examined
   * @param toInclusive the last date examined
   * @return the occurrences' epoch days, lazily
   */
  public LongStream epochDays(LocalDate from, LocalDate toInclusive) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(toInclusive, "toInclusive");
    LocalDate last = end != null && end.isBefore(toInclusive) ? end : toInclusive;
    LocalDate first = rule.isRecurring() && !from.isAfter(last) ? firstOnOrAfter(from).orElse(null) : null;
    return StreamSupport.longStream(new OccurrenceDays(rule, first, last), false);
  }

  /**
   * The billed period containing {@code date}; empty outside [start, end] or for frequency NONE.
   *
   * @param date any date
   * @return the period, or empty
   */
  public Optional<BilledPeriod> periodContaining(LocalDate date) {
    if (!rule.isRecurring() || date.isBefore(start) || (end != null && date.isAfter(end))) {
      return Optional.empty();
    }
    LocalDate ruleStart = rule.onOrBefore(date);
    LocalDate billedStart = ruleStart.isBefore(start) ? start : ruleStart;
    LocalDate ruleNext = rule.onOrAfter(billedStart.plusDays(1));
    boolean stub = billedStart.equals(start) && !ruleStart.equals(start);
    LocalDate wholeStart = stub ? ruleStart : billedStart;
    LocalDate endExclusive = end == null ? null : end.plusDays(1);
    boolean cut = endExclusive != null && endExclusive.isBefore(ruleNext);
    BillingPeriod period = new BillingPeriod(billedStart, cut ? endExclusive : ruleNext);
    return Optional.of(new BilledPeriod(period, new BillingPeriod(wholeStart, ruleNext), stub, cut));
  }

  /**
   * The billed period starting exactly on {@code periodStart}, if the schedule has one.
   *
   * @param periodStart the start of a period
   * @return the period, or empty
   */
  public Optional<BilledPeriod> periodStartingOn(LocalDate periodStart) {
    return periodContaining(periodStart).filter(p -> p.period().start().equals(periodStart));
  }

  /** {@return the first billed period; empty for frequency NONE} */
  public Optional<BilledPeriod> firstPeriod() {
    return periodContaining(start);
  }

  /**
   * The billed period following {@code period}; empty after the last one.
   *
   * @param period a period of this schedule
   * @return the next period, or empty
   */
  public Optional<BilledPeriod> periodAfter(BilledPeriod period) {
    return periodContaining(period.period().endExclusive());
  }

  /** {@return the first billed day} */
  public LocalDate start() {
    return start;
  }

  /** {@return the last billed day, inclusive; empty for an open-ended schedule} */
  public Optional<LocalDate> end() {
    return Optional.ofNullable(end);
  }
}
