package dev.allotment.core;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What a run for {@code date} would do: every assignment's plan.
 *
 * <p>Immutable and thread-safe.
 *
 * @param date the run date
 * @param assignments per-assignment plans
 */
public record Plan(LocalDate date, List<AssignmentPlan> assignments) {
  /**
   * Copies the plans.
   *
   * @param date the run date
   * @param assignments per-assignment plans
   */
  public Plan {
    Objects.requireNonNull(date, "date");
    assignments = List.copyOf(assignments);
  }

  /** {@return every line, due and already charged, assignment by assignment} */
  public List<PlannedLine> lines() {
    return assignments.stream().flatMap(a -> a.lines().stream()).toList();
  }

  /** {@return the due lines, in commit order} */
  public List<ChargeLine> due() {
    return assignments.stream().flatMap(a -> a.due().stream()).toList();
  }

  /** {@return the totals of the due lines per currency (retail, cost, margin)} */
  public Totals totals() {
    return Totals.of(due());
  }
}
