package dev.allotment.spi;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.FreeMinuteRules;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.Grant;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.Proration;
import dev.allotment.core.ServicePackage;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Values shared by the contract tests. Public so implementations in other modules can use them too.
 *
 * <p><b>What the contracts store.</b> Every contract asks its {@code newStores()} for fresh stores
 * whose assignments, journal, ledger and free-minute store are empty. Their assignments and lines
 * name only the packages of {@link #contractPackages()} ("p1" and "fm", both USD), so a store that
 * checks references defines those in {@code newStores()}; the {@link PackageCatalogContract} allows
 * such predefined packages. Customers are "c1", "c2", "c" (free minutes) and "c-" + the assignment
 * id (the lines of {@link #recurring}); assignment ids are "a1".."a9" and "a-*".
 */
public final class ContractFixtures {
  public static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  /** Free-minute grants of {@link #grant} are valid from here. */
  public static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  /** The start of the calls the contracts consume. */
  public static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");
  /** The package the contracts' assignments and lines name: monthly, USD 10.00. */
  public static final ServicePackage P1 = monthly("p1", "10");
  /** The free-minute package the contracts' assignments may name. */
  public static final ServicePackage FM = ServicePackage.builder("fm").name("Free minutes").currency("USD")
      .retail("5").frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).build();
  /** The free-minute rules as an allocator, as the engine's allocator applies them (without its checks). */
  public static final UsageAllocator RULES = FreeMinuteRules::allocate;

  private ContractFixtures() {}

  /** The packages the contracts' assignments and lines name: define them where references are checked. */
  public static List<ServicePackage> contractPackages() {
    return List.of(P1, FM);
  }

  public static ServicePackage monthly(String id, String retail) {
    return ServicePackage.builder(id).name("Package " + id).currency("USD").retail(retail).cost("1.00")
        .frequency(Frequency.MONTHLY).build();
  }

  /** A customer-level assignment of {@code packageId} from {@link #JAN_1}, open-ended, at version 0. */
  public static Assignment assignment(String id, String customerId, String packageId) {
    return Assignment.builder(id).customerId(customerId).packageId(packageId).startDate(JAN_1).build();
  }

  /** The subject of the lines of {@link #recurring}: customer "c-" + the assignment id, package "p1", quantity 1. */
  public static LineSubject subject(String assignmentId) {
    return new LineSubject(assignmentId, "c-" + assignmentId, Optional.empty(), "p1", 1, false);
  }

  /** A monthly RECURRING line of {@code assignmentId} for the month starting on {@code monthStart}, at no cost. */
  public static ChargeLine recurring(String assignmentId, LocalDate monthStart, String retail) {
    Money unit = usd(retail);
    return ChargeLine.recurring(subject(assignmentId), new BillingPeriod(monthStart, monthStart.plusMonths(1)), unit,
        Money.zero(unit.currency()), Proration.WHOLE);
  }

  /** {@code count} monthly lines of {@code assignmentId} from {@link #JAN_1}, at 10.00 each. */
  public static List<ChargeLine> months(String assignmentId, int count) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(m -> recurring(assignmentId, JAN_1.plusMonths(m), "10.00")).toList();
  }

  /**
   * A grant of {@code seconds} to {@code customerId}, valid from {@link #MAR_1} without end, for
   * every number; of assignment "a-" + the id.
   */
  public static Grant.Builder grant(String id, String customerId, long seconds) {
    return Grant.builder(id).assignmentId("a-" + id.replace('/', '-')).customerId(customerId)
        .allocatedSeconds(seconds).validFrom(MAR_1);
  }

  public static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  public static Money eur(String amount) {
    return Money.of(amount, "EUR");
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
