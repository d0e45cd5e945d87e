package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.monthly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PackageCatalog} must meet. Extend it and return fresh stores from
 * {@link #newStores()}, called once per test; their catalog may hold the packages of
 * {@link ContractFixtures#contractPackages()} already (the tests define other ids).
 *
 * <p>Test methods are public: a store in another package extends this class, and JUnit's handling
 * of package-private test methods inherited across packages has had bugs (junit-framework#5098).
 */
public abstract class PackageCatalogContract {
  private PackageCatalog catalog;
  /** What the catalog held before the test. */
  private List<ServicePackage> predefined;

  /** Fresh stores: an empty catalog, or one holding the contract packages only. */
  protected abstract BillingStores newStores();

  @BeforeEach
  public final void setUpCatalog() {
    catalog = newStores().catalog();
    predefined = catalog.all();
  }

  /** The packages the test defined, in the catalog's order. */
  private List<ServicePackage> defined() {
    List<ServicePackage> all = new ArrayList<>(catalog.all());
    all.removeAll(predefined);
    return all;
  }

  @Test
  public void definedPackageIsFoundWithEveryField() {
    ServicePackage p = ServicePackage.builder("cat-uk").name("UK minutes").description("100 free minutes to the UK")
        .currency("GBP").retail("12.345").cost("3").setupRetail("10").setupCost("2").frequency(Frequency.WEEKLY)
        .frequencyMatch(FrequencyMatch.parse("MON,THU")).minimumDays(30).types(PackageType.FREE_MINUTES)
        .destination("^44|^4420").minimumSpend(true).features("voicemail", "ivr").firstPeriod(FirstPeriod.FREE)
        .monthEnd(MonthEnd.SKIP).roundingIncrementSeconds(60).notificationDays(14).lowBalancePercent(20).build();
    catalog.define(p);
    assertEquals(Optional.of(p), catalog.find("cat-uk"));
    assertEquals(14, catalog.find("cat-uk").orElseThrow().notificationDays());
    assertEquals(20, catalog.find("cat-uk").orElseThrow().lowBalancePercent());
  }

  @Test
  public void everyPackageOfTheMixedCatalogIsFoundAsDefined() {
    List<ServicePackage> mixed = ContractFixtures.mixedCatalog();
    mixed.forEach(catalog::define);
    for (ServicePackage p : mixed) {
      assertEquals(Optional.of(p), catalog.find(p.id()));
    }
    assertEquals(mixed.stream().sorted(Comparator.comparing(ServicePackage::id)).toList(), defined());
  }

  @Test
  public void unknownIdIsEmpty() {
    assertEquals(Optional.empty(), catalog.find("cat-nope"));
  }

  @Test
  public void defineIsAnUpsert() {
    catalog.define(monthly("cat-1", "10"));
    catalog.define(monthly("cat-1", "10"));
    catalog.define(monthly("cat-1", "12"));
    assertEquals(List.of(monthly("cat-1", "12")), defined());
    assertEquals(Optional.of(monthly("cat-1", "12")), catalog.find("cat-1"));
  }

  @Test
  public void allListsInIdOrder() {
    catalog.define(monthly("cat-b", "1"));
    catalog.define(monthly("cat-a", "1"));
    catalog.define(monthly("cat-c", "1"));
    assertEquals(List.of("cat-a", "cat-b", "cat-c"), defined().stream().map(ServicePackage::id).toList());
    List<String> ids = catalog.all().stream().map(ServicePackage::id).toList();
    assertEquals(ids.stream().sorted().toList(), ids);
  }

  @Test
  public void concurrentDefinesOfDistinctPackagesAreAllKept() throws Exception {
    ConcurrentRunner.run(4, 50, (thread, i) -> catalog.define(monthly("cat-" + thread + "-" + i, "1")));
    assertEquals(200, defined().size());
    assertTrue(catalog.find("cat-3-49").isPresent());
  }
}
