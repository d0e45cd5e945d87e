package dev.allotment.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A {@link BatchResult} says either "committed, n lines new" or "refused, because"; never both. */
final class BatchResultTest {
  @Test
  void aCommittedBatchNamesNothing() {
    BatchResult result = BatchResult.committed(3);
    assertTrue(result.isCommitted());
    assertEquals(new BatchResult(3, Set.of(), Set.of()), result);
  }

  @ParameterizedTest(name = "changed {0}, short {1}")
  @CsvSource({"a1, ''", "'', c1", "a1, c1"})
  void aRefusedBatchNamesWhyAndAddedNothing(String changed, String shortOf) {
    Set<String> changedSet = changed.isEmpty() ? Set.of() : Set.of(changed);
    Set<String> shortSet = shortOf.isEmpty() ? Set.of() : Set.of(shortOf);
    BatchResult result = BatchResult.refused(changedSet, shortSet);
    assertFalse(result.isCommitted());
    assertEquals(0, result.linesAdded());
    assertEquals(changedSet, result.changedAssignments());
    assertEquals(shortSet, result.shortOfCredit());
  }

  @Test
  void aRefusalWithoutAReasonIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BatchResult.refused(Set.of(), Set.of()));
  }

  @Test
  void aRefusedBatchWithLinesOrANegativeCountIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BatchResult(1, Set.of("a1"), Set.of()));
    assertThrows(IllegalArgumentException.class, () -> new BatchResult(1, Set.of(), Set.of("c1")));
    assertThrows(IllegalArgumentException.class, () -> BatchResult.committed(-1));
  }

  @Test
  void theNamesAreCopied() {
    java.util.Set<String> changed = new java.util.HashSet<>(Set.of("a1"));
    BatchResult result = BatchResult.refused(changed, Set.of());
    changed.add("a2");
    assertEquals(Set.of("a1"), result.changedAssignments());
  }

  @Test
  void aFloorNamesACustomer() {
    assertThrows(IllegalArgumentException.class, () -> new CreditFloor(" ", ContractFixtures.usd("1.00")));
    assertThrows(NullPointerException.class, () -> new CreditFloor("c1", null));
  }
}
