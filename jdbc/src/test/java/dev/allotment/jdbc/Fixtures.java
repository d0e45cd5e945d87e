package dev.allotment.jdbc;

import dev.allotment.core.Frequency;
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
}
