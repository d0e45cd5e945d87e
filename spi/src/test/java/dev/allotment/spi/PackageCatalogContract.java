package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.monthly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.ServicePackage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PackageCatalog} must meet. Extend it and return a fresh, empty catalog
 * from {@link #newCatalog()}.
 */
public abstract class PackageCatalogContract {
  private PackageCatalog catalog;

  /** A fresh, empty catalog. */
  protected abstract PackageCatalog newCatalog();

  @BeforeEach
  void setUpCatalog() {
    catalog = newCatalog();
  }

  @Test
  void definedPackageIsFoundWithEveryField() {
    ServicePackage p = ServicePackage.builder("fm-uk").name("UK minutes").description("100 free minutes to the UK")
        .currency("GBP").retail("12.345").cost("3").setupRetail("10").setupCost("2")
        .frequency(dev.allotment.core.Frequency.WEEKLY)
        .frequencyMatch(dev.allotment.core.FrequencyMatch.parse("MON,THU")).minimumDays(30)
        .types(dev.allotment.core.PackageType.FREE_MINUTES).destination("^44|^4420").minimumSpend(true)
        .features("voicemail", "ivr").firstPeriod(dev.allotment.core.FirstPeriod.FREE)
        .monthEnd(dev.allotment.core.MonthEnd.SKIP).roundingIncrementSeconds(60).build();
    catalog.define(p);
    assertEquals(Optional.of(p), catalog.find("fm-uk"));
  }

  @Test
  void unknownIdIsEmpty() {
    assertEquals(Optional.empty(), catalog.find("nope"));
  }

  @Test
  void defineIsAnUpsert() {
    catalog.define(monthly("p1", "10"));
    catalog.define(monthly("p1", "10"));
    catalog.define(monthly("p1", "12"));
    assertEquals(List.of(monthly("p1", "12")), catalog.all());
  }

  @Test
  void allListsInIdOrder() {
    catalog.define(monthly("b", "1"));
    catalog.define(monthly("a", "1"));
    catalog.define(monthly("c", "1"));
    assertEquals(List.of("a", "b", "c"), catalog.all().stream().map(ServicePackage::id).toList());
  }

  @Test
  void concurrentDefinesOfDistinctPackagesAreAllKept() throws Exception {
    ConcurrentRunner.run(4, 50, (thread, i) -> catalog.define(monthly("p-" + thread + "-" + i, "1")));
    assertEquals(200, catalog.all().size());
    assertTrue(catalog.find("p-3-49").isPresent());
  }
}
