package dev.allotment.spi;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.Proration;
import dev.allotment.core.ServicePackage;
import java.time.LocalDate;
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
}
