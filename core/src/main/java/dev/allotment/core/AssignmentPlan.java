package dev.allotment.core;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan of one assignment for one date: its lines in commit order (due date, then
 * {@link LineKind} order, then period), and the watermark the journal may record once the due
 * lines are committed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param assignment the assignment planned
 * @param lines due and already-charged lines, in commit order
 * @param previousWatermark the watermark the plan started from
 * @param decidedThrough the watermark once every due line is committed
 * @param repricingComplete true when, once every due line is committed, the assignment's reprice
 *     marker may be cleared: the plan re-examined every decision point and charged line from the
 *     marker on (false while a run date lies before the watermark or before a charged line)
 */
public record AssignmentPlan(Assignment assignment, List<PlannedLine> lines, Optional<LocalDate> previousWatermark,
    Optional<LocalDate> decidedThrough, boolean repricingComplete) {

  /**

   * Copies the lines; every component is required.

   *

   * @param assignment the assignment planned

   * @param lines due and already-charged lines, in commit order

   * @param previousWatermark the watermark the plan started from

   * @param decidedThrough the watermark once every due line is committed

   * @param repricingComplete true when, once every due line is committed, the assignment's reprice marker may be cleared: the plan re-examined every decision point and charged line from the marker on (false while a run date lies before the watermark or before a charged line)

   */
  public AssignmentPlan {
    Objects.requireNonNull(assignment, "assignment");
    lines = List.copyOf(lines);
    Objects.requireNonNull(previousWatermark, "previousWatermark");
    Objects.requireNonNull(decidedThrough, "decidedThrough");
  }

  /** {@return the due lines, in the order they must be committed} */
  public List<ChargeLine> due() {
    return lines.stream().filter(l -> l.status() == LineStatus.DUE).map(PlannedLine::line).toList();
  }

  /** {@return true when nothing is due} */
  public boolean isSettled() {
    return lines.stream().noneMatch(l -> l.status() == LineStatus.DUE);
  }

  /**
   * The watermark to record when only the first {@code committed} due lines were committed (a run
   * stops at the first line it may not charge, so every assignment's journal stays a prefix of its
   * plan). Committing everything gives {@link #decidedThrough()}; stopping before an ordinary line
   * leaves everything from that line's due date undecided; stopping at an adjustment (adjustments
   * come last) keeps the full watermark, since adjustments are found by repricing, not by date.
   *
   * @param committed how many due lines were committed, from the first
   * @return the watermark to record
   */
  public Optional<LocalDate> watermarkAfter(int committed) {
    List<ChargeLine> due = due();
    if (committed < 0 || committed > due.size()) {
      throw new IllegalArgumentException("committed must be within 0.." + due.size() + ", was " + committed);
    }
    if (committed == due.size() || due.get(committed).kind().isAdjustment()) {
      return decidedThrough;
    }
    LocalDate beforeFirstUncommitted = due.get(committed).dueDate().minusDays(1);
    if (previousWatermark.isPresent() && !beforeFirstUncommitted.isAfter(previousWatermark.get())) {
      return previousWatermark;
    }
    return beforeFirstUncommitted.isBefore(assignment.startDate()) ? previousWatermark : Optional.of(beforeFirstUncommitted);
  }
}
