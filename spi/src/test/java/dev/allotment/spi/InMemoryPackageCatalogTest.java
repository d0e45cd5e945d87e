package dev.allotment.spi;

/** The in-memory stores' package catalog runs the contract kit, as every implementation must. */
final class InMemoryPackageCatalogTest extends PackageCatalogContract {
  @Override
  protected BillingStores newStores() {
    return new InMemoryStores();
  }
}
