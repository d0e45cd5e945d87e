package dev.allotment.spi;

/** The in-memory run leases run the contract kit, as every implementation must. */
final class InMemoryRunLeasesTest extends RunLeasesContract {
  @Override
  protected RunLeases newLeases() {
    return new InMemoryRunLeases();
  }
}
