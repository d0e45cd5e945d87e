package dev.allotment.spi;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.Proration;
import dev.allotment.core.ServicePackage;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Values shared by the contract tests. Public so implementations in other modules can use them too. */
public final class ContractFixtures {
  public static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);

  private ContractFixtures() {}

  public static ServicePackage monthly(String id, String retail) {
    return ServicePackage.builder(id).name("Package " + id).currency("USD").retail(retail).cost("1.00")
        .frequency(Frequency.MONTHLY).build();
  }

  public static Assignment assignment(String id, String customerId, String packageId) {
    return Assignment.builder(id).customerId(customerId).packageId(packageId).startDate(JAN_1).build();
  }

  /** A monthly RECURRING line of {@code assignmentId} for the month starting on {@code monthStart}. */
  public static ChargeLine recurring(String assignmentId, LocalDate monthStart, String retail) {
    Money unit = Money.of(retail, "USD");
    Money zero = Money.zero(unit.currency());
    return new ChargeLine(LineKey.of(assignmentId, LineKind.RECURRING, monthStart), "c-" + assignmentId,
        Optional.empty(), "p1", new BillingPeriod(monthStart, monthStart.plusMonths(1)), monthStart, 1, unit, zero,
        Proration.WHOLE, unit, zero, 0, Optional.empty(), false);
  }

  public static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  /**
   * A mixed catalog that exercises every rule a store must keep: every frequency, weekday and
   * month-day matches, the three first-period policies, setup fees, minimum spend, free minutes
   * with a destination, features, and a second currency (EUR).
   */
  public static List<ServicePackage> mixedCatalog() {
    return List.of(
        ServicePackage.builder("daily").name("Daily").currency("USD").retail("1.10").cost("0.40")
            .frequency(Frequency.DAILY).build(),
        ServicePackage.builder("weekly").name("Weekly").currency("USD").retail("7.00").cost("2.00")
            .frequency(Frequency.WEEKLY).frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY, DayOfWeek.THURSDAY))
            .firstPeriod(FirstPeriod.FULL).build(),
        ServicePackage.builder("monthly").name("Monthly").currency("USD").retail("30.00").cost("12.00")
            .setupRetail("25.00").setupCost("5.00").frequency(Frequency.MONTHLY)
            .frequencyMatch(FrequencyMatch.daysOfMonth(15, 31)).build(),
        ServicePackage.builder("monthly-eur").name("Monthly EUR").currency("EUR").retail("19.99").cost("3.33")
            .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).firstPeriod(FirstPeriod.FREE)
            .build(),
        ServicePackage.builder("yearly").name("Yearly").currency("USD").retail("120.00").cost("20.00")
            .frequency(Frequency.YEARLY).build(),
        ServicePackage.builder("minspend").name("Minimum spend").currency("USD").retail("50.00")
            .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).minimumSpend(true).build(),
        ServicePackage.builder("minutes").name("Free minutes").currency("USD").retail("5.00").cost("1.00")
            .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44|^1").build(),
        ServicePackage.builder("setup-only").name("Setup only").currency("USD").setupRetail("99.00")
            .setupCost("10.00").frequency(Frequency.NONE).features("sip-trunk").build());
  }
}
