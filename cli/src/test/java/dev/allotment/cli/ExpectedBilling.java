package dev.allotment.cli;

import dev.allotment.core.Assignment;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines a first run of the sample is due, computed again from the rules as the user guide
 * states them, the simple way: occurrence dates found day by day, periods from one occurrence to
 * the next, stubs and cuts prorated over the whole period they are cut from, every amount rounded
 * once. Nothing here calls the planner or the engine; the tests compare its figures with the CLI's.
 */
final class ExpectedBilling {
  /** One expected line. */
  record Line(String assignmentId, String customerId, String kind, LocalDate due, String currency, BigDecimal retail,
      BigDecimal cost, long grantSeconds, boolean autoDecrement) {}

  /** Totals of one currency. */
  record Totals(long lines, BigDecimal retail, BigDecimal cost) {
    BigDecimal margin() {
      return retail.subtract(cost);
    }
  }

  private ExpectedBilling() {}

  /** Every line due on or before {@code runDate} for the sample, none charged before. */
  static List<Line> due(SampleData.Sample sample, LocalDate runDate) {
    List<Line> lines = new ArrayList<>();
    for (Assignment a : sample.assignments()) {
      ServicePackage p = sample.packages().get(a.packageId());
      lines.addAll(due(p, a, sample, runDate));
    }
    return lines;
  }

  static Map<String, Totals> totals(List<Line> lines) {
    Map<String, Totals> totals = new TreeMap<>();
    for (Line line : lines) {
      totals.merge(line.currency(), new Totals(1, line.retail(), line.cost()),
          (x, y) -> new Totals(x.lines() + y.lines(), x.retail().add(y.retail()), x.cost().add(y.cost())));
    }
    return totals;
  }

  private static List<Line> due(ServicePackage p, Assignment a, SampleData.Sample sample, LocalDate runDate) {
    List<Line> lines = new ArrayList<>();
    String currency = p.currency().getCurrencyCode();
    BigDecimal qty = BigDecimal.valueOf(a.quantity());
    if (a.startDate().isAfter(runDate)) {
      return lines;
    }
    BigDecimal setupRetail = round(p.setupRetail().amount().multiply(qty));
    BigDecimal setupCost = round(p.setupCost().amount().multiply(qty));
    if (setupRetail.signum() != 0 || setupCost.signum() != 0) {
      lines.add(new Line(a.id(), a.customerId(), "SETUP", a.startDate(), currency, setupRetail, setupCost, 0,
          a.autoDecrementCredit()));
    }
    if (p.frequency() == Frequency.NONE) {
      return lines;
    }
    LocalDate end = a.endDate().orElse(null);
    LocalDate start = a.startDate();
    while (!start.isAfter(runDate) && (end == null || !start.isAfter(end))) {
      LocalDate next = start.plusDays(1);
      while (!occurs(p, a, next)) {
        next = next.plusDays(1);
      }
      boolean stub = start.equals(a.startDate()) && !occurs(p, a, start);
      LocalDate wholeStart = start;
      if (stub) {
        do {
          wholeStart = wholeStart.minusDays(1);
        } while (!occurs(p, a, wholeStart));
      }
      LocalDate periodEnd = next;
      boolean cut = end != null && end.plusDays(1).isBefore(next);
      if (cut) {
        periodEnd = end.plusDays(1);
      }
      long days = ChronoUnit.DAYS.between(start, periodEnd);
      long ofDays = ChronoUnit.DAYS.between(wholeStart, next);
      boolean billed = !(stub && p.firstPeriod() == FirstPeriod.FREE);
      if (!((stub || cut) && p.firstPeriod() == FirstPeriod.PRORATED)) {
        days = 1;
        ofDays = 1;
      }
      if (billed) {
        lines.addAll(period(p, a, sample, start, periodEnd, days, ofDays, runDate));
      }
      start = periodEnd;
    }
    return lines;
  }

  private static List<Line> period(ServicePackage p, Assignment a, SampleData.Sample sample, LocalDate start,
      LocalDate endExclusive, long days, long ofDays, LocalDate runDate) {
    List<Line> lines = new ArrayList<>();
    String currency = p.currency().getCurrencyCode();
    BigDecimal share = BigDecimal.valueOf(a.quantity()).multiply(BigDecimal.valueOf(days));
    if (p.minimumSpend()) {
      if (!endExclusive.isAfter(runDate)) {
        BigDecimal spent = sample.spend().stream()
            .filter(s -> s.customerId().equals(a.customerId()) && !s.date().isBefore(start) && s.date().isBefore(endExclusive))
            .map(s -> s.amount().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal shortfall = p.retail().amount().multiply(share).subtract(spent.multiply(BigDecimal.valueOf(ofDays)))
            .divide(BigDecimal.valueOf(ofDays), 2, RoundingMode.HALF_UP);
        if (shortfall.signum() > 0) {
          lines.add(new Line(a.id(), a.customerId(), "MINIMUM_SPEND", endExclusive, currency, shortfall,
              BigDecimal.ZERO.setScale(2), 0, a.autoDecrementCredit()));
        }
      }
    } else {
      BigDecimal retail = p.retail().amount().multiply(share).divide(BigDecimal.valueOf(ofDays), 2, RoundingMode.HALF_UP);
      BigDecimal cost = p.cost().amount().multiply(share).divide(BigDecimal.valueOf(ofDays), 2, RoundingMode.HALF_UP);
      if (retail.signum() != 0 || cost.signum() != 0) {
        lines.add(new Line(a.id(), a.customerId(), "RECURRING", start, currency, retail, cost, 0,
            a.autoDecrementCredit()));
      }
    }
    if (p.types().contains(PackageType.FREE_MINUTES)) {
      long seconds = 60L * a.minutes().getAsInt() * a.quantity() * days / ofDays;
      if (seconds > 0) {
        lines.add(new Line(a.id(), a.customerId(), "FREE_MINUTES", start, currency, BigDecimal.ZERO.setScale(2),
            BigDecimal.ZERO.setScale(2), seconds, a.autoDecrementCredit()));
      }
    }
    return lines;
  }

  /** Whether the package's rule bills on {@code day} (the assignment's start and end aside). */
  static boolean occurs(ServicePackage p, Assignment a, LocalDate day) {
    LocalDate start = a.startDate();
    switch (p.frequency()) {
      case DAILY:
        return true;
      case WEEKLY: {
        java.util.Set<DayOfWeek> days = p.frequencyMatch().isEmpty() ? java.util.Set.of(start.getDayOfWeek())
            : p.frequencyMatch().daysOfWeek();
        return days.contains(day.getDayOfWeek());
      }
      case MONTHLY: {
        java.util.Set<Integer> days = p.frequencyMatch().isEmpty() ? java.util.Set.of(start.getDayOfMonth())
            : p.frequencyMatch().daysOfMonth();
        if (days.contains(day.getDayOfMonth())) {
          return true;
        }
        boolean lastDay = day.getDayOfMonth() == day.lengthOfMonth();
        return p.monthEnd() == MonthEnd.CLAMP && lastDay && days.stream().anyMatch(d -> d > day.lengthOfMonth());
      }
      case YEARLY:
        if (day.getMonth() == start.getMonth() && day.getDayOfMonth() == start.getDayOfMonth()) {
          return true;
        }
        return start.getMonthValue() == 2 && start.getDayOfMonth() == 29 && day.getMonthValue() == 2
            && day.getDayOfMonth() == 28 && !day.isLeapYear();
      default:
        return false;
    }
  }

  private static BigDecimal round(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_UP);
  }
}
