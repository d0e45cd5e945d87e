package dev.allotment.spi;

/** The in-memory stores' unit of work runs the contract kit, as every implementation must. */
final class InMemoryUnitOfWorkTest extends UnitOfWorkContract {
  @Override
  protected BillingStores newStores() {
    return new InMemoryStores();
  }
}
