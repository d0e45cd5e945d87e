package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.assignment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link AssignmentStore} must meet. Extend it and return a fresh, empty store
 * from {@link #newStore()}; the store's assignments may name packages "p1" and "fm" (define them in
 * {@link #newStore()} if your store checks references).
 */
public abstract class AssignmentStoreContract {
  /** The package of the assignments named "p1": monthly from their start. */
  private static final dev.allotment.core.ServicePackage P1 = ContractFixtures.monthly("p1", "10");
  private AssignmentStore store;

  /** A fresh, empty store. */
  protected abstract AssignmentStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  @Test
  void addedAssignmentIsFoundWithEveryField() {
    Assignment a = Assignment.builder("a1").customerId("c1").did("4420123").packageId("fm").quantity(3)
        .startDate(LocalDate.of(2026, 2, 28)).endDate(LocalDate.of(2027, 2, 27)).autoDecrementCredit(true)
        .minutes(250).build();
    assertTrue(store.add(a));
    assertEquals(Optional.of(a), store.find("a1"));
  }

  @Test
  void addIsIdempotentForTheSameTerms() {
    assertTrue(store.add(assignment("a1", "c1", "p1")));
    assertFalse(store.add(assignment("a1", "c1", "p1")));
    assertEquals(1, store.page(Optional.empty(), Optional.empty(), 10).size());
  }

  @Test
  void addWithOtherTermsUnderAHeldIdIsAConflictAndChangesNothing() {
    store.add(assignment("a1", "c1", "p1"));
    assertThrows(KeyConflictException.class, () -> store.add(assignment("a1", "c2", "p1")));
    assertEquals("c1", store.find("a1").orElseThrow().customerId());
  }

  @Test
  void replaceIsACompareAndSet() {
    Assignment original = assignment("a1", "c1", "p1");
    store.add(original);
    Assignment ended = original.withEndDate(LocalDate.of(2026, 6, 30), P1);
    assertTrue(store.replace(original, ended));
    assertEquals(Optional.of(ended), store.find("a1"));
    // The marker is the start of the monthly period holding the new end.
    assertEquals(Optional.of(LocalDate.of(2026, 6, 1)), store.find("a1").orElseThrow().repriceFrom());
    // A second writer still holding the original loses.
    assertFalse(store.replace(original, original.withEndDate(LocalDate.of(2026, 3, 31), P1)));
    assertEquals(Optional.of(ended), store.find("a1"));
    assertTrue(store.replace(ended, ended.withRepricingDone()));
    assertEquals(Optional.empty(), store.find("a1").orElseThrow().repriceFrom());
  }

  @Test
  void replaceOfAnAbsentAssignmentIsFalse() {
    Assignment a = assignment("a1", "c1", "p1");
    assertFalse(store.replace(a, a.withEndDate(LocalDate.of(2026, 6, 30), P1)));
    assertEquals(Optional.empty(), store.find("a1"));
  }

  @Test
  void pagesWalkEveryAssignmentOnceInIdOrder() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String id = String.format("a%03d", i);
      expected.add(id);
      store.add(assignment(id, "c" + (i % 3), "p1"));
    }
    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    List<Assignment> page;
    do {
      page = store.page(Optional.empty(), after, 7);
      page.forEach(a -> seen.add(a.id()));
      after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1).id());
    } while (page.size() == 7);
    assertEquals(expected, seen);
  }

  @Test
  void customerPagesHoldOnlyThatCustomer() {
    for (int i = 0; i < 10; i++) {
      store.add(assignment("a" + i, "c" + (i % 2), "p1"));
    }
    List<Assignment> first = store.page(Optional.of("c1"), Optional.empty(), 3);
    assertEquals(List.of("a1", "a3", "a5"), first.stream().map(Assignment::id).toList());
    List<Assignment> second = store.page(Optional.of("c1"), Optional.of("a5"), 3);
    assertEquals(List.of("a7", "a9"), second.stream().map(Assignment::id).toList());
    assertEquals(List.of(), store.page(Optional.of("nobody"), Optional.empty(), 3));
  }

  @Test
  void pageRejectsANonPositiveLimit() {
    assertThrows(IllegalArgumentException.class, () -> store.page(Optional.empty(), Optional.empty(), 0));
  }

  @Test
  void concurrentWritersOfTheSameIdStoreItOnce() throws Exception {
    AtomicInteger stored = new AtomicInteger();
    ConcurrentRunner.run(4, 100, (thread, i) -> {
      if (store.add(assignment("a" + i, "c1", "p1"))) {
        stored.incrementAndGet();
      }
    });
    assertEquals(100, stored.get());
    assertEquals(100, store.page(Optional.of("c1"), Optional.empty(), 1000).size());
  }

  @Test
  void concurrentCompareAndSetsLetExactlyOneWriterWin() throws Exception {
    Assignment original = assignment("a1", "c1", "p1");
    store.add(original);
    AtomicInteger winners = new AtomicInteger();
    ConcurrentRunner.run(4, 1, (thread, i) -> {
      if (store.replace(original, original.withEndDate(LocalDate.of(2026, 3, 1 + thread), P1))) {
        winners.incrementAndGet();
      }
    });
    assertEquals(1, winners.get());
  }
}
