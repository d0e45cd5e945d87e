package dev.allotment.spi;

/** The in-memory stores' credit ledger runs the contract kit, as every implementation must. */
final class InMemoryCreditLedgerTest extends CreditLedgerContract {
  @Override
  protected BillingStores newStores() {
    return new InMemoryStores();
  }
}
