package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.assignment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the in-memory bundle promises beyond the contracts: one store of each kind, as given. */
final class InMemoryStoresTest {
  @Test
  void everyCallReturnsTheSameStore() {
    InMemoryStores stores = new InMemoryStores();
    assertSame(stores.catalog(), stores.catalog());
    assertSame(stores.assignments(), stores.assignments());
    assertSame(stores.journal(), stores.journal());
    assertSame(stores.creditLedger(), stores.creditLedger());
    assertSame(stores.spend(), stores.spend());
    assertSame(stores.freeMinutes(), stores.freeMinutes());
    assertSame(stores.unitOfWork(), stores.unitOfWork());
  }

  @Test
  void theGivenFreeMinuteStoreIsTheOneUsed() {
    InMemoryFreeMinuteStore freeMinutes = new InMemoryFreeMinuteStore(10);
    assertSame(freeMinutes, new InMemoryStores(freeMinutes).freeMinutes());
    assertThrows(NullPointerException.class, () -> new InMemoryStores(null));
  }

  @Test
  void aNullBatchIsRefusedAndChangesNothing() {
    InMemoryStores stores = new InMemoryStores();
    stores.assignments().add(assignment("a1", "c1", "p1"));
    assertThrows(NullPointerException.class, () -> stores.unitOfWork().commit(null));
    assertEquals(BatchResult.committed(0),
        stores.unitOfWork().commit(ChargeBatch.builder().expectedVersions(Map.of("a1", 0L)).build()));
  }

  @Test
  void storesAreSeparateBetweenBundles() {
    InMemoryStores one = new InMemoryStores();
    InMemoryStores other = new InMemoryStores();
    one.assignments().add(assignment("a1", "c1", "p1"));
    assertEquals(BatchResult.refused(java.util.Set.of("a1"), java.util.Set.of()),
        other.unitOfWork().commit(ChargeBatch.builder().expectedVersions(Map.of("a1", 0L)).build()));
  }
}
