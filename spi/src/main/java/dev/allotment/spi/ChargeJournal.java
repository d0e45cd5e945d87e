package dev.allotment.spi;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The record of what was charged, as the engine reads it: every committed line under its
 * idempotency key and, per assignment, a watermark (the date through which everything due has been
 * decided). Lines and watermarks are written by the {@link UnitOfWork}.
 *
 * <p>Contract for implementations: thread-safe; reads see every committed unit of work; storage
 * failures surface as unchecked exceptions.
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
   *
   * @param requests the assignments, each with its reprice marker
   * @return assignment id to history
   */
  Map<String, ChargeHistory> histories(Collection<HistoryRequest> requests);

  /**
   * Every line of one assignment, in key order: its statement.
   *
   * @param assignmentId the assignment
   * @return its lines, empty when it has none
   */
  List<ChargeLine> lines(String assignmentId);

  /**
   * One assignment whose history a run needs.
   *
   * @param assignmentId the assignment
   * @param repriceFrom the assignment's reprice marker, see {@link Assignment#repriceFrom()}
   */
  record HistoryRequest(String assignmentId, Optional<LocalDate> repriceFrom) {
    /**
     * Every component is required.
     *
     * @param assignmentId the assignment
     * @param repriceFrom the assignment's reprice marker, see {@link Assignment#repriceFrom()}
     */
    public HistoryRequest {
      Objects.requireNonNull(assignmentId, "assignmentId");
      Objects.requireNonNull(repriceFrom, "repriceFrom");
    }

    /**
     * The request for an assignment as stored.
     *
     * @param assignment the assignment
     * @return the request
     */
    public static HistoryRequest of(Assignment assignment) {
      return new HistoryRequest(assignment.id(), assignment.repriceFrom());
    }

    /**
     * The first date a returned line must reach (by due date or period end) given the watermark;
     * empty when every line is needed.
     *
     * @param watermark the assignment's watermark in the journal
     * @return the cutoff, or empty for every line
     */
    public Optional<LocalDate> cutoff(Optional<LocalDate> watermark) {
      return ChargeHistory.cutoff(watermark, repriceFrom);
    }

    /**
     * True when {@code line} belongs in the history for this cutoff.
     *
     * @param line a line of the assignment
     * @param cutoff the cutoff, or empty for every line
     * @return true when the history must hold the line
     */
    public static boolean needed(ChargeLine line, Optional<LocalDate> cutoff) {
      Objects.requireNonNull(line, "line");
      return cutoff.isEmpty() || !line.reach().isBefore(cutoff.get());
    }
  }
}
