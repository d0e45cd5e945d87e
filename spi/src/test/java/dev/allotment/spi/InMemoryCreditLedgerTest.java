package dev.allotment.spi;

/** The in-memory CreditLedger runs the contract kit, as every implementation must. */
final class InMemoryCreditLedgerTest extends CreditLedgerContract {
  @Override
  protected CreditLedger newLedger() {
    return new InMemoryCreditLedger();
  }
}
