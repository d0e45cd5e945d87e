package dev.allotment.spi;

/** The in-memory ChargeJournal runs the contract kit, as every implementation must. */
final class InMemoryChargeJournalTest extends ChargeJournalContract {
  @Override
  protected ChargeJournal newJournal() {
    return new InMemoryChargeJournal();
  }
}
