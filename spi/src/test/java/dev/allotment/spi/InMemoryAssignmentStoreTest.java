package dev.allotment.spi;

/** The in-memory AssignmentStore runs the contract kit, as every implementation must. */
final class InMemoryAssignmentStoreTest extends AssignmentStoreContract {
  @Override
  protected AssignmentStore newStore() {
    return new InMemoryAssignmentStore();
  }
}
