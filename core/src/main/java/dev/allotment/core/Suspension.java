package dev.allotment.core;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Days an assignment is on hold: from {@link #from()} (inclusive) until {@link #resumeOn()}
 * (exclusive), or open-ended until resumed. Suspended days are neither billed nor granted.
 *
 * <p>Its text form, which stores keep, is {@code 2026-03-10..2026-03-20} (resumed on the 20th) or
 * {@code 2026-03-10..} (not yet resumed); a list is joined by commas.
 *
 * <p>Immutable and thread-safe.
 */
public final class Suspension {
  /** The most suspensions one assignment may hold: a stored list stays within 4,000 characters. */
  public static final int MAX_PER_ASSIGNMENT = 150;

  private final LocalDate from;
  private final LocalDate resumeOn;

  private Suspension(LocalDate from, LocalDate resumeOn) {
    this.from = from;
    this.resumeOn = resumeOn;
  }

  /**
   * A suspension from {@code from} that has not been resumed.
   *
   * @param from the first suspended day
   * @return the suspension
   * @throws IllegalArgumentException if from is not a billing date ({@link Limits#date})
   */
  public static Suspension from(LocalDate from) {
    return new Suspension(Limits.date("suspension from", from), null);
  }

  /**
   * A suspension of the days [from, resumeOn).
   *
   * @param from the first suspended day
   * @param resumeOn the first day billed again, after {@code from}
   * @return the suspension
   * @throws IllegalArgumentException naming the field if a date is not a billing date or resumeOn is not after from
   */
  public static Suspension between(LocalDate from, LocalDate resumeOn) {
    return from(from).resumedOn(resumeOn);
  }

  /**
   * This suspension ended on {@code on}: the assignment is billed again from that day.
   *
   * @param on the first day billed again
   * @return the resumed suspension
   * @throws IllegalArgumentException naming the field if on is not after {@link #from()} or not a billing date
   */
  public Suspension resumedOn(LocalDate on) {
    Limits.date("resumeOn", on);
    if (!on.isAfter(from)) {
      throw new IllegalArgumentException("resumeOn must be after the suspension's first day " + from + ", was " + on);
    }
    return new Suspension(from, on);
  }

  /** {@return the first suspended day} */
  public LocalDate from() {
    return from;
  }

  /** {@return the first day billed again; empty while not resumed} */
  public Optional<LocalDate> resumeOn() {
    return Optional.ofNullable(resumeOn);
  }

  /** {@return true while not resumed} */
  public boolean isOpen() {
    return resumeOn == null;
  }

  /**
   * True when {@code date} is a suspended day.
   *
   * @param date any date
   * @return true within [from, resumeOn)
   */
  public boolean covers(LocalDate date) {
    return !date.isBefore(from) && (resumeOn == null || date.isBefore(resumeOn));
  }

  /**
   * Checks a list of suspensions as an assignment holds them: ascending, none overlapping or
   * touching (a resume and a new suspension on the same day would be one suspension), only the last
   * one open, at most {@link #MAX_PER_ASSIGNMENT}.
   *
   * @param suspensions the list
   * @return an unmodifiable copy
   * @throws IllegalArgumentException naming the first suspension that breaks a rule
   */
  public static List<Suspension> checkedList(List<Suspension> suspensions) {
    List<Suspension> copy = List.copyOf(suspensions);
    if (copy.size() > MAX_PER_ASSIGNMENT) {
      throw new IllegalArgumentException("suspensions must hold at most " + MAX_PER_ASSIGNMENT + ", were "
          + copy.size());
    }
    for (int i = 1; i < copy.size(); i++) {
      Suspension before = copy.get(i - 1);
      Suspension next = copy.get(i);
      if (before.isOpen() || !next.from.isAfter(before.resumeOn)) {
        throw new IllegalArgumentException("suspension " + next + " overlaps or follows without a billed day "
            + before);
      }
    }
    return copy;
  }

  /**
   * Parses the text form of a list (see the class comment); blank for none.
   *
   * @param text the text
   * @return the suspensions
   * @throws IllegalArgumentException naming the text when it is malformed or breaks {@link #checkedList}
   */
  public static List<Suspension> parseList(String text) {
    Objects.requireNonNull(text, "suspensions");
    if (text.isBlank()) {
      return List.of();
    }
    List<Suspension> list = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      int dots = part.indexOf("..");
      if (dots < 0) {
        throw new IllegalArgumentException("suspension must read FROM..[RESUME], was '" + Limits.printable(part) + "'");
      }
      try {
        Suspension s = from(LocalDate.parse(part.substring(0, dots)));
        String on = part.substring(dots + 2);
        list.add(on.isEmpty() ? s : s.resumedOn(LocalDate.parse(on)));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("suspension must read FROM..[RESUME] with ISO dates, was '"
            + Limits.printable(part) + "'", e);
      }
    }
    return checkedList(list);
  }

  /**
   * The text form of a list (see the class comment); empty for none.
   *
   * @param suspensions the list
   * @return the text
   */
  public static String format(List<Suspension> suspensions) {
    List<String> parts = new ArrayList<>(suspensions.size());
    for (Suspension s : suspensions) {
      parts.add(s.toString());
    }
    return String.join(",", Collections.unmodifiableList(parts));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Suspension s && from.equals(s.from) && Objects.equals(resumeOn, s.resumeOn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, resumeOn);
  }

  /** {@return the text form, {@code FROM..RESUME} or {@code FROM..}} */
  @Override
  public String toString() {
    return from + ".." + (resumeOn == null ? "" : resumeOn);
  }
}
