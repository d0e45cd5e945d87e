package dev.allotment.core;

import java.time.LocalDate;
import java.util.Spliterator;
import java.util.function.LongConsumer;

/**
 * The occurrences of a rule from a first one up to a last day as epoch days
 * ({@link LocalDate#toEpochDay}), stepping as {@link OccurrenceSpliterator} does but on a
 * {@code long}: a day, the gap to the next weekday of the match, the next day left in the month's
 * bits added to the month's first epoch day. No date object per occurrence: for consumers that
 * count, compare or store days in bulk.
 *
 * <p>Not thread-safe: one per stream, as every spliterator.
 */
final class OccurrenceDays implements Spliterator.OfLong {
  private final FrequencyRule rule;
  private final long last;
  /** WEEKLY: for each weekday of the match (0 = Monday), the days to the next one. */
  private final int[] weeklyGaps;
  private long next;
  private boolean done;
  private int weekday;
  /** MONTHLY: the year and month of {@link #next}, the month's first epoch day, its match days after next's. */
  private int year;
  private int month;
  private long monthStart;
  private long daysLeft;

  /**
   * @param rule the rule
   * @param first the first occurrence, or null for none
   * @param last the last day that may be an occurrence, inclusive
   */
  OccurrenceDays(FrequencyRule rule, LocalDate first, LocalDate last) {
    this.rule = rule;
    this.last = last.toEpochDay();
    this.done = first == null || first.isAfter(last);
    this.weeklyGaps = rule.frequency() == Frequency.WEEKLY ? OccurrenceSpliterator.gaps(rule.mask()) : null;
    if (!done) {
      next = first.toEpochDay();
      weekday = first.getDayOfWeek().getValue() - 1;
      year = first.getYear();
      month = first.getMonthValue();
      monthStart = next - first.getDayOfMonth() + 1;
      if (rule.frequency() == Frequency.MONTHLY) {
        daysLeft = rule.daysIn(year, month) & -(1L << (first.getDayOfMonth() + 1));
      }
    }
  }

  /** The occurrence after {@code current}, unbounded. */
  private long step(long current) {
    switch (rule.frequency()) {
      case DAILY:
        return current + 1;
      case WEEKLY: {
        int gap = weeklyGaps[weekday];
        weekday = (weekday + gap) % 7;
        return current + gap;
      }
      case MONTHLY: {
        while (daysLeft == 0) {
          monthStart += FrequencyRule.lengthOfMonth(year, month);
          if (++month > 12) {
            month = 1;
            year++;
          }
          daysLeft = rule.daysIn(year, month);
        }
        int day = Long.numberOfTrailingZeros(daysLeft);
        daysLeft &= daysLeft - 1;
        return monthStart + day - 1;
      }
      default:
        return rule.after(LocalDate.ofEpochDay(current)).toEpochDay();
    }
  }

  @Override
  public boolean tryAdvance(LongConsumer action) {
    if (done) {
      return false;
    }
    long current = next;
    if (current >= last) {
      done = true;
    } else {
      next = step(current);
      done = next > last;
    }
    action.accept(current);
    return true;
  }

  @Override
  public void forEachRemaining(LongConsumer action) {
    if (done) {
      return;
    }
    done = true;
    long current = next;
    if (weeklyGaps == null && rule.frequency() == Frequency.DAILY) {
      for (; current <= last; current++) {
        action.accept(current);
      }
      return;
    }
    while (current <= last) {
      action.accept(current);
      if (current == last) {
        return;
      }
      current = step(current);
    }
  }

  @Override
  public Spliterator.OfLong trySplit() {
    return null;
  }

  @Override
  public long estimateSize() {
    return done ? 0 : Long.MAX_VALUE;
  }

  @Override
  public int characteristics() {
    return ORDERED | DISTINCT | SORTED | NONNULL | IMMUTABLE;
  }

  @Override
  public java.util.Comparator<? super Long> getComparator() {
    return null; // natural order
  }
}
