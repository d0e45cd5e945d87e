package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentPlan;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PlannedLine;
import dev.allotment.spi.BillingEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One assignment's plan in a run and how far its due lines got: due lines {@code [0, committed)}
 * are committed (or, simulating, would be); a credit refusal stops the rest.
 *
 * <p>Not thread-safe; confined to the run's committing thread.
 */
final class AssignmentRun {
  final AssignmentPlan plan;
  final List<ChargeLine> due;
  int committed;
  /** The credit policy refused a line; nothing more of this assignment goes in this run. */
  boolean stopped;
  /**
   * Keys this run committed under an earlier plan of the assignment, which changed before the rest
   * was committed: the new plan finds them in the history, and they are still this run's charges.
   */
  Set<LineKey> chargedEarlier = Set.of();
  /**
   * Why the store refused to write this assignment's lines, when it did: nothing of it is committed
   * after {@link #committed}, and the run reports it {@link RunFailure.Stage#WRITING}.
   */
  RuntimeException failure;
  /**
   * Lines falling due after the run's date and within the package's notification days, which the
   * run announces ({@code CHARGE_UPCOMING}); empty when the package announces nothing.
   */
  List<ChargeLine> upcoming = List.of();
  /**
   * The {@code LINE_CHARGED} payloads of the due lines, in their order, when the read-ahead prepared
   * them (see {@link PagePlanner.Page#lineChargedPayloads}); null otherwise.
   */
  List<String> lineChargedPayloads;

  AssignmentRun(AssignmentPlan plan) {
    this.plan = plan;
    this.due = plan.due();
  }

  /** The {@code LINE_CHARGED} event of due line {@code index}, from its prepared payload when there is one. */
  BillingEvent lineCharged(int index, Instant at) {
    ChargeLine line = due.get(index);
    return lineChargedPayloads == null ? EventFactory.lineCharged(line, at)
        : EventFactory.lineCharged(line, lineChargedPayloads.get(index), at);
  }

  Assignment assignment() {
    return plan.assignment();
  }

  String id() {
    return plan.assignment().id();
  }

  String customerId() {
    return plan.assignment().customerId();
  }

  /** The watermark to record once {@link #committed} lines are in, when it is past the one the plan started from. */
  Optional<LocalDate> newWatermark() {
    Optional<LocalDate> watermark = plan.watermarkAfter(committed);
    return watermark.filter(w -> plan.previousWatermark().map(w::isAfter).orElse(true));
  }

  /** True when every due line is committed and the plan re-examined all the reprice marker asks for. */
  boolean clearsRepricing() {
    return plan.assignment().repriceFrom().isPresent() && committed == due.size() && plan.repricingComplete();
  }

  /** The keys this run has committed for the assignment: under earlier plans, and due lines [0, committed). */
  Set<LineKey> chargedInThisRun() {
    Set<LineKey> keys = new HashSet<>(chargedEarlier);
    due.subList(0, committed).forEach(line -> keys.add(line.key()));
    return keys;
  }

  /** {@return the failure the run reports for this assignment, when its lines could not be written} */
  RunFailure reportedFailure() {
    return new RunFailure(id(), customerId(), assignment().packageId(), RunFailure.Stage.WRITING,
        RunFailure.describe(failure));
  }

  /**
   * The plan's line {@code planned} with its final status in a run of the given mode; null for a
   * due line of a failed assignment that was not committed (the report leaves it out: its failure
   * stands for it).
   */
  PlannedLine withFinalStatus(PlannedLine planned, int dueIndex, boolean charge) {
    if (planned.status() == LineStatus.ALREADY_CHARGED && charge && chargedEarlier.contains(planned.line().key())) {
      return planned.withStatus(LineStatus.CHARGED);
    }
    if (planned.status() != LineStatus.DUE) {
      return planned;
    }
    if (dueIndex >= committed && failure != null) {
      return null;
    }
    if (dueIndex >= committed) {
      return planned.withStatus(LineStatus.SKIPPED_NO_CREDIT);
    }
    return charge ? planned.withStatus(LineStatus.CHARGED) : planned;
  }
}
