package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.CALL;
import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.P1;
import static dev.allotment.spi.ContractFixtures.RULES;
import static dev.allotment.spi.ContractFixtures.assignment;
import static dev.allotment.spi.ContractFixtures.eur;
import static dev.allotment.spi.ContractFixtures.grant;
import static dev.allotment.spi.ContractFixtures.recurring;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.LineKey;
import dev.allotment.core.Money;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import dev.allotment.spi.CreditLedger.Posting;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link UnitOfWork} must meet, with the stores it commits to: all or nothing,
 * checks first, keyed and idempotent effects, watermarks that only rise, reprice markers cleared
 * with the version raised, and a version check that holds until the commit against concurrent
 * assignment changes. Extend it and return fresh stores (no assignments, an empty journal, ledger
 * and free-minute store) from {@link #newStores()}, called once per test.
 *
 * <p>Every test starts with assignments "a1" (customer "c1") and "a2" ("c2") at version 0, and
 * USD 50.00 credited to "c1". Lines name package "p1" (see {@link ContractFixtures}).
 *
 * <p>Test methods are public: a store in another package extends this class, and JUnit's handling
 * of package-private test methods inherited across packages has had bugs (junit-framework#5098).
 */
public abstract class UnitOfWorkContract {
  private static final LocalDate FEB_1 = JAN_1.plusMonths(1);
  private static final LocalDate JUN_30 = LocalDate.of(2026, 6, 30);
  private static final Money TOP_UP = usd("50.00");

  private BillingStores stores;

  /** Fresh stores: no assignments, an empty journal, ledger and free-minute store. */
  protected abstract BillingStores newStores();

  @BeforeEach
  public final void setUpStores() {
    stores = newStores();
    stores.assignments().add(assignment("a1", "c1", "p1"));
    stores.assignments().add(assignment("a2", "c2", "p1"));
    stores.creditLedger().credit(new CreditEntry("top-c1", "c1", TOP_UP));
  }

  // ---- fixtures

  private static Posting debit(String key, String customerId, Money amount) {
    return new Posting(new CreditEntry(key, customerId, amount), true);
  }

  private static Posting credit(String key, String customerId, Money amount) {
    return new Posting(new CreditEntry(key, customerId, amount), false);
  }

  private static final ChargeLine A1_JAN = recurring("a1", JAN_1, "10.00");
  private static final ChargeLine A1_FEB = recurring("a1", FEB_1, "10.00");
  private static final ChargeLine A2_JAN = recurring("a2", JAN_1, "10.00");
  private static final Grant G_A1 = grant("g-a1", "c1", 600).build();

  /**
   * A builder holding every kind of effect: three lines of a1 and a2, their watermarks, a grant to
   * c1, two debits of c1 (USD 20.00 in all) and a credit of USD 5.00 to c2. The checks are the
   * caller's to set.
   */
  private static ChargeBatch.Builder effects() {
    return ChargeBatch.builder()
        .lines(List.of(A1_JAN, A1_FEB, A2_JAN))
        .watermarks(Map.of("a1", FEB_1, "a2", JAN_1))
        .grants(List.of(G_A1))
        .postings(List.of(debit(A1_JAN.key().toString(), "c1", usd("10.00")),
            debit(A1_FEB.key().toString(), "c1", usd("10.00")), credit("refund-c2", "c2", usd("5.00"))));
  }

  /** {@link #effects()} planned from a1 and a2 at version 0, needing USD 20.00 of c1. */
  private static ChargeBatch fullBatch() {
    return effects().expectedVersions(Map.of("a1", 0L, "a2", 0L))
        .floors(List.of(new CreditFloor("c1", usd("20.00")))).build();
  }

  private Assignment stored(String id) {
    return stores.assignments().find(id).orElseThrow(() -> new AssertionError("assignment '" + id + "' is gone"));
  }

  private Optional<LocalDate> watermark(String assignmentId) {
    return stores.journal().histories(List.of(new HistoryRequest(assignmentId, Optional.empty())))
        .getOrDefault(assignmentId, ChargeHistory.EMPTY).decidedThrough();
  }

  private Money balance(String customerId) {
    return stores.creditLedger().balance(customerId, usd("0").currency());
  }

  private Set<String> grantIds(String customerId) {
    return stores.freeMinutes().balances(customerId, CALL).stream().map(b -> b.grant().id())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Changes an assignment as a host would between a run's read and its commit. */
  private static void change(BillingStores stores, String id) {
    Assignment held = stores.assignments().find(id).orElseThrow();
    Assignment changed = held.withEndDate(held.endDate().map(d -> d.plusDays(1)).orElse(JUN_30), P1);
    assertTrue(stores.assignments().replace(held, changed).isPresent());
  }

  /**
   * What a batch could touch, as the stores show it: its assignments' lines, watermarks and stored
   * values, its customers' balances in the currencies it names, and their grants. Equal snapshots
   * before and after a commit mean it wrote nothing.
   */
  private record Snapshot(Map<String, List<ChargeLine>> lines, Map<String, Optional<LocalDate>> watermarks,
      Map<String, Optional<Assignment>> assignments, Map<String, Money> balances,
      Map<String, List<GrantBalance>> grants) {}

  private Snapshot snapshot(ChargeBatch batch) {
    Set<String> ids = new TreeSet<>(batch.linesByAssignment().keySet());
    ids.addAll(batch.watermarks().keySet());
    ids.addAll(batch.expectedVersions().keySet());
    Map<String, List<ChargeLine>> lines = new TreeMap<>();
    Map<String, Optional<LocalDate>> watermarks = new TreeMap<>();
    Map<String, Optional<Assignment>> assignments = new TreeMap<>();
    for (String id : ids) {
      lines.put(id, stores.journal().lines(id));
      watermarks.put(id, watermark(id));
      assignments.put(id, stores.assignments().find(id));
    }
    Map<String, Money> balances = new TreeMap<>();
    List<CreditFloor> accounts = new ArrayList<>(batch.floors());
    batch.postings().forEach(p -> accounts.add(new CreditFloor(p.entry().customerId(), p.entry().amount())));
    for (CreditFloor account : accounts) {
      Currency currency = account.minimum().currency();
      balances.put(account.customerId() + " " + currency, stores.creditLedger().balance(account.customerId(), currency));
    }
    Map<String, List<GrantBalance>> grants = new TreeMap<>();
    for (Grant g : batch.grants()) {
      grants.put(g.customerId() + " " + g.validFrom(), stores.freeMinutes().balances(g.customerId(), g.validFrom()));
    }
    return new Snapshot(lines, watermarks, assignments, balances, grants);
  }

  // ---- a batch is written whole

  @Test
  public void aBatchWritesEveryEffect() {
    BatchResult result = stores.unitOfWork().commit(fullBatch());

    assertEquals(BatchResult.committed(3), result);
    assertTrue(result.isCommitted());
    assertEquals(List.of(A1_JAN, A1_FEB), stores.journal().lines("a1"));
    assertEquals(List.of(A2_JAN), stores.journal().lines("a2"));
    assertEquals(Optional.of(FEB_1), watermark("a1"));
    assertEquals(Optional.of(JAN_1), watermark("a2"));
    assertEquals(List.of(new GrantBalance(G_A1, 0)), stores.freeMinutes().balances("c1", CALL));
    assertEquals(usd("30.00"), balance("c1"));
    assertEquals(usd("5.00"), balance("c2"));
    assertEquals(assignment("a1", "c1", "p1"), stored("a1"), "a version check changes no version");
    assertEquals(assignment("a2", "c2", "p1"), stored("a2"));
  }

  @Test
  public void aGrantOfTheBatchServesCalls() {
    stores.unitOfWork().commit(fullBatch());
    assertEquals(60, stores.freeMinutes().consume(UsageRecord.of("u-1", "c1", "4420", CALL, 60), RULES)
        .takenFrom("g-a1"));
  }

  @Test
  public void aBatchOfChecksAloneCommitsAndWritesNothing() {
    ChargeBatch checks = ChargeBatch.builder().expectedVersions(Map.of("a1", 0L))
        .floors(List.of(new CreditFloor("c1", TOP_UP))).build();
    Snapshot before = snapshot(checks);
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(checks));
    assertEquals(before, snapshot(checks));
  }

  @Test
  public void anEmptyBatchCommitsNothing() {
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(ChargeBatch.builder().build()));
  }

  @Test
  public void aFloorExactlyMetAndTheStoredVersionsPass() {
    change(stores, "a1");
    ChargeBatch batch = effects().expectedVersions(Map.of("a1", 1L, "a2", 0L))
        .floors(List.of(new CreditFloor("c1", TOP_UP), new CreditFloor("c2", usd("0")))).build();
    assertEquals(BatchResult.committed(3), stores.unitOfWork().commit(batch));
    assertEquals(usd("30.00"), balance("c1"));
  }

  // ---- checks first: a refused batch writes nothing

  /** A batch the checks refuse: what happens before it, the batch, and what the result names. */
  public enum Refusal {
    STALE_VERSION(s -> change(s, "a1"), UnitOfWorkContract::fullBatch, Set.of("a1"), Set.of()),
    VERSION_AHEAD(s -> { }, () -> effects().expectedVersions(Map.of("a1", 1L, "a2", 0L)).build(), Set.of("a1"),
        Set.of()),
    ABSENT_ASSIGNMENT(s -> { }, () -> effects().expectedVersions(Map.of("a1", 0L, "a2", 0L, "a9", 0L)).build(),
        Set.of("a9"), Set.of()),
    FLOOR_NOT_MET(s -> { }, () -> effects().expectedVersions(Map.of("a1", 0L))
        .floors(List.of(new CreditFloor("c1", usd("50.01")))).build(), Set.of(), Set.of("c1")),
    FLOOR_IN_ANOTHER_CURRENCY(s -> { }, () -> effects()
        .floors(List.of(new CreditFloor("c1", usd("20.00")), new CreditFloor("c1", eur("0.01")))).build(), Set.of(),
        Set.of("c1")),
    FLOOR_ONLY_THE_BATCHS_OWN_CREDIT_WOULD_MEET(s -> { }, () -> effects()
        .floors(List.of(new CreditFloor("c2", usd("5.00")))).build(), Set.of(), Set.of("c2")),
    VERSION_AND_FLOOR(s -> change(s, "a2"), () -> effects().expectedVersions(Map.of("a1", 0L, "a2", 0L))
        .floors(List.of(new CreditFloor("c1", usd("100.00")))).build(), Set.of("a2"), Set.of("c1")),
    EVERY_CHECK(s -> {
      change(s, "a1");
      change(s, "a2");
    }, () -> effects().expectedVersions(Map.of("a1", 0L, "a2", 0L))
        .floors(List.of(new CreditFloor("c1", usd("100.00")), new CreditFloor("c2", usd("0.01")))).build(),
        Set.of("a1", "a2"), Set.of("c1", "c2")),
    STALE_REPRICE(s -> {
      change(s, "a1");
      change(s, "a1");
    }, () -> effects().expectedVersions(Map.of("a1", 1L)).repriced(Set.of("a1")).build(), Set.of("a1"), Set.of());

    final Consumer<BillingStores> before;
    final Supplier<ChargeBatch> batch;
    final Set<String> changed;
    final Set<String> shortOfCredit;

    Refusal(Consumer<BillingStores> before, Supplier<ChargeBatch> batch, Set<String> changed,
        Set<String> shortOfCredit) {
      this.before = before;
      this.batch = batch;
      this.changed = changed;
      this.shortOfCredit = shortOfCredit;
    }
  }

  @ParameterizedTest
  @EnumSource(Refusal.class)
  public void aBatchFailingItsChecksWritesNothingAndNamesWhatFailed(Refusal refusal) {
    refusal.before.accept(stores);
    ChargeBatch batch = refusal.batch.get();
    Snapshot before = snapshot(batch);

    BatchResult result = stores.unitOfWork().commit(batch);

    assertEquals(BatchResult.refused(refusal.changed, refusal.shortOfCredit), result);
    assertFalse(result.isCommitted());
    assertEquals(before, snapshot(batch));
  }

  @Test
  public void aBatchRefusedForAnAssignmentCommitsOnceReplannedFromTheStoredVersion() {
    change(stores, "a1");
    assertEquals(Set.of("a1"), stores.unitOfWork().commit(fullBatch()).changedAssignments());
    ChargeBatch replanned = effects().expectedVersions(Map.of("a1", 1L, "a2", 0L)).build();
    assertEquals(BatchResult.committed(3), stores.unitOfWork().commit(replanned));
  }

  // ---- keyed and idempotent

  @Test
  public void aBatchCommittedTwiceHasItsEffectsOnce() {
    ChargeBatch batch = fullBatch();
    assertEquals(BatchResult.committed(3), stores.unitOfWork().commit(batch));
    Snapshot once = snapshot(batch);

    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(batch));

    assertEquals(once, snapshot(batch));
    assertEquals(3, stores.journal().lines("a1").size() + stores.journal().lines("a2").size());
    assertEquals(usd("30.00"), balance("c1"));
    assertEquals(List.of(new GrantBalance(G_A1, 0)), stores.freeMinutes().balances("c1", CALL));
  }

  @Test
  public void onlyNewLinesAreAddedAndCounted() {
    stores.unitOfWork().commit(ChargeBatch.builder().lines(List.of(A1_JAN)).build());
    ChargeBatch batch = ChargeBatch.builder().lines(List.of(A1_JAN, A1_FEB, A1_FEB, A2_JAN)).build();
    assertEquals(BatchResult.committed(2), stores.unitOfWork().commit(batch));
    assertEquals(List.of(A1_JAN, A1_FEB), stores.journal().lines("a1"));
  }

  @Test
  public void postingsMoveTheBalanceOnlyForNewKeys() {
    ChargeBatch first = ChargeBatch.builder().postings(List.of(debit("top-c1", "c1", usd("10.00")),
        debit("d-1", "c1", usd("10.00")))).build();
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(first));
    assertEquals(usd("40.00"), balance("c1"), "the top-up's key was held: only d-1 moved the balance");

    ChargeBatch second = ChargeBatch.builder().postings(List.of(credit("d-1", "c1", usd("99.00")),
        credit("c-1", "c1", usd("1.50")), debit("d-2", "c1", usd("0.25")))).build();
    stores.unitOfWork().commit(second);
    assertEquals(usd("41.25"), balance("c1"));
    assertTrue(stores.creditLedger().credit(new CreditEntry("top-2", "c1", usd("1.00"))));
    assertFalse(stores.creditLedger().credit(new CreditEntry("d-2", "c1", usd("1.00"))),
        "a key posted by a batch is held for top-ups too");
    assertEquals(usd("42.25"), balance("c1"));
  }

  @Test
  public void grantsHeldAreLeftAsTheyAre() {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(G_A1)));
    stores.freeMinutes().consume(UsageRecord.of("u-1", "c1", "4420", CALL, 100), RULES);
    Grant other = grant("g-a1", "c1", 9_999).did("4420").build();

    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(other, G_A1))));

    assertEquals(List.of(new GrantBalance(G_A1, 100)), stores.freeMinutes().balances("c1", CALL));
  }

  @Test
  public void watermarksOnlyRise() {
    stores.unitOfWork().commit(ChargeBatch.builder().lines(List.of(A1_JAN, A1_FEB))
        .watermarks(Map.of("a1", LocalDate.of(2026, 3, 1))).build());
    assertEquals(BatchResult.committed(1), stores.unitOfWork().commit(ChargeBatch.builder()
        .lines(List.of(recurring("a1", LocalDate.of(2026, 3, 1), "10.00")))
        .watermarks(Map.of("a1", FEB_1, "a2", JAN_1)).build()));
    assertEquals(Optional.of(LocalDate.of(2026, 3, 1)), watermark("a1"));
    assertEquals(Optional.of(JAN_1), watermark("a2"));
    stores.unitOfWork().commit(ChargeBatch.builder().watermarks(Map.of("a1", LocalDate.of(2026, 4, 1))).build());
    assertEquals(Optional.of(LocalDate.of(2026, 4, 1)), watermark("a1"));
  }

  @Test
  public void repricedClearsTheMarkerAndRaisesTheVersion() {
    change(stores, "a1");
    Assignment marked = stored("a1");
    assertTrue(marked.repriceFrom().isPresent());

    ChargeBatch batch = effects().expectedVersions(Map.of("a1", 1L, "a2", 0L)).repriced(Set.of("a1")).build();
    assertEquals(BatchResult.committed(3), stores.unitOfWork().commit(batch));

    assertEquals(marked.withRepricingDone().withVersion(2), stored("a1"));
    assertEquals(0, stored("a2").version(), "only the repriced assignment changes");
    assertEquals(Optional.empty(), stores.assignments().replace(marked, marked),
        "a change from the read before the reprice loses");
    assertEquals(BatchResult.refused(Set.of("a1"), Set.of()), stores.unitOfWork().commit(batch),
        "a replay of the repricing batch finds the version raised");
  }

  /**
   * The law of replays: whatever sequence of batches over a small set of keys is committed (each
   * key again and again, with other content), each line, grant and posting is stored once with
   * its first content, each commit counts exactly its new lines, and each watermark is the highest
   * committed.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  public void everyKeyTakesEffectOnceWithItsFirstContent(long seed) {
    Random random = new Random(seed);
    Map<LineKey, ChargeLine> lines = new TreeMap<>();
    Map<String, Money> postings = new HashMap<>();
    Map<String, Grant> grants = new HashMap<>();
    Map<String, LocalDate> watermarks = new HashMap<>();
    for (int step = 0; step < 20; step++) {
      List<ChargeLine> batchLines = new ArrayList<>();
      for (int n = random.nextInt(5); n > 0; n--) {
        batchLines.add(recurring("a" + (1 + random.nextInt(2)), JAN_1.plusMonths(random.nextInt(6)),
            random.nextBoolean() ? "10.00" : "12.50"));
      }
      List<Posting> batchPostings = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        if (random.nextBoolean()) {
          Money amount = usd(random.nextBoolean() ? "1.00" : "2.25");
          batchPostings.add(random.nextBoolean() ? debit("k-" + k, "c1", amount) : credit("k-" + k, "c1", amount));
        }
      }
      List<Grant> batchGrants = new ArrayList<>();
      for (int g = 0; g < 3; g++) {
        if (random.nextBoolean()) {
          batchGrants.add(grant("g-" + g, "c1", 60 * (1 + random.nextInt(3))).build());
        }
      }
      Map<String, LocalDate> batchWatermarks = new HashMap<>();
      if (random.nextBoolean()) {
        batchWatermarks.put("a1", JAN_1.plusDays(random.nextInt(90)));
      }
      ChargeBatch batch = ChargeBatch.builder().lines(batchLines).postings(batchPostings).grants(batchGrants)
          .watermarks(batchWatermarks).expectedVersions(Map.of("a1", 0L, "a2", 0L)).build();

      int added = 0;
      for (ChargeLine line : batchLines) {
        if (lines.putIfAbsent(line.key(), line) == null) {
          added++;
        }
      }
      batchPostings.forEach(p -> postings.putIfAbsent(p.entry().key(), p.signedAmount()));
      batchGrants.forEach(g -> grants.putIfAbsent(g.id(), g));
      batchWatermarks.forEach((id, date) -> watermarks.merge(id, date, (a, b) -> a.isAfter(b) ? a : b));

      assertEquals(BatchResult.committed(added), stores.unitOfWork().commit(batch), "step " + step + ": " + batch);
    }
    List<ChargeLine> journaled = new ArrayList<>(stores.journal().lines("a1"));
    journaled.addAll(stores.journal().lines("a2"));
    assertEquals(List.copyOf(lines.values()), journaled);
    assertEquals(postings.values().stream().reduce(TOP_UP, Money::plus), balance("c1"));
    assertEquals(grants.values().stream().sorted(Comparator.comparing(Grant::id)).map(g -> new GrantBalance(g, 0))
        .toList(), stores.freeMinutes().balances("c1", CALL));
    assertEquals(Optional.ofNullable(watermarks.get("a1")), watermark("a1"));
  }

  // ---- grant revisions

  private static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");

  private static ChargeBatch revising(GrantRevision... revisions) {
    return ChargeBatch.builder().revisions(List.of(revisions)).build();
  }

  private List<GrantBalance> grantsOfC1(Instant at) {
    return stores.freeMinutes().balances("c1", at);
  }

  @Test
  public void aBatchRevisingAGrantSetsItsAllocationAndValidity() {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(G_A1)));

    assertEquals(BatchResult.committed(0),
        stores.unitOfWork().commit(revising(new GrantRevision("g-a1", 300, Optional.of(APR_1)))));

    Grant revised = grant("g-a1", "c1", 300).validUntil(APR_1).build();
    assertEquals(List.of(new GrantBalance(revised, 0)), grantsOfC1(CALL));
    assertEquals(List.of(), grantsOfC1(APR_1), "no longer valid from the new end on");
    assertEquals(300, stores.freeMinutes().consume(UsageRecord.of("u-1", "c1", "4420", CALL, 500), RULES)
        .takenFrom("g-a1"), "it serves up to its new allocation");

    stores.unitOfWork().commit(revising(new GrantRevision("g-a1", 900, Optional.empty())));
    assertEquals(List.of(new GrantBalance(grant("g-a1", "c1", 900).build(), 300)), grantsOfC1(APR_1),
        "a revision without an end makes it valid for good");
  }

  @Test
  public void aBatchRevisesTheGrantsItAddsAfterAddingThem() {
    ChargeBatch batch = ChargeBatch.builder().grants(List.of(G_A1))
        .revisions(List.of(new GrantRevision("g-a1", 120, Optional.of(APR_1)))).build();
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(batch));
    assertEquals(List.of(new GrantBalance(grant("g-a1", "c1", 120).validUntil(APR_1).build(), 0)),
        grantsOfC1(CALL));
  }

  /**
   * A revision the grant it revises cannot take (ending before the grant starts) fails the batch,
   * also when the batch adds that grant itself: nothing of the batch is written, its line included.
   */
  @Test
  public void aRevisionItsAddedGrantCannotTakeWritesNothingOfTheBatch() {
    ChargeBatch batch = ChargeBatch.builder().lines(List.of(recurring("a1", JAN_1, "10.00"))).grants(List.of(G_A1))
        .revisions(List.of(new GrantRevision("g-a1", 120, Optional.of(Instant.parse("2026-02-01T00:00:00Z")))))
        .build();

    IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> stores.unitOfWork().commit(batch));

    assertTrue(refused.getMessage().toLowerCase(java.util.Locale.ROOT).contains("valid"),
        "the message names the validity: " + refused.getMessage());
    assertEquals(List.of(), stores.journal().lines("a1"), "no line");
    assertEquals(List.of(), grantsOfC1(CALL), "no grant");
  }

  @Test
  public void revisingBelowTheUsedSecondsKeepsTheUsedSecondsAsTheAllocation() {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(G_A1)));
    assertEquals(100, stores.freeMinutes().consume(UsageRecord.of("u-1", "c1", "4420", CALL, 100), RULES)
        .takenFrom("g-a1"));

    stores.unitOfWork().commit(revising(new GrantRevision("g-a1", 40, Optional.of(APR_1))));

    assertEquals(List.of(new GrantBalance(grant("g-a1", "c1", 100).validUntil(APR_1).build(), 100)),
        grantsOfC1(CALL));
    assertEquals(0, stores.freeMinutes().consume(UsageRecord.of("u-2", "c1", "4420", CALL, 60), RULES)
        .takenFrom("g-a1"), "used up");
    assertEquals(100, stores.freeMinutes().refund("u-1", CALL).orElseThrow().returnedSeconds(),
        "a refund gives its seconds back");
    assertEquals(List.of(new GrantBalance(grant("g-a1", "c1", 100).validUntil(APR_1).build(), 0)),
        grantsOfC1(CALL));
  }

  @Test
  public void aRevisionOfAnUnknownGrantIsIgnored() {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(G_A1)));
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(revising(
        new GrantRevision("nope", 1, Optional.of(APR_1)), new GrantRevision("g-a1", 500, Optional.empty()))));
    assertEquals(List.of(new GrantBalance(grant("g-a1", "c1", 500).build(), 0)), grantsOfC1(CALL));
    assertEquals(List.of(), stores.freeMinutes().balances("c", CALL));
  }

  @Test
  public void aBatchFailingItsChecksAppliesNoRevision() {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(G_A1)));
    change(stores, "a1");
    ChargeBatch stale = ChargeBatch.builder().expectedVersions(Map.of("a1", 0L))
        .revisions(List.of(new GrantRevision("g-a1", 60, Optional.of(APR_1)))).build();

    assertEquals(BatchResult.refused(Set.of("a1"), Set.of()), stores.unitOfWork().commit(stale));

    assertEquals(List.of(new GrantBalance(G_A1, 0)), grantsOfC1(CALL));
    assertEquals(List.of(new GrantBalance(G_A1, 0)), grantsOfC1(APR_1));
  }

  @Test
  public void committingTheSameRevisionTwiceLeavesTheSameGrant() {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(G_A1)));
    stores.freeMinutes().consume(UsageRecord.of("u-1", "c1", "4420", CALL, 50), RULES);
    ChargeBatch batch = revising(new GrantRevision("g-a1", 200, Optional.of(APR_1)));

    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(batch));
    List<GrantBalance> once = grantsOfC1(CALL);
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(batch));

    assertEquals(once, grantsOfC1(CALL));
    assertEquals(List.of(new GrantBalance(grant("g-a1", "c1", 200).validUntil(APR_1).build(), 50)), once);
  }

  @Test
  public void twoRevisionsOfOneGrantInOneBatchLeaveItAsTheLast() {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(G_A1)));
    stores.unitOfWork().commit(revising(new GrantRevision("g-a1", 30, Optional.of(APR_1)),
        new GrantRevision("g-a1", 450, Optional.empty())));
    assertEquals(List.of(new GrantBalance(grant("g-a1", "c1", 450).build(), 0)), grantsOfC1(CALL));
  }

  @Test
  public void aValidityEndingAtTheGrantsStartMakesItServeNoCall() {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(G_A1)));
    assertEquals(60, stores.freeMinutes().consume(UsageRecord.of("u-1", "c1", "4420", CALL, 60), RULES)
        .takenFrom("g-a1"));

    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(revising(
        new GrantRevision("g-a1", 600, Optional.of(G_A1.validFrom())))));

    assertEquals(List.of(), grantsOfC1(CALL));
    assertEquals(List.of(), grantsOfC1(G_A1.validFrom()));
    assertEquals(0, stores.freeMinutes().consume(UsageRecord.of("u-2", "c1", "4420", CALL, 60), RULES)
        .coveredSeconds());
    assertEquals(0, stores.freeMinutes().refund("u-1", CALL).orElseThrow().returnedSeconds(),
        "nothing goes back to a grant no longer valid");
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(revising(
        new GrantRevision("g-a1", 600, Optional.of(G_A1.validFrom())))), "revised so again");
    assertEquals(List.of(), grantsOfC1(CALL));
  }

  // ---- concurrency

  /** Item k of the overlapping batches: a line, its watermark, a grant and a posting. */
  private static ChargeLine itemLine(int k) {
    return recurring("a-" + (k % 4), JAN_1.plusMonths(k / 4), "10.00");
  }

  @Test
  @Timeout(120)
  public void concurrentOverlappingBatchesHaveEveryEffectOnce() throws Exception {
    int threads = 4;
    int rounds = 30;
    int window = 6;
    AtomicInteger added = new AtomicInteger();
    ConcurrentLinkedQueue<BatchResult> refused = new ConcurrentLinkedQueue<>();
    ConcurrentRunner.StartLine start = new ConcurrentRunner.StartLine(threads);
    ConcurrentRunner.run(threads, rounds, (thread, round) -> {
      List<ChargeLine> lines = new ArrayList<>();
      Map<String, LocalDate> watermarks = new HashMap<>();
      List<Grant> grants = new ArrayList<>();
      List<Posting> postings = new ArrayList<>();
      for (int k = round + 2 * thread; k < round + 2 * thread + window; k++) {
        ChargeLine line = itemLine(k);
        lines.add(line);
        watermarks.merge(line.assignmentId(), line.period().start(), (a, b) -> a.isAfter(b) ? a : b);
        grants.add(grant("g-" + k, "c", 60).build());
        postings.add(debit("p-" + k, "c1", usd("0.01")));
      }
      ChargeBatch batch = ChargeBatch.builder().lines(lines).watermarks(watermarks).grants(grants)
          .postings(postings).expectedVersions(Map.of("a1", 0L)).floors(List.of(new CreditFloor("c1", usd("1.00"))))
          .build();
      start.await(round);
      BatchResult result = stores.unitOfWork().commit(batch);
      added.addAndGet(result.linesAdded());
      if (!result.isCommitted()) {
        refused.add(result);
      }
    });
    int items = rounds - 1 + 2 * (threads - 1) + window; // items 0 .. 40
    assertEquals(List.of(), List.copyOf(refused));
    assertEquals(items, added.get(), "every line counted by exactly one commit");
    for (int a = 0; a < 4; a++) {
      List<ChargeLine> expected = new ArrayList<>();
      for (int k = a; k < items; k += 4) {
        expected.add(itemLine(k));
      }
      assertEquals(expected, stores.journal().lines("a-" + a));
      assertEquals(Optional.of(expected.get(expected.size() - 1).period().start()), watermark("a-" + a));
    }
    Set<String> grantIds = new TreeSet<>();
    for (int k = 0; k < items; k++) {
      grantIds.add("g-" + k);
    }
    assertEquals(grantIds, grantIds("c"));
    assertEquals(items, stores.freeMinutes().balances("c", CALL).size());
    assertEquals(TOP_UP.minus(usd("0.01").times(items)), balance("c1"));
  }

  /**
   * Per round, a host changes an assignment while a run commits three batches planned from the same
   * read, one of them clearing the reprice marker: the change and the repricing commit cannot both
   * succeed, a batch whose commit started after the version changed is refused, and each batch's
   * effects exist exactly when its result says it committed.
   */
  @Test
  @Timeout(120)
  public void aChangeRacingCommitsFromTheSameReadNeverLetsAStaleBatchIn() throws Exception {
    int rounds = 100;
    int threads = 4;
    List<Assignment> read = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      stores.assignments().add(assignment("r-" + r, "c1", "p1"));
      change(stores, "r-" + r);
      read.add(stored("r-" + r));
    }
    AtomicReferenceArray<BatchResult> results = new AtomicReferenceArray<>(rounds * threads);
    AtomicReferenceArray<Boolean> replaced = new AtomicReferenceArray<>(rounds);
    List<AtomicBoolean> versionChanged = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      versionChanged.add(new AtomicBoolean());
    }
    ConcurrentLinkedQueue<String> lateCommits = new ConcurrentLinkedQueue<>();
    ConcurrentRunner.StartLine start = new ConcurrentRunner.StartLine(threads);
    ConcurrentRunner.run(threads, rounds, (thread, r) -> {
      Assignment planned = read.get(r);
      ChargeBatch batch = thread == 0 ? null : raceBatch(planned, thread);
      start.await(r);
      if (thread == 0) {
        boolean done = stores.assignments().replace(planned, planned.withEndDate(JUN_30.plusMonths(1), P1))
            .isPresent();
        replaced.set(r, done);
        if (done) {
          versionChanged.get(r).set(true);
        }
        return;
      }
      boolean afterChange = versionChanged.get(r).get();
      BatchResult result = stores.unitOfWork().commit(batch);
      results.set(r * threads + thread, result);
      if (result.isCommitted() && afterChange) {
        lateCommits.add("round " + r + ", thread " + thread);
      }
      if (result.isCommitted() && !batch.repriced().isEmpty()) {
        versionChanged.get(r).set(true);
      }
    });

    assertEquals(List.of(), List.copyOf(lateCommits), "commits that started after the version changed");
    Set<String> grantIds = grantIds("c1");
    int committed = 0;
    for (int r = 0; r < rounds; r++) {
      Assignment planned = read.get(r);
      List<ChargeLine> journaled = stores.journal().lines(planned.id());
      for (int thread = 1; thread < threads; thread++) {
        BatchResult result = results.get(r * threads + thread);
        ChargeBatch batch = raceBatch(planned, thread);
        String where = "round " + r + ", thread " + thread + ": " + result;
        if (result.isCommitted()) {
          committed++;
          assertEquals(BatchResult.committed(1), result, where);
        } else {
          assertEquals(BatchResult.refused(Set.of(planned.id()), Set.of()), result, where);
        }
        assertEquals(result.isCommitted(), journaled.contains(batch.lines().get(0)), where);
        assertEquals(result.isCommitted(), grantIds.contains(batch.grants().get(0).id()), where);
      }
      boolean repriced = results.get(r * threads + 1).isCommitted();
      assertNotEquals(replaced.get(r), repriced, "round " + r + ": exactly one of the change and the reprice");
      Assignment now = stored(planned.id());
      assertEquals(2, now.version(), "round " + r);
      assertEquals(repriced, now.repriceFrom().isEmpty(), "round " + r + ": " + now);
    }
    assertEquals(TOP_UP.minus(usd("0.01").times(committed)), balance("c1"), "one posting per committed batch");
  }

  /** A batch of {@code thread} planned from {@code planned}: one line, grant and posting; thread 1's clears the marker. */
  private static ChargeBatch raceBatch(Assignment planned, int thread) {
    ChargeLine line = recurring(planned.id(), JAN_1.plusMonths(thread), "10.00");
    ChargeBatch.Builder b = ChargeBatch.builder().expectedVersionsOf(List.of(planned)).lines(List.of(line))
        .watermarks(Map.of(planned.id(), line.period().start()))
        .grants(List.of(grant("g-" + planned.id() + "-" + thread, "c1", 60).build()))
        .postings(List.of(debit(line.key().toString(), "c1", usd("0.01"))));
    if (thread == 1) {
      b.repriced(Set.of(planned.id()));
    }
    return b.build();
  }
}
