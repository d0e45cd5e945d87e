package dev.allotment.jdbc;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.ContractFixtures;

/** Packages the contract kit's assignments and lines name, defined so the foreign keys accept them. */
final class Fixtures {
  private Fixtures() {}

  /** Defines "p1" (monthly, USD) and "fm" (free minutes, USD) and returns the stores. */
  static JdbcStores withContractPackages(JdbcStores stores) {
    stores.catalog().define(ContractFixtures.monthly("p1", "10"));
    stores.catalog().define(ServicePackage.builder("fm").name("Free minutes").currency("USD").retail("5")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).build());
    return stores;
  }

  /** {@code line} with retail, unit price and zero cost in {@code amount}'s currency. */
  static ChargeLine withAmounts(ChargeLine line, Money amount) {
    Money zero = Money.zero(amount.currency());
    return new ChargeLine(line.key(), line.customerId(), line.did(), line.packageId(), line.period(), line.dueDate(),
        line.quantity(), amount, zero, line.proration(), amount, zero, line.grantSeconds(), line.grantValidUntil(),
        line.autoDecrement());
  }

  /** {@code line} naming another package. */
  static ChargeLine withPackage(ChargeLine line, String packageId) {
    return new ChargeLine(line.key(), line.customerId(), line.did(), packageId, line.period(), line.dueDate(),
        line.quantity(), line.unitPrice(), line.unitCost(), line.proration(), line.retail(), line.cost(),
        line.grantSeconds(), line.grantValidUntil(), line.autoDecrement());
  }
}
