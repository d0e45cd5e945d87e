package dev.allotment.spi;

/** The in-memory stores' assignment store runs the contract kit, as every implementation must. */
final class InMemoryAssignmentStoreTest extends AssignmentStoreContract {
  @Override
  protected BillingStores newStores() {
    return new InMemoryStores();
  }
}
