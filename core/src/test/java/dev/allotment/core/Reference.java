package dev.allotment.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A deliberately naive model of the billing rules, written from {@code domain.md} and the core's
 * design notes without looking at how the core computes them: it decides day by day whether a
 * date is a rule date, walks every day of a range, and prorates with plain fractions. Slow
 * (O(days)) and obviously right, which is what the properties compare the real schedule and
 * planner against.
 */
final class Reference {
  private Reference() {}

  /** The rule of a package, anchored on an assignment's start (empty match = the start's day). */
  record Rule(Frequency frequency, FrequencyMatch match, MonthEnd monthEnd, LocalDate anchor) {
    static Rule of(ServicePackage pkg, Assignment a) {
      return new Rule(pkg.frequency(), pkg.frequencyMatch(), pkg.monthEnd(), a.startDate());
    }

    /** True when {@code date} is a rule date, ignoring the assignment's start and end. */
    boolean matches(LocalDate date) {
      switch (frequency) {
        case DAILY:
          return true;
        case WEEKLY: {
          Set<DayOfWeek> days = match.isEmpty() ? Set.of(anchor.getDayOfWeek()) : match.daysOfWeek();
          return days.contains(date.getDayOfWeek());
        }
        case MONTHLY: {
          Set<Integer> days = match.isEmpty() ? Set.of(anchor.getDayOfMonth()) : match.daysOfMonth();
          int length = date.lengthOfMonth();
          if (days.contains(date.getDayOfMonth())) {
            return true;
          }
          // CLAMP: a day the month lacks falls on its last day
          return monthEnd == MonthEnd.CLAMP && date.getDayOfMonth() == length
              && days.stream().anyMatch(day -> day > length);
        }
        case YEARLY:
          if (date.getMonth() != anchor.getMonth()) {
            return false;
          }
          if (date.getDayOfMonth() == anchor.getDayOfMonth()) {
            return true;
          }
          // 29 February falls on 28 February in common years
          return anchor.getMonthValue() == 2 && anchor.getDayOfMonth() == 29 && !date.isLeapYear()
              && date.getDayOfMonth() == 28;
        default:
          return false;
      }
    }

    /** The first rule date strictly after {@code date} (every rule recurs within about a year). */
    LocalDate nextAfter(LocalDate date) {
      LocalDate d = date.plusDays(1);
      while (!matches(d)) {
        d = d.plusDays(1);
      }
      return d;
    }

    /** The last rule date strictly before {@code date}. */
    LocalDate previousBefore(LocalDate date) {
      LocalDate d = date.minusDays(1);
      while (!matches(d)) {
        d = d.minusDays(1);
      }
      return d;
    }
  }

  /** The occurrences within [from, to], day by day. */
  static List<LocalDate> occurrences(Rule rule, LocalDate from, LocalDate to) {
    List<LocalDate> dates = new ArrayList<>();
    if (rule.frequency() == Frequency.NONE) {
      return dates;
    }
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (rule.matches(d)) {
        dates.add(d);
      }
    }
    return dates;
  }

  /** A billed period as the rules define it. */
  record Period(LocalDate start, LocalDate endExclusive, LocalDate wholeStart, LocalDate wholeEnd, boolean stub,
      boolean cut) {
    long days() {
      return endExclusive.toEpochDay() - start.toEpochDay();
    }

    long wholeDays() {
      return wholeEnd.toEpochDay() - wholeStart.toEpochDay();
    }

    /** {days, ofDays} billed under {@code policy}, or empty when nothing is billed. */
    Optional<long[]> share(FirstPeriod policy) {
      if (stub && policy == FirstPeriod.FREE) {
        return Optional.empty();
      }
      if ((stub || cut) && policy == FirstPeriod.PRORATED) {
        return Optional.of(new long[] {days(), wholeDays()});
      }
      return Optional.of(new long[] {1, 1});
    }
  }

  /**
   * The periods of a recurring rule between start and end (null = open) that start on or before
   * {@code through}.
   */
  static List<Period> periods(Rule rule, LocalDate start, LocalDate end, LocalDate through) {
    List<Period> periods = new ArrayList<>();
    LocalDate endExclusive = end == null ? null : end.plusDays(1);
    LocalDate periodStart = start;
    while (!periodStart.isAfter(through) && (endExclusive == null || periodStart.isBefore(endExclusive))) {
      boolean stub = periodStart.equals(start) && !rule.matches(start);
      LocalDate wholeStart = stub ? rule.previousBefore(start) : periodStart;
      LocalDate next = rule.nextAfter(periodStart);
      boolean cut = endExclusive != null && endExclusive.isBefore(next);
      LocalDate periodEnd = cut ? endExclusive : next;
      periods.add(new Period(periodStart, periodEnd, wholeStart, next, stub, cut));
      periodStart = periodEnd;
    }
    return periods;
  }

  /** {@code unit x quantity x days / ofDays}, exact, then rounded once HALF_UP to the currency. */
  static BigDecimal prorate(Money unit, long quantity, long days, long ofDays) {
    BigDecimal exact = unit.amount().multiply(BigDecimal.valueOf(quantity)).multiply(BigDecimal.valueOf(days));
    return exact.divide(BigDecimal.valueOf(ofDays), unit.currency().getDefaultFractionDigits(), RoundingMode.HALF_UP);
  }

  /**
   * The due lines of a plan from scratch, as comparable text:
   * {@code KIND start..endExclusive due D retail/cost seconds until}.
   */
  static List<String> plan(ServicePackage pkg, Assignment a, Spend spend, LocalDate date) {
    List<String> lines = new ArrayList<>();
    LocalDate start = a.startDate();
    LocalDate end = a.endDate().orElse(null);
    int qty = a.quantity();
    // domain.md: a line whose retail and cost are both zero (once rounded) is not emitted.
    BigDecimal setupRetail = prorate(pkg.setupRetail(), qty, 1, 1);
    BigDecimal setupCost = prorate(pkg.setupCost(), qty, 1, 1);
    if (!start.isAfter(date) && !(setupRetail.signum() == 0 && setupCost.signum() == 0)) {
      lines.add(text(LineKind.SETUP, start, start.plusDays(1), start, setupRetail, setupCost, 0, null));
    }
    if (pkg.frequency() == Frequency.NONE) {
      if (pkg.grantsFreeMinutes() && !start.isAfter(date)) {
        lines.add(text(LineKind.FREE_MINUTES, start, start.plusDays(1), start, BigDecimal.ZERO, BigDecimal.ZERO,
            60L * a.minutes().getAsInt() * qty, end == null ? null : end.plusDays(1)));
      }
      return lines;
    }
    for (Period p : periods(Rule.of(pkg, a), start, end, date)) {
      Optional<long[]> share = p.share(pkg.firstPeriod());
      if (share.isEmpty()) {
        continue;
      }
      long days = share.get()[0];
      long ofDays = share.get()[1];
      if (pkg.minimumSpend()) {
        if (!p.endExclusive().isAfter(date)) {
          BigDecimal spent = spend.spent(a.customerId(), pkg.currency(), new BillingPeriod(p.start(), p.endExclusive()))
              .amount();
          BigDecimal shortfall = minimumSpend(pkg.retail(), qty, days, ofDays, spent);
          if (shortfall.signum() > 0) {
            lines.add(text(LineKind.MINIMUM_SPEND, p.start(), p.endExclusive(), p.endExclusive(), shortfall,
                BigDecimal.ZERO, 0, null));
          }
        }
      } else {
        BigDecimal retail = prorate(pkg.retail(), qty, days, ofDays);
        BigDecimal cost = prorate(pkg.cost(), qty, days, ofDays);
        if (!(retail.signum() == 0 && cost.signum() == 0)) {
          lines.add(text(LineKind.RECURRING, p.start(), p.endExclusive(), p.start(), retail, cost, 0, null));
        }
      }
      if (pkg.grantsFreeMinutes()) {
        long seconds = 60L * a.minutes().getAsInt() * qty * days / ofDays; // rounded down
        if (seconds > 0) {
          lines.add(text(LineKind.FREE_MINUTES, p.start(), p.endExclusive(), p.start(), BigDecimal.ZERO,
              BigDecimal.ZERO, seconds, p.endExclusive()));
        }
      }
    }
    return lines;
  }

  /**
   * max(0, round(retail x qty x f - spend)), with f = days/ofDays, computed the long way: the
   * prorated minimum to 34 significant digits, minus the spend, then rounded. A rational with a
   * denominator of at most 366 is either a terminating decimal or stays far from a rounding tie,
   * so 34 digits decide HALF_UP exactly.
   */
  static BigDecimal minimumSpend(Money retail, long qty, long days, long ofDays, BigDecimal spent) {
    BigDecimal minimum = retail.amount().multiply(BigDecimal.valueOf(qty))
        .multiply(BigDecimal.valueOf(days))
        .divide(BigDecimal.valueOf(ofDays), java.math.MathContext.DECIMAL128);
    BigDecimal shortfall = minimum.subtract(spent)
        .setScale(retail.currency().getDefaultFractionDigits(), RoundingMode.HALF_UP);
    return shortfall.signum() > 0 ? shortfall : BigDecimal.ZERO;
  }

  static String text(ChargeLine l) {
    return text(l.kind(), l.period().start(), l.period().endExclusive(), l.dueDate(), l.retail().amount(),
        l.cost().amount(), l.grantSeconds(), l.grantValidUntil().orElse(null));
  }

  private static String text(LineKind kind, LocalDate start, LocalDate endExclusive, LocalDate due, BigDecimal retail,
      BigDecimal cost, long seconds, LocalDate until) {
    return kind + " " + start + ".." + endExclusive + " due " + due + " " + retail.stripTrailingZeros().toPlainString()
        + "/" + cost.stripTrailingZeros().toPlainString() + " " + seconds + "s until " + until;
  }
}
