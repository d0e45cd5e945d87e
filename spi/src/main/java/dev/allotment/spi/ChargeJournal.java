package dev.allotment.spi;

import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of what was charged: every committed line under its idempotency key, per assignment
 * a watermark (the date through which everything due has been decided), and the lines a run
 * intends to commit (see {@link #intend}).
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Thread-safe; several engines may commit the same lines concurrently.
 *   <li>A key is stored at most once. Committing a line whose key is held is a no-op (the first
 *       line stays), never an error and never a second line.
 *   <li>A watermark only moves forward: committing an earlier one leaves the later one.
 *   <li>{@link #commit} is atomic per assignment at least: the lines and the watermark of one
 *       assignment in a call are stored together or not at all, and their pending entries (see
 *       {@link #intend}) go with them. (A JDBC store makes the whole call one transaction.) Lines
 *       of one assignment are committed in the order given.
 *   <li>Storage failures surface as unchecked exceptions.
 * </ul>
 */
public interface ChargeJournal {
  /**
   * What the planner needs of each requested assignment: its watermark W, and every line of it
   * whose due date or period end (exclusive) is on or after the cutoff
   * {@code min(W + 1 day, repriceFrom)}; every line when it has no watermark. Assignments with
   * nothing charged map to {@link ChargeHistory#EMPTY} (or are absent).
   *
   * <p>With monthly or daily charges that is a handful of lines per assignment however old it is,
   * which keeps a run O(new periods).
   */
  Map<String, ChargeHistory> histories(Collection<HistoryRequest> requests);

  /**
   * Stores the lines not held yet and raises watermarks.
   *
   * @param lines lines to store, in commit order
   * @param watermarks new watermark per assignment id
   * @return how many lines were newly stored
   */
  int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks);

  /**
   * Records lines a run is about to commit, before it writes their grants and credit postings.
   * An attempt that never commits them (a crash, a store failing) so leaves a trace: the next run
   * finishes a pending line it plans again, and undoes the side effects of one it no longer plans
   * (an end date moved, a price set to zero), then abandons it; a run for a date before the line's
   * due date leaves it pending, and so does one that plans it but whose credit policy skips it. A
   * key already pending stays as it is; a key already committed is ignored. Atomic per call.
   */
  void intend(List<ChargeLine> lines);

  /**
   * The pending lines (intended, neither committed nor abandoned) of the given assignments, by
   * assignment id; assignments without any are absent. Usually empty: lines are pending from just
   * before an attempt's first side effect until its journal commit, or, when the attempt never got
   * there, until a later run commits or undoes them.
   */
  Map<String, List<ChargeLine>> pending(Collection<String> assignmentIds);

  /** Forgets pending lines whose side effects were undone or never happened; unknown keys are ignored. */
  void abandon(Collection<LineKey> keys);

  /** The line stored under {@code key}. */
  Optional<ChargeLine> find(LineKey key);

  /** Every line of one assignment, in key order (for statements and audits, not for planning). */
  List<ChargeLine> lines(String assignmentId);

  /**
   * One assignment whose history a run needs.
   *
   * @param assignmentId the assignment
   * @param repriceFrom the assignment's reprice marker, see {@link dev.allotment.core.Assignment#repriceFrom()}
   */
  record HistoryRequest(String assignmentId, Optional<LocalDate> repriceFrom) {
    public HistoryRequest {
      java.util.Objects.requireNonNull(assignmentId, "assignmentId");
      java.util.Objects.requireNonNull(repriceFrom, "repriceFrom");
    }

    /** The request for an assignment as stored. */
    public static HistoryRequest of(dev.allotment.core.Assignment assignment) {
      return new HistoryRequest(assignment.id(), assignment.repriceFrom());
    }

    /**
     * The first date a returned line must reach (by due date or period end) given the watermark;
     * empty when every line is needed.
     */
    public Optional<LocalDate> cutoff(Optional<LocalDate> watermark) {
      return ChargeHistory.cutoff(watermark, repriceFrom);
    }

    /** True when {@code line} belongs in the history for this cutoff. */
    public static boolean needed(ChargeLine line, Optional<LocalDate> cutoff) {
      return cutoff.isEmpty() || !line.dueDate().isBefore(cutoff.get())
          || !line.period().endExclusive().isBefore(cutoff.get());
    }
  }
}
