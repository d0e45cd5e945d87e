package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Limits;
import dev.allotment.core.Money;
import dev.allotment.core.Planner;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.SpendQuery;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lines coming due: those {@link PackageBilling#upcoming} lists (a simulation), and those a run
 * announces ({@code CHARGE_UPCOMING}): the lines the planner would make by the run's date plus the
 * package's notification days that fall due after the run's date. Setup, recurring and free-minute
 * lines only: a minimum-spend true-up is not known before its period's spend is, and an adjustment
 * is due at once. Planning is pure, so announcing costs one more plan per assignment of a package
 * that announces, and nothing for the others.
 *
 * <p>Thread-safe (stateless).
 */
final class UpcomingLines {
  private UpcomingLines() {}

  /** {@link PackageBilling#upcoming}: the lines of {@code simulation} not charged yet and due on or after {@code from}. */
  static List<ChargeLine> simulated(PackageBilling billing, RunRequest simulation, LocalDate from) {
    List<ChargeLine> upcoming = new ArrayList<>();
    billing.run(simulation, line -> {
      if (line.status() != LineStatus.ALREADY_CHARGED && !line.line().dueDate().isBefore(from)) {
        upcoming.add(line.line());
      }
    });
    return List.copyOf(upcoming);
  }

  static boolean announces(ServicePackage servicePackage) {
    return servicePackage.notificationDays() > 0;
  }

  /** The last day a run on {@code date} announces lines for. */
  static LocalDate horizon(ServicePackage servicePackage, LocalDate date) {
    LocalDate horizon = date.plusDays(servicePackage.notificationDays());
    return horizon.isAfter(Limits.LAST_DATE) ? Limits.LAST_DATE : horizon;
  }

  static List<ChargeLine> of(ServicePackage servicePackage, Assignment assignment, ChargeHistory history,
      Map<SpendQuery, Money> spend, LocalDate date) {
    LocalDate horizon = horizon(servicePackage, date);
    if (!horizon.isAfter(date)) {
      return List.of();
    }
    List<ChargeLine> upcoming = new ArrayList<>(1);
    for (ChargeLine line : Planner.plan(servicePackage, assignment, history, spend, horizon).due()) {
      if (line.dueDate().isAfter(date) && line.kind() != LineKind.MINIMUM_SPEND && !line.kind().isAdjustment()) {
        upcoming.add(line);
      }
    }
    return upcoming;
  }
}
