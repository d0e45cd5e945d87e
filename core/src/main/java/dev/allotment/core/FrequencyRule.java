package dev.allotment.core;

import java.time.LocalDate;
import java.time.chrono.IsoChronology;
import java.time.temporal.ChronoUnit;

/**
 * The unbounded sequence of dates a frequency bills on, before an assignment's start and end cut
 * it: every rule date has a previous and a next one, which is what a stub needs to know the whole
 * period it is cut from.
 *
 * <p>Answers "on or after" and "on or before" in constant time from bit masks, allocating only
 * the returned date. Immutable and thread-safe.
 */
final class FrequencyRule {
  private final Frequency frequency;
  private final MonthEnd monthEnd;
  /** WEEKLY: bit (dow - 1). MONTHLY: bit d for day d. Never 0 for those frequencies. */
  private final long mask;
  /** YEARLY: the anniversary's origin. */
  private final LocalDate anchor;

  private FrequencyRule(Frequency frequency, MonthEnd monthEnd, long mask, LocalDate anchor) {
    this.frequency = frequency;
    this.monthEnd = monthEnd;
    this.mask = mask;
    this.anchor = anchor;
  }

  /** The rule of a package for an assignment starting on {@code anchor} (empty match = anniversary). */
  static FrequencyRule of(Frequency frequency, FrequencyMatch match, MonthEnd monthEnd, LocalDate anchor) {
    long mask = 0;
    if (frequency == Frequency.WEEKLY) {
      mask = match.kind() == FrequencyMatch.Kind.DAYS_OF_WEEK ? match.mask() : 1L << (anchor.getDayOfWeek().getValue() - 1);
    } else if (frequency == Frequency.MONTHLY) {
      mask = match.kind() == FrequencyMatch.Kind.DAYS_OF_MONTH ? match.mask() & 0xFFFF_FFFEL : 1L << anchor.getDayOfMonth();
    }
    return new FrequencyRule(frequency, monthEnd, mask, anchor);
  }

  boolean isRecurring() {
    return frequency != Frequency.NONE;
  }

  /** The first rule date on or after {@code date}. Not for {@link Frequency#NONE}. */
  LocalDate onOrAfter(LocalDate date) {
    return from(date, 0);
  }

  /**
   * The first rule date strictly after {@code date}: {@code onOrAfter(date.plusDays(1))} without
   * making that date first (the next occurrence is asked once per period planned).
   */
  LocalDate after(LocalDate date) {
    return from(date, 1);
  }

  /** The first rule date on or after {@code skip} days past {@code date} (skip 0 or 1). */
  private LocalDate from(LocalDate date, int skip) {
    switch (frequency) {
      case DAILY:
        return date.plusDays(skip);
      case WEEKLY: {
        int dow = date.getDayOfWeek().getValue() - 1;
        for (int i = skip; i < skip + 7; i++) {
          if ((mask & (1L << ((dow + i) % 7))) != 0) {
            return date.plusDays(i);
          }
        }
        throw new AssertionError("empty weekday mask");
      }
      case MONTHLY:
        return monthlyFrom(date, skip);
      case YEARLY: {
        LocalDate anniversary = anniversary(date.getYear());
        boolean passed = anniversary.isBefore(date) || (skip > 0 && anniversary.equals(date));
        return passed ? anniversary(date.getYear() + 1) : anniversary;
      }
      default:
        throw new IllegalStateException("frequency NONE has no rule dates");
    }
  }

  /**
   * MONTHLY: the first rule date on or after {@code skip} days past {@code date}. This is on every
   * call path (the next occurrence is asked once per period planned), so the usual answer, a day of
   * date's own month, is made by {@link LocalDate#plusDays}, which builds a date of the same month
   * without validating it again; no other date is made until the answer.
   */
  private LocalDate monthlyFrom(LocalDate date, int skip) {
    int day = date.getDayOfMonth();
    long from = -(1L << (day + skip)); // days >= date's day + skip
    long candidates = mask & from;
    // A day up to 28 is in every month, and comes before any clamped last day: no month length needed.
    if (candidates != 0 && Long.numberOfTrailingZeros(candidates) <= 28) {
      return date.plusDays(Long.numberOfTrailingZeros(candidates) - day);
    }
    int year = date.getYear();
    int month = date.getMonthValue();
    long inMonth = daysIn(year, month) & from;
    if (inMonth != 0) {
      return date.plusDays(Long.numberOfTrailingZeros(inMonth) - day);
    }
    // A non-empty match always hits within 13 months (every day 1..28 exists each month; 29..31
    // exist at least every second month), so the bound is a guard, not a limit.
    for (int i = 0; i < 13; i++) {
      if (++month > 12) {
        month = 1;
        year++;
      }
      long days = daysIn(year, month);
      if (days != 0) {
        return LocalDate.of(year, month, Long.numberOfTrailingZeros(days));
      }
    }
    throw new AssertionError("no month day matched within 13 months");
  }

  /** The last rule date on or before {@code date}. Not for {@link Frequency#NONE}. */
  LocalDate onOrBefore(LocalDate date) {
    switch (frequency) {
      case DAILY:
        return date;
      case WEEKLY: {
        int dow = date.getDayOfWeek().getValue() - 1;
        for (int i = 0; i < 7; i++) {
          if ((mask & (1L << (((dow - i) % 7 + 7) % 7))) != 0) {
            return date.minusDays(i);
          }
        }
        throw new AssertionError("empty weekday mask");
      }
      case MONTHLY: {
        int year = date.getYear();
        int month = date.getMonthValue();
        long upTo = (1L << (date.getDayOfMonth() + 1)) - 1; // days <= date's day
        for (int i = 0; i < 13; i++) {
          long days = daysIn(year, month) & upTo;
          if (days != 0) {
            return LocalDate.of(year, month, 63 - Long.numberOfLeadingZeros(days));
          }
          if (--month < 1) {
            month = 12;
            year--;
          }
          upTo = -1L;
        }
        throw new AssertionError("no month day matched within 13 months");
      }
      case YEARLY: {
        LocalDate anniversary = anniversary(date.getYear());
        return anniversary.isAfter(date) ? anniversary(date.getYear() - 1) : anniversary;
      }
      default:
        throw new IllegalStateException("frequency NONE has no rule dates");
    }
  }

  /**
   * The days of {@code month} of {@code year} a MONTHLY rule falls on, as bits 1..31: the match's
   * days the month has, and under {@link MonthEnd#CLAMP} its last day for the days it lacks.
   */
  long daysIn(int year, int month) {
    int length = lengthOfMonth(year, month);
    long existing = mask & ((1L << (length + 1)) - 1);
    if (monthEnd == MonthEnd.CLAMP && (mask >>> (length + 1)) != 0) {
      existing |= 1L << length; // 29..31 the month lacks fall on its last day, once
    }
    return existing;
  }

  static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> IsoChronology.INSTANCE.isLeapYear(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** {@return the frequency} */
  Frequency frequency() {
    return frequency;
  }

  /** {@return the WEEKLY days as bits 0 (Monday) to 6, or the MONTHLY days as bits 1..31} */
  long mask() {
    return mask;
  }

  private LocalDate anniversary(int year) {
    return anchor.withYear(year); // 29 Feb -> 28 Feb in common years
  }

  /** Days between two dates, as a long. */
  static long days(LocalDate from, LocalDate toExclusive) {
    return ChronoUnit.DAYS.between(from, toExclusive);
  }
}
