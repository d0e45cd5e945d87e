package dev.allotment.core;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The periods an assignment is billed for: its package's frequency rule, counted from the
 * assignment's {@linkplain Assignment#scheduleAnchor() anchor}, over its active days ([start, end]
 * less its {@linkplain Assignment#suspensions() suspensions}), and what share of each period is billed.
 *
 * <p>The active days fall into runs between suspensions. A suspension cuts the period holding its
 * first day there, exactly as an end date would; a resume opens a stub [resume day, next
 * occurrence), billed like a first period. The first period of a plan change's successor is such a
 * stub too. Those stubs are never free: {@link FirstPeriod#FREE} bills them as {@code PRORATED}.
 * A minimum-spend commitment is always prorated by active days around a suspension, whatever the
 * package's first-period rule, so that a suspension never doubles a period's commitment.
 *
 * <p>Immutable and thread-safe.
 */
public final class AssignmentSchedule {
  private final ServicePackage servicePackage;
  private final List<Run> runs;

  /**
   * Active days [first, last] (last null = open-ended).
   *
   * @param resumed the run opens after a suspension or as a plan change's successor: its stub is never free
   * @param suspendedAfter a suspension, not the end date, ends the run
   */
  private record Run(OccurrenceSchedule schedule, LocalDate first, LocalDate last, boolean resumed,
      boolean fromSuspension, boolean suspendedAfter) {
    boolean holds(LocalDate date) {
      return !date.isBefore(first) && (last == null || !date.isAfter(last));
    }
  }

  private AssignmentSchedule(ServicePackage servicePackage, List<Run> runs) {
    this.servicePackage = servicePackage;
    this.runs = runs;
  }

  /**
   * The schedule of {@code assignment} under {@code servicePackage}.
   *
   * @param servicePackage the assignment's package
   * @param assignment the assignment
   * @return the schedule
   */
  public static AssignmentSchedule of(ServicePackage servicePackage, Assignment assignment) {
    Objects.requireNonNull(servicePackage, "servicePackage");
    Objects.requireNonNull(assignment, "assignment");
    OccurrenceSchedule rule = OccurrenceSchedule.anchored(servicePackage, assignment.scheduleAnchor());
    LocalDate end = assignment.endDate().orElse(null);
    List<Run> runs = new ArrayList<>(assignment.suspensions().size() + 1);
    LocalDate first = assignment.startDate();
    boolean resumed = assignment.previous().isPresent();
    boolean fromSuspension = false;
    for (Suspension suspension : assignment.suspensions()) {
      if (end != null && suspension.from().isAfter(end)) {
        break;
      }
      if (suspension.from().isAfter(first)) {
        LocalDate last = suspension.from().minusDays(1);
        runs.add(new Run(rule.within(first, last), first, last, resumed, fromSuspension, true));
      }
      Optional<LocalDate> on = suspension.resumeOn();
      if (on.isEmpty()) {
        return new AssignmentSchedule(servicePackage, List.copyOf(runs));
      }
      first = on.get().isAfter(first) ? on.get() : first;
      resumed = true;
      fromSuspension = true;
    }
    if (end == null || !first.isAfter(end)) {
      runs.add(new Run(rule.within(first, end), first, end, resumed, fromSuspension, false));
    }
    return new AssignmentSchedule(servicePackage, List.copyOf(runs));
  }

  /**
   * The billed period holding {@code date}, or when {@code date} is suspended, the first billed
   * period after it; empty when none follows, or for frequency NONE.
   *
   * @param date any date
   * @return the period
   */
  public Optional<BilledPeriod> periodOnOrAfter(LocalDate date) {
    for (Run run : runs) {
      if (run.holds(date)) {
        return run.schedule().periodContaining(date);
      }
      if (run.first().isAfter(date)) {
        return run.schedule().firstPeriod();
      }
    }
    return Optional.empty();
  }

  /**
   * The billed period after {@code period}: the next one of its run of active days, or the first of the next run.
   *
   * @param period a period of this schedule
   * @return the next period, or empty after the last one
   */
  public Optional<BilledPeriod> periodAfter(BilledPeriod period) {
    return periodOnOrAfter(period.period().endExclusive());
  }

  /**
   * The billed period starting exactly on {@code periodStart}, if the schedule has one.
   *
   * @param periodStart the start of a period
   * @return the period, or empty (also when the day is suspended or outside [start, end])
   */
  public Optional<BilledPeriod> periodStartingOn(LocalDate periodStart) {
    return runOf(periodStart).flatMap(run -> run.schedule().periodStartingOn(periodStart));
  }

  /**
   * The share of its whole period that {@code billed} bills (see the class comment); empty when it
   * bills nothing (a first stub under {@link FirstPeriod#FREE}).
   *
   * @param billed a period of this schedule
   * @return the share billed, or empty
   */
  public Optional<Proration> proration(BilledPeriod billed) {
    Run run = runOf(billed.period().start()).orElseThrow(
        () -> new IllegalArgumentException("period " + billed.period() + " is not one of this schedule"));
    FirstPeriod policy = servicePackage.firstPeriod();
    boolean minimumSpend = servicePackage.minimumSpend();
    FirstPeriod stubPolicy = run.resumed() && policy == FirstPeriod.FREE ? FirstPeriod.PRORATED : policy;
    if (minimumSpend && run.fromSuspension()) {
      stubPolicy = FirstPeriod.PRORATED;
    }
    boolean cutBySuspension = billed.cut() && run.suspendedAfter();
    FirstPeriod cutPolicy = minimumSpend && cutBySuspension ? FirstPeriod.PRORATED : policy;
    if (billed.stub() && stubPolicy == FirstPeriod.FREE) {
      return Optional.empty();
    }
    boolean prorated = (billed.stub() && stubPolicy == FirstPeriod.PRORATED)
        || (billed.cut() && cutPolicy == FirstPeriod.PRORATED);
    return Optional.of(prorated ? new Proration(billed.period().days(), billed.wholePeriod().days()) : Proration.WHOLE);
  }

  private Optional<Run> runOf(LocalDate date) {
    for (Run run : runs) {
      if (run.holds(date)) {
        return Optional.of(run);
      }
    }
    return Optional.empty();
  }
}
