package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.P1;
import static dev.allotment.spi.ContractFixtures.assignment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Successor;
import dev.allotment.core.Assignment;
import dev.allotment.core.Predecessor;
import dev.allotment.core.Suspension;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link AssignmentStore} must meet. Extend it and return fresh stores with no
 * assignments from {@link #newStores()}, called once per test; the assignments name packages "p1"
 * and "fm" (see {@link ContractFixtures}).
 *
 * <p>Test methods are public: a store in another package extends this class, and JUnit's handling
 * of package-private test methods inherited across packages has had bugs (junit-framework#5098).
 */
public abstract class AssignmentStoreContract {
  private static final LocalDate JUN_30 = LocalDate.of(2026, 6, 30);
  private static final LocalDate APR_1 = LocalDate.of(2026, 4, 1);
  private BillingStores stores;
  private AssignmentStore store;

  /** Fresh stores without assignments. */
  protected abstract BillingStores newStores();

  @BeforeEach
  public final void setUpStore() {
    stores = newStores();
    store = stores.assignments();
  }

  private Assignment stored(String id) {
    return store.find(id).orElseThrow(() -> new AssertionError("assignment '" + id + "' is not stored"));
  }

  // ---- add and find

  @Test
  public void addedAssignmentIsFoundWithEveryFieldAtVersionZero() {
    Assignment a = Assignment.builder("a1").customerId("c1").did("4420123").packageId("fm").quantity(3)
        .startDate(LocalDate.of(2026, 2, 28)).endDate(LocalDate.of(2027, 2, 27)).autoDecrementCredit(true)
        .minutes(250).build();
    assertTrue(store.add(a));
    assertEquals(Optional.of(a), store.find("a1"));
    assertEquals(0, stored("a1").version());
  }

  @ParameterizedTest(name = "given version {0}")
  @ValueSource(longs = {1, 7, Long.MAX_VALUE})
  public void addStoresVersionZeroWhateverTheGivenVersion(long given) {
    Assignment a = assignment("a1", "c1", "p1");
    assertTrue(store.add(a.withVersion(given)));
    assertEquals(a, stored("a1"));
    assertEquals(Optional.of(a.withVersion(1)), store.replace(a, a), "a replace at version 0 succeeds");
  }

  /**
   * A partition's pages hold exactly its customers' assignments, in id order, whatever the page
   * size; the partitions together hold every assignment once.
   */
  @ParameterizedTest(name = "pages of {0}")
  @ValueSource(ints = {1, 4, 50})
  public void pagesOfAPartitionHoldExactlyItsCustomersAssignments(int limit) {
    List<String> all = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Assignment a = assignment(String.format("a%02d", i), "c" + (i % 13), "p1");
      store.add(a);
      all.add(a.id());
    }
    List<String> seen = new java.util.ArrayList<>();
    for (int index = 0; index < 3; index++) {
      List<String> expected = new java.util.ArrayList<>();
      for (String id : all) {
        if (Math.floorMod(stored(id).customerId().hashCode(), 3) == index) {
          expected.add(id);
        }
      }
      List<String> read = new java.util.ArrayList<>();
      Optional<String> after = Optional.empty();
      while (true) {
        List<Assignment> page = store.pageInPartition(index, 3, after, limit);
        page.forEach(a -> read.add(a.id()));
        if (page.size() < limit) {
          break;
        }
        after = Optional.of(page.get(page.size() - 1).id());
      }
      assertEquals(expected, read, "partition " + index + " of 3");
      seen.addAll(read);
    }
    assertEquals(all, seen.stream().sorted().toList(), "every assignment in one partition");
    assertThrows(IllegalArgumentException.class, () -> store.pageInPartition(3, 3, Optional.empty(), 10));
    assertThrows(IllegalArgumentException.class, () -> store.pageInPartition(0, 0, Optional.empty(), 10));
  }

  @Test
  public void unknownIdIsEmpty() {
    assertEquals(Optional.empty(), store.find("nope"));
  }

  @Test
  public void addIsIdempotentForTheSameTermsWhateverTheVersion() {
    Assignment a = assignment("a1", "c1", "p1");
    assertTrue(store.add(a));
    store.replace(a, a);
    assertFalse(store.add(a));
    assertFalse(store.add(a.withVersion(9)));
    assertEquals(a.withVersion(1), stored("a1"), "the stored assignment and its version stay");
    assertEquals(1, store.page(Optional.empty(), Optional.empty(), 10).size());
  }

  public static Stream<Arguments> otherTerms() {
    Assignment a = assignment("a1", "c1", "p1");
    return Stream.of(
        Arguments.of("customer", assignment("a1", "c2", "p1")),
        Arguments.of("package", Assignment.builder("a1").customerId("c1").packageId("fm").startDate(a.startDate())
            .minutes(10).build()),
        Arguments.of("start", Assignment.builder("a1").customerId("c1").packageId("p1")
            .startDate(a.startDate().plusDays(1)).build()),
        Arguments.of("end", a.withEndDate(JUN_30, P1).withRepricingDone()),
        Arguments.of("quantity", Assignment.builder("a1").customerId("c1").packageId("p1").startDate(a.startDate())
            .quantity(2).build()),
        Arguments.of("did", Assignment.builder("a1").customerId("c1").packageId("p1").startDate(a.startDate())
            .did("4420").build()),
        Arguments.of("credit", Assignment.builder("a1").customerId("c1").packageId("p1").startDate(a.startDate())
            .autoDecrementCredit(true).build()));
  }

  @ParameterizedTest(name = "other {0}")
  @MethodSource("otherTerms")
  public void addWithOtherTermsUnderAHeldIdIsAConflictAndChangesNothing(String what, Assignment other) {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    assertThrows(KeyConflictException.class, () -> store.add(other));
    assertEquals(a, stored("a1"));
    assertEquals(List.of(), store.page(Optional.of("c2"), Optional.empty(), 10));
  }

  // ---- replace: a compare-and-set on the version

  @Test
  public void replaceAtTheStoredVersionStoresTheUpdateAtTheNextVersion() {
    Assignment original = assignment("a1", "c1", "p1");
    store.add(original);
    Assignment ended = original.withEndDate(JUN_30, P1);

    Optional<Assignment> replaced = store.replace(stored("a1"), ended);

    assertEquals(Optional.of(ended.withVersion(1)), replaced);
    assertEquals(ended.withVersion(1), stored("a1"));
    // The marker is the start of the monthly period holding the new end, stored with the rest.
    assertEquals(Optional.of(LocalDate.of(2026, 6, 1)), stored("a1").repriceFrom());

    Optional<Assignment> done = store.replace(replaced.orElseThrow(), replaced.orElseThrow().withRepricingDone());
    assertEquals(Optional.of(ended.withRepricingDone().withVersion(2)), done);
    assertEquals(Optional.empty(), stored("a1").repriceFrom());
    assertEquals(2, stored("a1").version());
  }

  @Test
  public void theVersionOfTheUpdatedValueIsIgnored() {
    Assignment original = assignment("a1", "c1", "p1");
    store.add(original);
    Assignment updated = original.withEndDate(JUN_30, P1).withVersion(42);
    assertEquals(Optional.of(updated.withVersion(1)), store.replace(original, updated));
    assertEquals(1, stored("a1").version());
  }

  @ParameterizedTest(name = "expected version {0} against 2")
  @ValueSource(longs = {0, 1, 3, 100})
  public void anExpectedVersionOtherThanTheStoredOneFailsAndChangesNothing(long expected) {
    Assignment original = assignment("a1", "c1", "p1");
    store.add(original);
    Assignment v1 = store.replace(original, original).orElseThrow();
    Assignment v2 = store.replace(v1, v1.withEndDate(JUN_30, P1)).orElseThrow();
    assertEquals(2, v2.version());

    Assignment read = v2.withVersion(expected);
    assertEquals(Optional.empty(), store.replace(read, read.withEndDate(LocalDate.of(2026, 3, 31), P1)));
    assertEquals(v2, stored("a1"));
  }

  @Test
  public void aStaleReadLosesToTheWriteBeforeIt() {
    Assignment read = assignment("a1", "c1", "p1");
    store.add(read);
    Assignment first = store.replace(read, read.withEndDate(JUN_30, P1)).orElseThrow();
    assertEquals(Optional.empty(), store.replace(read, read.withEndDate(LocalDate.of(2026, 3, 31), P1)));
    assertEquals(first, stored("a1"));
  }

  @Test
  public void replaceOfAnAbsentAssignmentIsEmptyAndStoresNothing() {
    Assignment a = assignment("a1", "c1", "p1");
    assertEquals(Optional.empty(), store.replace(a, a.withEndDate(JUN_30, P1)));
    assertEquals(Optional.empty(), store.find("a1"));
  }

  @Test
  public void replaceWithAnotherIdIsRefusedAndChangesNothing() {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    assertThrows(IllegalArgumentException.class, () -> store.replace(a, assignment("a2", "c1", "p1")));
    assertEquals(a, stored("a1"));
    assertEquals(Optional.empty(), store.find("a2"));
  }

  /** The law of the version: a replace succeeds exactly when it expects the stored version, which counts the successes. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  public void theVersionCountsTheReplacesThatExpectedIt(long seed) {
    Random random = new Random(seed);
    Assignment model = assignment("a1", "c1", "p1");
    store.add(model);
    for (int step = 0; step < 30; step++) {
      long expected = Math.max(0, model.version() + random.nextInt(3) - 1);
      Assignment update = random.nextBoolean() ? model.withEndDate(JUN_30.plusDays(step), P1) : model.withoutEndDate(P1);
      Optional<Assignment> result = store.replace(model.withVersion(expected), update);
      if (expected == model.version()) {
        model = update.withVersion(model.version() + 1);
        assertEquals(Optional.of(model), result, "step " + step);
      } else {
        assertEquals(Optional.empty(), result, "step " + step);
      }
      assertEquals(model, stored("a1"), "step " + step);
    }
  }

  // ---- suspensions, predecessor and schedule anchor

  @Test
  public void anAssignmentWithSuspensionsAPredecessorAndAnAnchorRoundTripsEqual() {
    Assignment a = Assignment.builder("a2").customerId("c1").packageId("p1").startDate(LocalDate.of(2026, 3, 1))
        .suspensions(List.of(Suspension.between(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 20)),
            Suspension.from(LocalDate.of(2026, 5, 1))))
        .previous(new Predecessor("a1", "fm")).scheduleAnchor(LocalDate.of(2026, 1, 15)).build();
    assertTrue(store.add(a));
    assertEquals(Optional.of(a), store.find("a2"));
    assertEquals(List.of(a), store.page(Optional.of("c1"), Optional.empty(), 10));
    assertFalse(store.add(a), "the same terms again");

    Assignment resumed = a.withResume(LocalDate.of(2026, 6, 1), P1);
    assertEquals(Optional.of(resumed.withVersion(1)), store.replace(a, resumed));
    assertEquals(resumed.withVersion(1), stored("a2"));
    assertEquals(List.of(Suspension.between(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 20)),
        Suspension.between(LocalDate.of(2026, 5, 1), LocalDate.of(2026, 6, 1))), stored("a2").suspensions());
    assertEquals(LocalDate.of(2026, 1, 15), stored("a2").scheduleAnchor());
  }

  @Test
  public void anAssignmentWithoutThemHasNoSuspensionsNoPredecessorAndIsAnchoredAtItsStart() {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    assertEquals(List.of(), stored("a1").suspensions());
    assertEquals(Optional.empty(), stored("a1").previous());
    assertEquals(a.startDate(), stored("a1").scheduleAnchor());
    Assignment anchoredAtStart = Assignment.builder("a2").customerId("c1").packageId("p1").startDate(JUN_30)
        .scheduleAnchor(JUN_30).build();
    store.add(anchoredAtStart);
    assertEquals(anchoredAtStart, stored("a2"));
  }

  @Test
  public void theMostSuspensionsAnAssignmentMayHoldRoundTrip() {
    List<Suspension> most = new ArrayList<>();
    LocalDate start = LocalDate.of(2020, 1, 1);
    for (int i = 0; i < Suspension.MAX_PER_ASSIGNMENT; i++) {
      LocalDate from = start.plusDays(3L * i + 1);
      most.add(i == Suspension.MAX_PER_ASSIGNMENT - 1 ? Suspension.from(from)
          : Suspension.between(from, from.plusDays(1)));
    }
    Assignment a = Assignment.builder("a1").customerId("c1").packageId("p1").startDate(start).suspensions(most)
        .build();
    store.add(a);
    assertEquals(a, stored("a1"));
    assertEquals(most, stored("a1").suspensions());
  }

  // ---- change: a plan change as one unit of work

  private static Assignment ended(Assignment a) {
    return a.withEndDate(APR_1.minusDays(1), P1);
  }

  private static Assignment successorOf(Assignment a) {
    return Successor.of(a, P1, 2, APR_1);
  }

  private static BillingEvent event(String id) {
    return new BillingEvent(id, EventType.ASSIGNMENT_CHANGED, "c1", Instant.parse("2026-03-15T10:00:00Z"),
        "{\"assignmentId\":\"a1\"}");
  }

  private List<String> eventIds() {
    return stores.events().read(0, 100).stream().map(e -> e.event().id()).toList();
  }

  @Test
  public void changeStoresTheUpdateAndTheSuccessorAndRaisesTheVersion() {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    Assignment successor = successorOf(a);
    assertEquals(Optional.of(new Predecessor("a1", "p1")), successor.previous());
    assertEquals(a.startDate(), successor.scheduleAnchor());

    Optional<Assignment> changed = store.change(a, ended(a), successor, List.of(event("changed-1")));

    assertEquals(Optional.of(ended(a).withVersion(1)), changed);
    assertEquals(ended(a).withVersion(1), stored("a1"));
    assertEquals(successor, stored(successor.id()));
    assertEquals(0, stored(successor.id()).version());
    assertEquals(a.startDate(), stored(successor.id()).scheduleAnchor(), "the predecessor's anchor is kept");
    assertEquals(List.of("a1", successor.id()), store.page(Optional.of("c1"), Optional.empty(), 10).stream()
        .map(Assignment::id).toList());
    assertEquals(List.of("changed-1"), eventIds());
  }

  @Test
  public void changeAtAStaleVersionStoresNothing() {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    Assignment v1 = store.replace(a, a).orElseThrow();

    assertEquals(Optional.empty(), store.change(a, ended(a), successorOf(a), List.of(event("changed-1"))));

    assertEquals(v1, stored("a1"));
    assertEquals(Optional.empty(), store.find(successorOf(a).id()), "no successor");
    assertEquals(List.of(), eventIds(), "no event");
    assertEquals(Optional.of(ended(a).withVersion(2)), store.change(v1, ended(a), successorOf(a), List.of()),
        "from the stored version it succeeds");
  }

  @Test
  public void changeOfAnAbsentAssignmentStoresNothing() {
    Assignment a = assignment("a1", "c1", "p1");
    assertEquals(Optional.empty(), store.change(a, ended(a), successorOf(a), List.of(event("changed-1"))));
    assertEquals(Optional.empty(), store.find("a1"));
    assertEquals(Optional.empty(), store.find(successorOf(a).id()));
    assertEquals(List.of(), eventIds());
  }

  @Test
  public void changeWithASuccessorIdHeldWithOtherTermsIsAConflictAndStoresNothing() {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    Assignment successor = successorOf(a);
    Assignment other = assignment(successor.id(), "c1", "p1");
    store.add(other);

    assertThrows(KeyConflictException.class,
        () -> store.change(a, ended(a), successor, List.of(event("changed-1"))));

    assertEquals(a, stored("a1"), "the expected assignment keeps its version and end");
    assertEquals(other, stored(successor.id()));
    assertEquals(List.of(), eventIds(), "no event");
  }

  @Test
  public void changeWithTheSuccessorHeldWithTheSameTermsLeavesItAndSucceeds() {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    Assignment successor = successorOf(a);
    store.add(successor);
    Assignment heldAtV1 = store.replace(successor, successor).orElseThrow();

    assertEquals(Optional.of(ended(a).withVersion(1)),
        store.change(a, ended(a), successor, List.of(event("changed-1"))));

    assertEquals(ended(a).withVersion(1), stored("a1"));
    assertEquals(heldAtV1, stored(successor.id()), "the held successor is left as it is");
    assertEquals(List.of("changed-1"), eventIds());
  }

  @Test
  public void changeAskedAgainAfterItSucceededFindsTheVersionRaised() {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    store.change(a, ended(a), successorOf(a), List.of(event("changed-1")));
    assertEquals(Optional.empty(), store.change(a, ended(a), successorOf(a), List.of(event("changed-2"))));
    assertEquals(ended(a).withVersion(1), stored("a1"));
    assertEquals(List.of("changed-1"), eventIds());
  }

  @Test
  public void changeWithAnotherIdOrCustomerIsRefusedAndChangesNothing() {
    Assignment a = assignment("a1", "c1", "p1");
    store.add(a);
    assertThrows(IllegalArgumentException.class,
        () -> store.change(a, assignment("a2", "c1", "p1"), successorOf(a), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> store.change(a, assignment("a1", "c2", "p1"), successorOf(a), List.of()));
    assertEquals(a, stored("a1"));
    assertEquals(Optional.empty(), store.find(successorOf(a).id()));
  }

  // ---- pages

  @Test
  public void pagesWalkEveryAssignmentOnceInIdOrderWithItsVersion() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String id = String.format("a%03d", i);
      expected.add(id);
      store.add(assignment(id, "c" + (i % 3), "p1"));
    }
    store.replace(stored("a007"), stored("a007"));
    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    List<Assignment> page;
    do {
      page = store.page(Optional.empty(), after, 7);
      for (Assignment a : page) {
        seen.add(a.id());
        assertEquals(stored(a.id()), a);
      }
      after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1).id());
    } while (page.size() == 7);
    assertEquals(expected, seen);
  }

  @Test
  public void customerPagesHoldOnlyThatCustomer() {
    for (int i = 0; i < 10; i++) {
      store.add(assignment("a" + i, "c" + (i % 2), "p1"));
    }
    List<Assignment> first = store.page(Optional.of("c1"), Optional.empty(), 3);
    assertEquals(List.of("a1", "a3", "a5"), first.stream().map(Assignment::id).toList());
    List<Assignment> second = store.page(Optional.of("c1"), Optional.of("a5"), 3);
    assertEquals(List.of("a7", "a9"), second.stream().map(Assignment::id).toList());
    assertEquals(List.of(), store.page(Optional.of("nobody"), Optional.empty(), 3));
  }

  @ParameterizedTest(name = "limit {0}")
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  public void pageRejectsANonPositiveLimit(int limit) {
    assertThrows(IllegalArgumentException.class, () -> store.page(Optional.empty(), Optional.empty(), limit));
  }

  // ---- concurrency

  @Test
  public void concurrentWritersOfTheSameIdStoreItOnce() throws Exception {
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
  public void concurrentReplacesFromOneReadLetExactlyOneWriterWin() throws Exception {
    int threads = 4;
    int rounds = 50;
    for (int r = 0; r < rounds; r++) {
      store.add(assignment("r" + r, "c1", "p1"));
    }
    AtomicReferenceArray<Assignment> winners = new AtomicReferenceArray<>(rounds);
    AtomicInteger wins = new AtomicInteger();
    ConcurrentRunner.StartLine start = new ConcurrentRunner.StartLine(threads);
    ConcurrentRunner.run(threads, rounds, (thread, r) -> {
      Assignment read = assignment("r" + r, "c1", "p1");
      start.await(r);
      store.replace(read, read.withEndDate(LocalDate.of(2026, 3, 1 + thread), P1)).ifPresent(won -> {
        wins.incrementAndGet();
        winners.set(r, won);
      });
    });
    assertEquals(rounds, wins.get(), "one winner per round");
    for (int r = 0; r < rounds; r++) {
      assertEquals(winners.get(r), stored("r" + r));
      assertEquals(1, stored("r" + r).version());
    }
  }
}
