package dev.allotment.core;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The deterministic idempotency key of a line: (assignment, kind, period start), and for
 * {@link LineKind#ADJUSTMENT} the key of the adjusted line plus a sequence number.
 *
 * <p>Text form: {@code a-17/RECURRING/2026-03-01}; an adjustment of that line
 * {@code a-17/RECURRING/2026-03-01#2}. Stores hold a key at most once.
 *
 * <p>Immutable and thread-safe.
 *
 * @param assignmentId the assignment
 * @param kind the line's kind
 * @param periodStart the start of the line's period
 * @param sequence 0, except for adjustments (1, 2, ...)
 */
public record LineKey(String assignmentId, LineKind kind, LocalDate periodStart, int sequence)
    implements Comparable<LineKey> {

  /**

   * Validates the components: the sequence is 0, or at least 1 for an adjustment.

   *

   * @param assignmentId the assignment

   * @param kind the line's kind

   * @param periodStart the start of the line's period

   * @param sequence 0, except for adjustments (1, 2, ...)

   */
  public LineKey {
    Ids.require("assignmentId", assignmentId);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(periodStart, "periodStart");
    if (kind.isAdjustment() ? sequence < 1 : sequence != 0) {
      throw new IllegalArgumentException("sequence must be " + (kind.isAdjustment() ? ">= 1" : "0")
          + " for a " + kind + " key, was " + sequence);
    }
  }

  /**
   * The key of a non-adjustment line.
   *
   * @param assignmentId the assignment
   * @param kind the line's kind, not ADJUSTMENT
   * @param periodStart the start of the line's period
   * @return the key
   */
  public static LineKey of(String assignmentId, LineKind kind, LocalDate periodStart) {
    return new LineKey(assignmentId, kind, periodStart, 0);
  }

  /**
   * The key of the {@code sequence}-th adjustment of the RECURRING line starting on {@code periodStart}.
   *
   * @param assignmentId the assignment
   * @param periodStart the start of the adjusted RECURRING line's period
   * @param sequence the adjustment's number, from 1
   * @return the key
   */
  public static LineKey adjustment(String assignmentId, LocalDate periodStart, int sequence) {
    return new LineKey(assignmentId, LineKind.ADJUSTMENT, periodStart, sequence);
  }

  /**
   * The key of the {@code sequence}-th grant adjustment of the FREE_MINUTES line starting on {@code periodStart}.
   *
   * @param assignmentId the assignment
   * @param periodStart the start of the adjusted FREE_MINUTES line's period
   * @param sequence the adjustment's number, from 1
   * @return the key
   */
  public static LineKey grantAdjustment(String assignmentId, LocalDate periodStart, int sequence) {
    return new LineKey(assignmentId, LineKind.GRANT_ADJUSTMENT, periodStart, sequence);
  }

  /** {@return for an adjustment, the key of the line it adjusts; otherwise this key} */
  public LineKey adjusted() {
    return kind.isAdjustment() ? of(assignmentId, kind.adjusted(), periodStart) : this;
  }

  /**
   * Parses the {@link #toString()} form.
   *
   * @param text the text form, e.g. {@code a-17/RECURRING/2026-03-01#2}
   * @return the key
   * @throws IllegalArgumentException naming the text when it is not a key
   */
  public static LineKey parse(String text) {
    Objects.requireNonNull(text, "key");
    try {
      int hash = text.lastIndexOf('#');
      String main = hash < 0 ? text : text.substring(0, hash);
      int sequence = hash < 0 ? 0 : Integer.parseInt(text.substring(hash + 1));
      int dateSep = main.lastIndexOf('/');
      int kindSep = main.lastIndexOf('/', dateSep - 1);
      String assignmentId = main.substring(0, kindSep);
      LineKind kind = LineKind.valueOf(main.substring(kindSep + 1, dateSep));
      LocalDate periodStart = LocalDate.parse(main.substring(dateSep + 1));
      if (hash >= 0) {
        LineKind adjustment = kind.adjustment().orElseThrow(
            () -> new IllegalArgumentException("only RECURRING and FREE_MINUTES lines are adjusted"));
        return new LineKey(assignmentId, adjustment, periodStart, sequence);
      }
      return of(assignmentId, kind, periodStart);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException
          || e instanceof DateTimeParseException) {
        throw new IllegalArgumentException("key is not a line key: '" + text + "'", e);
      }
      throw e;
    }
  }

  @Override
  public int compareTo(LineKey o) {
    int c = assignmentId.compareTo(o.assignmentId);
    if (c == 0) {
      c = periodStart.compareTo(o.periodStart);
    }
    if (c == 0) {
      c = kind.compareTo(o.kind);
    }
    return c != 0 ? c : Integer.compare(sequence, o.sequence);
  }

  @Override
  public String toString() {
    String base = assignmentId + "/" + kind.adjusted() + "/" + periodStart;
    return kind.isAdjustment() ? base + "#" + sequence : base;
  }
}
