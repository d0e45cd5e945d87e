package dev.allotment.spi;

/** The in-memory PackageCatalog runs the contract kit, as every implementation must. */
final class InMemoryPackageCatalogTest extends PackageCatalogContract {
  @Override
  protected PackageCatalog newCatalog() {
    return new InMemoryPackageCatalog();
  }
}
