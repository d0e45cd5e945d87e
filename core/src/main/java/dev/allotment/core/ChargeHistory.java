package dev.allotment.core;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the journal holds of one assignment, as far as planning needs it.
 *
 * <p>{@code decidedThrough} is the watermark: every line falling due on or before it has been
 * decided (charged, or found to be zero). The planner examines only what falls due after it, so a
 * run costs O(new periods), not O(history). {@code lines} must hold every charged line that falls
 * due after the watermark and every line whose amount the next run may need to adjust (see
 * {@link Assignment#repriceFrom()}); more lines are harmless. With no watermark, {@code lines}
 * must be the whole history of the assignment.
 *
 * <p>Immutable and thread-safe.
 *
 * @param decidedThrough the watermark, empty when nothing was decided yet
 * @param lines charged lines of the assignment, adjustments included
 */
public record ChargeHistory(Optional<LocalDate> decidedThrough, List<ChargeLine> lines) {
  /** Nothing charged yet. */
  public static final ChargeHistory EMPTY = new ChargeHistory(Optional.empty(), List.of());

  /**

   * Copies the lines.

   *

   * @param decidedThrough the watermark, empty when nothing was decided yet

   * @param lines charged lines of the assignment, adjustments included

   */
  public ChargeHistory {
    Objects.requireNonNull(decidedThrough, "decidedThrough");
    lines = List.copyOf(lines);
  }

  /**
   * The first date from which a plan examines decision points, and so the first date a history
   * line must reach (by due date or period end): the day after the watermark, or the reprice marker
   * when that is earlier; empty (everything) without a watermark. The planner and the journal's
   * history reads both use this, so the history holds what the plan looks at.
   *
   * @param watermark the assignment's watermark, empty when nothing was decided
   * @param repriceFrom the assignment's reprice marker, empty when none
   * @return the cutoff, or empty for the whole history
   */
  public static Optional<LocalDate> cutoff(Optional<LocalDate> watermark, Optional<LocalDate> repriceFrom) {
    Objects.requireNonNull(repriceFrom, "repriceFrom");
    if (watermark.isEmpty()) {
      return Optional.empty();
    }
    LocalDate afterWatermark = watermark.get().plusDays(1);
    return Optional.of(repriceFrom.filter(r -> r.isBefore(afterWatermark)).orElse(afterWatermark));
  }

  /**
   * The whole history of an assignment, without a watermark.
   *
   * @param lines every charged line of the assignment
   * @return the history
   */
  public static ChargeHistory of(Collection<ChargeLine> lines) {
    return new ChargeHistory(Optional.empty(), List.copyOf(lines));
  }
}
