package dev.allotment.spi;

/** The in-memory stores' charge journal runs the contract kit, as every implementation must. */
final class InMemoryChargeJournalTest extends ChargeJournalContract {
  @Override
  protected BillingStores newStores() {
    return new InMemoryStores();
  }
}
