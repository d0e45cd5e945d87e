package dev.allotment.core;

import java.time.LocalDate;
import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * The occurrences of a rule from a first one up to a last day, stepping from each to the next
 * with what the rule's shape allows: a day, the gap to the next weekday of the match, the next
 * day left in the month's bits. {@link FrequencyRule#onOrAfter} answers any date from scratch
 * (month arithmetic, a search over weekdays); enumerating ten years of dates that way cost more
 * per date than an RFC 5545 iterator, so the enumeration keeps its place instead.
 *
 * <p>Not thread-safe: one per stream, as every spliterator.
 */
final class OccurrenceSpliterator implements Spliterator<LocalDate> {
  private final FrequencyRule rule;
  private final LocalDate last;
  /** WEEKLY: for each weekday of the match (0 = Monday), the days to the next one. */
  private final int[] weeklyGaps;
  private LocalDate next;
  /** WEEKLY: the weekday of {@link #next}. */
  private int weekday;
  /** MONTHLY: the year and month of {@link #next} and the match's days in it after next's day. */
  private int year;
  private int month;
  private long daysLeft;

  /**
   * @param rule the rule
   * @param first the first occurrence, or null for none
   * @param last the last day that may be an occurrence, inclusive
   */
  OccurrenceSpliterator(FrequencyRule rule, LocalDate first, LocalDate last) {
    this.rule = rule;
    this.last = last;
    this.next = first == null || first.isAfter(last) ? null : first;
    this.weeklyGaps = rule.frequency() == Frequency.WEEKLY ? gaps(rule.mask()) : null;
    if (next != null) {
      weekday = next.getDayOfWeek().getValue() - 1;
      year = next.getYear();
      month = next.getMonthValue();
      if (rule.frequency() == Frequency.MONTHLY) {
        daysLeft = rule.daysIn(year, month) & -(1L << (next.getDayOfMonth() + 1));
      }
    }
  }

  static int[] gaps(long mask) {
    int[] gaps = new int[7];
    for (int day = 0; day < 7; day++) {
      int gap = 1;
      while ((mask & (1L << ((day + gap) % 7))) == 0) {
        gap++; // the match is not empty, so some day within 7 is in it (itself at the latest)
      }
      gaps[day] = gap;
    }
    return gaps;
  }

  /** The occurrence after {@link #next}, unbounded. */
  private LocalDate step(LocalDate current) {
    switch (rule.frequency()) {
      case DAILY:
        return current.plusDays(1);
      case WEEKLY: {
        int gap = weeklyGaps[weekday];
        weekday = (weekday + gap) % 7;
        return current.plusDays(gap);
      }
      case MONTHLY: {
        while (daysLeft == 0) {
          if (++month > 12) {
            month = 1;
            year++;
          }
          daysLeft = rule.daysIn(year, month);
        }
        int day = Long.numberOfTrailingZeros(daysLeft);
        daysLeft &= daysLeft - 1;
        return LocalDate.of(year, month, day);
      }
      default:
        return rule.after(current);
    }
  }

  @Override
  public boolean tryAdvance(Consumer<? super LocalDate> action) {
    LocalDate current = next;
    if (current == null) {
      return false;
    }
    advance(current);
    action.accept(current);
    return true;
  }

  @Override
  public void forEachRemaining(Consumer<? super LocalDate> action) {
    LocalDate current = next;
    next = null;
    if (current == null) {
      return;
    }
    if (weeklyGaps == null && rule.frequency() == Frequency.DAILY) {
      // The commonest enumeration, and the one where a step costs least: nothing but the loop.
      while (true) {
        action.accept(current);
        if (!current.isBefore(last)) {
          return;
        }
        current = current.plusDays(1);
      }
    }
    while (true) {
      action.accept(current);
      if (!current.isBefore(last)) {
        return;
      }
      current = step(current);
      if (current.isAfter(last)) {
        return;
      }
    }
  }

  private void advance(LocalDate current) {
    LocalDate following = current.isBefore(last) ? step(current) : null;
    next = following == null || following.isAfter(last) ? null : following;
  }

  @Override
  public Spliterator<LocalDate> trySplit() {
    return null;
  }

  @Override
  public long estimateSize() {
    return next == null ? 0 : Long.MAX_VALUE;
  }

  @Override
  public int characteristics() {
    return ORDERED | DISTINCT | SORTED | NONNULL | IMMUTABLE;
  }

  @Override
  public java.util.Comparator<? super LocalDate> getComparator() {
    return null; // natural order
  }
}
