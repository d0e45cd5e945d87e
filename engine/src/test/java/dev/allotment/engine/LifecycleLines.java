package dev.allotment.engine;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Shared by {@link LifecycleTableTest} and {@link LifecycleProperties}: a compact text form of
 * journal lines (so a test can state the exact lines it expects, by hand) and the packages of the
 * plan-change and suspension scenarios.
 */
final class LifecycleLines {
  private LifecycleLines() {}

  /**
   * One line as text: {@code KIND start..endExclusive retail/cost} for money lines (SETUP:
   * {@code SETUP day retail/cost}); an adjustment names the start of the line it adjusts and its
   * sequence ({@code ADJUSTMENT#1 start retail/cost}); grants show seconds and validity
   * ({@code FREE_MINUTES start..end 6000s until 2026-05-01}, {@code GRANT_ADJUSTMENT#1 start 2000s until ...}).
   */
  static String show(ChargeLine l) {
    String money = l.retail().amount().toPlainString() + "/" + l.cost().amount().toPlainString();
    String until = l.grantValidUntil().map(d -> " until " + d).orElse(" no expiry");
    return switch (l.kind()) {
      case SETUP -> "SETUP " + l.period().start() + " " + money;
      case RECURRING, MINIMUM_SPEND -> l.kind() + " " + l.period().start() + ".." + l.period().endExclusive() + " "
          + money;
      case ADJUSTMENT -> "ADJUSTMENT#" + l.key().sequence() + " " + l.key().periodStart() + " " + money;
      case FREE_MINUTES -> "FREE_MINUTES " + l.period().start() + ".." + l.period().endExclusive() + " "
          + l.grantSeconds() + "s" + until;
      case GRANT_ADJUSTMENT -> "GRANT_ADJUSTMENT#" + l.key().sequence() + " " + l.key().periodStart() + " "
          + l.grantSeconds() + "s" + until;
    };
  }

  /** The lines as text, in the order given (a journal's is key order). */
  static List<String> show(List<ChargeLine> lines) {
    return lines.stream().map(LifecycleLines::show).toList();
  }

  /** The CHARGED lines of a report as {@code assignmentId KIND ...}, sorted. */
  static List<String> charged(RunReport report) {
    return report.lines(LineStatus.CHARGED).stream().map(p -> p.line().assignmentId() + " " + show(p.line()))
        .sorted().toList();
  }

  /** The DUE lines of a (simulated) report, in the same form as {@link #charged}. */
  static List<String> due(RunReport report) {
    return report.lines(LineStatus.DUE).stream().map(p -> p.line().assignmentId() + " " + show(p.line()))
        .sorted().toList();
  }

  static Instant at(LocalDate day, int hour, int minute) {
    return day.atTime(LocalTime.of(hour, minute)).toInstant(ZoneOffset.UTC);
  }

  // The builders leave firstPeriod unset: PRORATED by default, and a test may set another.
  static ServicePackageBuilder monthlyOnThe1st(String id, String retail, String cost) {
    return ServicePackage.builder(id).name("Monthly " + id).currency("USD").retail(retail).cost(cost)
        .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1));
  }

  static ServicePackageBuilder weeklyMonThu(String id, String retail, String cost) {
    return ServicePackage.builder(id).name("Weekly " + id).currency("USD").retail(retail).cost(cost)
        .frequency(Frequency.WEEKLY).frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY, DayOfWeek.THURSDAY));
  }

  static ServicePackageBuilder daily(String id, String retail, String cost) {
    return ServicePackage.builder(id).name("Daily " + id).currency("USD").retail(retail).cost(cost)
        .frequency(Frequency.DAILY);
  }

  static ServicePackageBuilder withMinutes(ServicePackageBuilder b) {
    return b.types(PackageType.FREE_MINUTES);
  }
}
