package dev.allotment.core;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Small builders shared by the core tests; every test still states its own expected values. */
final class Fixtures {
  static final String CUSTOMER = "c-1";

  private Fixtures() {}

  static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  /** A MONTHLY package billing on the given days of month, in USD. */
  static ServicePackageBuilder monthly(String retail, int... days) {
    return ServicePackage.builder("p-1").name("Monthly").currency("USD").retail(retail)
        .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(days));
  }

  static AssignmentBuilder assignment(LocalDate start) {
    return Assignment.builder("a-1").customerId(CUSTOMER).packageId("p-1").startDate(start);
  }

  static AssignmentPlan plan(ServicePackage pkg, Assignment assignment, LocalDate date) {
    return Spend.plan(pkg, assignment, ChargeHistory.EMPTY, Spend.NONE, date);
  }

  static AssignmentPlan plan(ServicePackage pkg, Assignment assignment, ChargeHistory history, LocalDate date) {
    return Spend.plan(pkg, assignment, history, Spend.NONE, date);
  }

  /** The due lines of one kind. */
  static List<ChargeLine> due(AssignmentPlan plan, LineKind kind) {
    return plan.due().stream().filter(l -> l.kind() == kind).toList();
  }

  /** Spend the customer made over a period, fixed per period start. */
  static Spend spendOn(Map<LocalDate, String> byPeriodStart) {
    return (customer, currency, period) ->
        Money.of(new BigDecimal(byPeriodStart.getOrDefault(period.start(), "0")), currency);
  }
}
