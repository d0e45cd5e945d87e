package dev.allotment.core;

import java.time.DayOfWeek;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The days a WEEKLY or MONTHLY package bills on: a set of weekdays, a set of days of month
 * (1..31), or empty (bill on the anniversary of the assignment's start).
 *
 * <p>Stored as a bit mask so schedule arithmetic allocates nothing. Immutable and thread-safe.
 */
public final class FrequencyMatch {
  /** What kind of days the match lists. */
  public enum Kind {
    /** No days: the schedule follows the assignment's start. */
    EMPTY,
    /** Weekdays, for WEEKLY packages. */
    DAYS_OF_WEEK,
    /** Days of month (1..31), for MONTHLY packages. */
    DAYS_OF_MONTH
  }

  private static final FrequencyMatch EMPTY = new FrequencyMatch(Kind.EMPTY, 0);

  /**
   * The kind of non-empty match {@code frequency} takes: weekdays for WEEKLY, days of month for
   * MONTHLY; null for the others, which take only the empty match (their anniversary).
   */
  static Kind kindFor(Frequency frequency) {
    return switch (frequency) {
      case WEEKLY -> Kind.DAYS_OF_WEEK;
      case MONTHLY -> Kind.DAYS_OF_MONTH;
      default -> null;
    };
  }

  private final Kind kind;
  /** DAYS_OF_WEEK: bit (dow.getValue() - 1); DAYS_OF_MONTH: bit day (1..31). */
  private final int mask;

  private FrequencyMatch(Kind kind, int mask) {
    this.kind = kind;
    this.mask = mask;
  }

  /** {@return the match with no days: the schedule follows the assignment's start} */
  public static FrequencyMatch empty() {
    return EMPTY;
  }

  /**
   * Matches the given weekdays; an empty collection gives {@link #empty()}.
   *
   * @param days the weekdays
   * @return the match
   */
  public static FrequencyMatch daysOfWeek(Collection<DayOfWeek> days) {
    Objects.requireNonNull(days, "frequencyMatch");
    int mask = 0;
    for (DayOfWeek day : days) {
      mask |= 1 << (Objects.requireNonNull(day, "frequencyMatch day").getValue() - 1);
    }
    return mask == 0 ? EMPTY : new FrequencyMatch(Kind.DAYS_OF_WEEK, mask);
  }

  /**
   * Matches the given weekdays; none gives {@link #empty()}.
   *
   * @param days the weekdays
   * @return the match
   */
  public static FrequencyMatch daysOfWeek(DayOfWeek... days) {
    return daysOfWeek(java.util.Arrays.asList(days));
  }

  /**
   * Matches the given days of month; an empty collection gives {@link #empty()}.
   *
   * @param days the days of month, 1..31
   * @return the match
   * @throws IllegalArgumentException naming the day when one lies outside 1..31
   */
  public static FrequencyMatch daysOfMonth(Collection<Integer> days) {
    Objects.requireNonNull(days, "frequencyMatch");
    int mask = 0;
    for (Integer day : days) {
      Objects.requireNonNull(day, "frequencyMatch day");
      if (day < 1 || day > 31) {
        throw new IllegalArgumentException("frequencyMatch day of month must be within 1..31, was " + day);
      }
      mask |= 1 << day;
    }
    return mask == 0 ? EMPTY : new FrequencyMatch(Kind.DAYS_OF_MONTH, mask);
  }

  /**
   * Matches the given days of month; none gives {@link #empty()}.
   *
   * @param days the days, 1..31
   * @return the match
   * @throws IllegalArgumentException naming the day when one lies outside 1..31
   */
  public static FrequencyMatch daysOfMonth(int... days) {
    java.util.List<Integer> list = new java.util.ArrayList<>(days.length);
    for (int day : days) {
      list.add(day);
    }
    return daysOfMonth(list);
  }

  /**
   * Parses the text form: empty, a comma-separated list of days of month ({@code "1,15,31"}) or
   * of weekdays ({@code "MON,THU"}, full names accepted, case-insensitive).
   *
   * @param text the text form, as {@link #toString()} writes it
   * @return the match
   * @throws IllegalArgumentException naming the offending token
   */
  public static FrequencyMatch parse(String text) {
    Objects.requireNonNull(text, "frequencyMatch");
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      return EMPTY;
    }
    String[] tokens = trimmed.split("\\s*,\\s*", -1);
    for (String token : tokens) {
      if (token.isEmpty()) {
        throw new IllegalArgumentException("frequencyMatch has an empty entry: '" + text + "'");
      }
    }
    if (Character.isDigit(tokens[0].charAt(0)) || tokens[0].charAt(0) == '-') {
      java.util.List<Integer> days = new java.util.ArrayList<>();
      for (String token : tokens) {
        try {
          days.add(Integer.parseInt(token));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("frequencyMatch is not a day of month: '" + token + "'");
        }
      }
      return daysOfMonth(days);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String token : tokens) {
      days.add(weekday(token));
    }
    return daysOfWeek(days);
  }

  private static DayOfWeek weekday(String token) {
    String upper = token.toUpperCase(java.util.Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().equals(upper) || (upper.length() == 3 && day.name().startsWith(upper))) {
        return day;
      }
    }
    throw new IllegalArgumentException("frequencyMatch is not a weekday: '" + token + "'");
  }

  /** {@return what kind of days the match lists} */
  public Kind kind() {
    return kind;
  }

  /** {@return whether the match lists no day} */
  public boolean isEmpty() {
    return kind == Kind.EMPTY;
  }

  /** {@return the matched weekdays; empty unless {@link Kind#DAYS_OF_WEEK}} */
  public Set<DayOfWeek> daysOfWeek() {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    if (kind == Kind.DAYS_OF_WEEK) {
      for (DayOfWeek day : DayOfWeek.values()) {
        if ((mask & (1 << (day.getValue() - 1))) != 0) {
          days.add(day);
        }
      }
    }
    return days;
  }

  /** {@return the matched days of month in ascending order; empty unless {@link Kind#DAYS_OF_MONTH}} */
  public SortedSet<Integer> daysOfMonth() {
    SortedSet<Integer> days = new TreeSet<>();
    if (kind == Kind.DAYS_OF_MONTH) {
      for (int day = 1; day <= 31; day++) {
        if ((mask & (1 << day)) != 0) {
          days.add(day);
        }
      }
    }
    return days;
  }

  /** Weekday bits (bit 0 = Monday) or day-of-month bits (bit d = day d), by {@link #kind()}. */
  int mask() {
    return mask;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FrequencyMatch m && kind == m.kind && mask == m.mask;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + mask;
  }

  /** The {@link #parse} form: {@code ""}, {@code "1,15,31"} or {@code "MON,THU"}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    if (kind == Kind.DAYS_OF_WEEK) {
      for (DayOfWeek day : daysOfWeek()) {
        text.append(text.length() == 0 ? "" : ",").append(day.name(), 0, 3);
      }
    } else if (kind == Kind.DAYS_OF_MONTH) {
      for (int day : daysOfMonth()) {
        text.append(text.length() == 0 ? "" : ",").append(day);
      }
    }
    return text.toString();
  }
}
