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
  public Plan {
    Objects.requireNonNull(date, "date");
    assignments = List.copyOf(assignments);
  }

  /** Every line, due and already charged, assignment by assignment. */
  public List<PlannedLine> lines() {
    return assignments.stream().flatMap(a -> a.lines().stream()).toList();
  }

  /** The due lines, in commit order. */
  public List<ChargeLine> due() {
    return assignments.stream().flatMap(a -> a.due().stream()).toList();
  }

  /** Totals of the due lines per currency (retail, cost, margin). */
  public Totals totals() {
    return Totals.of(due());
  }
}
