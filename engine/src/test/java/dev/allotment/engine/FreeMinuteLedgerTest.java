package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.Frequency;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.LineKind;
import dev.allotment.core.PackageType;
import dev.allotment.core.Planner;
import dev.allotment.core.Refund;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.UnitOfWork;
import dev.allotment.spi.UsageAllocator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class FreeMinuteLedgerTest {
  private static final ZoneId ZONE = ZoneId.of("Europe/London");
  private static final Instant MAR_1 = LocalDate.of(2026, 3, 1).atStartOfDay(ZONE).toInstant();
  private static final Instant APR_1 = LocalDate.of(2026, 4, 1).atStartOfDay(ZONE).toInstant();
  private static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");

  private MutableBillingClock clock;
  private InMemoryStores stores;
  private FreeMinuteLedger ledger;

  @BeforeEach
  void setUp() {
    clock = MutableBillingClock.at(CALL, ZONE);
    stores = new InMemoryStores();
    ledger = FreeMinuteLedger.of(stores.freeMinutes(), stores.unitOfWork(), clock);
  }

  private static Grant.Builder grant(String id, long seconds) {
    return Grant.builder(id).assignmentId("a-" + id).customerId("c").allocatedSeconds(seconds).validFrom(MAR_1)
        .validUntil(APR_1);
  }

  private List<GrantBalance> balances() {
    return ledger.balances("c", CALL);
  }

  @Test
  void aPlannedGrantLineIsConsumedPerMinute() {
    ServicePackage pkg = ServicePackage.builder("uk").name("UK minutes").currency("GBP").retail("5.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44").roundingIncrementSeconds(60)
        .build();
    Assignment assignment = Assignment.builder("a-1").customerId("c").packageId("uk")
        .startDate(LocalDate.of(2026, 3, 1)).minutes(10).build();
    ChargeLine line = Planner.plan(pkg, assignment, ChargeHistory.EMPTY, Map.of(), LocalDate.of(2026, 3, 1))
        .due().stream().filter(l -> l.kind() == LineKind.FREE_MINUTES).findFirst().orElseThrow();

    Grant grant = ledger.grant(line, pkg);
    Consumption c = ledger.consume(UsageRecord.of("u-1", "c", "4420", CALL, 61));

    assertEquals(MAR_1, grant.validFrom());
    assertEquals(120, c.roundedSeconds());
    assertEquals(List.of(new GrantSeconds("a-1/FREE_MINUTES/2026-03-01", 120)), c.takes());
    assertEquals(480, ledger.available("c", Optional.empty(), "4420", CALL));
    assertEquals(0, ledger.available("c", Optional.empty(), "3312", CALL));
    assertEquals(List.of(new GrantBalance(grant, 120)), balances());
    assertEquals(List.of(), ledger.balances("c", APR_1));
  }

  @Test
  void aReplayReturnsTheFirstResultAndConsumesNothing() {
    ledger.addGrants(List.of(grant("g", 100).build()));
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 40);
    Consumption first = ledger.consume(call);
    Consumption replay = ledger.consume(UsageRecord.of("u-1", "c", "4420", CALL, 40));
    assertEquals(first, replay);
    assertEquals(40, balances().get(0).usedSeconds());
  }

  @Test
  void aReusedIdWithDifferentContentIsAConflictAndChangesNothing() {
    ledger.addGrants(List.of(grant("g", 100).build()));
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 40);
    Consumption first = ledger.consume(call);
    List<GrantBalance> before = balances();

    UsageRecord other = UsageRecord.onDid("u-1", "c", "100", "4420", CALL, 40);
    UsageConflictException e = assertThrows(UsageConflictException.class, () -> ledger.consume(other));

    assertTrue(e.getMessage().startsWith("usage 'u-1' is already held for a different call"), e.getMessage());
    assertEquals("u-1", e.usageId());
    assertEquals(before, balances());
    assertEquals(Optional.of(first), ledger.consumption("u-1"));
  }

  @Test
  void aCustomerWithoutGrantsGetsEverythingUncovered() {
    Consumption c = ledger.consume(UsageRecord.of("u-1", "stranger", "4420", CALL, 61));
    assertEquals(61, c.roundedSeconds());
    assertEquals(61, c.uncoveredSeconds());
    assertEquals(List.of(), c.takes());
    assertEquals(0, ledger.available("stranger", Optional.empty(), "4420", CALL));
    assertEquals(List.of(), ledger.balances("stranger", CALL));
    // Recorded: grants added later do not change what the replay says.
    ledger.addGrants(List.of(Grant.builder("late").assignmentId("a").customerId("stranger").allocatedSeconds(100)
        .validFrom(MAR_1).build()));
    assertEquals(c, ledger.consume(UsageRecord.of("u-1", "stranger", "4420", CALL, 61)));
    assertEquals(0, ledger.balances("stranger", CALL).get(0).usedSeconds());
  }

  @Test
  void badInputIsRefusedAndTheLedgerIsUnchanged() {
    ledger.addGrants(List.of(grant("g", 100).build()));
    ledger.consume(UsageRecord.of("u-1", "c", "4420", CALL, 40));
    List<GrantBalance> before = balances();

    assertThrows(IllegalArgumentException.class, () -> ledger.consume(UsageRecord.of("u-2", "c", "4420", CALL, -1)));
    assertThrows(IllegalArgumentException.class, () -> ledger.consume(UsageRecord.of("u-2", "c", "4420", CALL, 90_000)));
    assertThrows(IllegalArgumentException.class, () -> ledger.consume(UsageRecord.of("u-2", "c", "", CALL, 10)));
    assertThrows(IllegalArgumentException.class, () -> ledger.consume(UsageRecord.of("u-2", "c", "+4420", CALL, 10)));
    assertThrows(IllegalArgumentException.class, () -> ledger.available("c", Optional.empty(), "44x", CALL));
    assertThrows(IllegalArgumentException.class, () -> ledger.available("c", Optional.of(""), "4420", CALL));
    assertThrows(NullPointerException.class, () -> ledger.consume(null));

    assertEquals(before, balances());
    assertEquals(Optional.empty(), ledger.consumption("u-2"));
  }

  @Test
  void aDidBoundGrantServesOnlyCallsOnItsDid() {
    ledger.addGrants(List.of(grant("did", 100).did("100").build(), grant("customer", 10).build()));
    Consumption other = ledger.consume(UsageRecord.onDid("u-1", "c", "200", "4420", CALL, 30));
    Consumption own = ledger.consume(UsageRecord.onDid("u-2", "c", "100", "4420", CALL, 30));
    assertEquals(List.of(new GrantSeconds("customer", 10)), other.takes());
    assertEquals(20, other.uncoveredSeconds());
    assertEquals(List.of(new GrantSeconds("did", 30)), own.takes());
  }

  @Test
  void aRefundGivesBackToGrantsStillValidAtTheClocksInstant() {
    ledger.addGrants(List.of(grant("march", 30).build(),
        Grant.builder("forever").assignmentId("a").customerId("c").allocatedSeconds(100).validFrom(MAR_1).build()));
    Consumption c = ledger.consume(UsageRecord.of("u-1", "c", "4420", CALL, 50));
    assertEquals(List.of(new GrantSeconds("march", 30), new GrantSeconds("forever", 20)), c.takes());

    clock.set(APR_1);
    Refund refund = ledger.refund("u-1").orElseThrow();

    assertEquals(APR_1, refund.at());
    assertEquals(List.of(new GrantSeconds("forever", 20)), refund.returned());
    assertEquals(30, refund.lapsedSeconds());
    assertEquals(Optional.empty(), ledger.refund("u-1"));
    assertEquals(Optional.empty(), ledger.consumption("u-1"));
    assertEquals(List.of("forever=0", "march=30"), ledger.balances("c", MAR_1).stream()
        .map(b -> b.grant().id() + "=" + b.usedSeconds()).toList());
  }

  @Test
  void aRefundedCallConsumedAgainTakesTheSameSeconds() {
    ledger.addGrants(List.of(grant("g", 100).build()));
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 40);
    Consumption first = ledger.consume(call);
    ledger.refund("u-1");
    assertEquals(0, balances().get(0).usedSeconds());
    assertEquals(first, ledger.consume(call));
    assertEquals(40, balances().get(0).usedSeconds());
  }

  @Test
  void aStoreFailureReachesTheCaller() {
    FreeMinuteStore failing = mock(FreeMinuteStore.class);
    IllegalStateException failure = new IllegalStateException("database down");
    when(failing.consume(any(), any())).thenThrow(failure);
    FreeMinuteLedger broken = FreeMinuteLedger.of(failing, stores.unitOfWork(), clock);
    assertSame(failure, assertThrows(IllegalStateException.class,
        () -> broken.consume(UsageRecord.of("u-1", "c", "4420", CALL, 40))));
  }

  @Test
  void theLedgerComparesWhatTheStoreHoldsWithWhatIsReported() {
    FreeMinuteStore stub = mock(FreeMinuteStore.class);
    UsageRecord held = UsageRecord.of("u-1", "c", "4420", CALL, 40);
    when(stub.consume(any(), any())).thenReturn(new Consumption(held, 40, List.of()));
    FreeMinuteLedger stubbed = FreeMinuteLedger.of(stub, stores.unitOfWork(), clock);

    assertEquals(40, stubbed.consume(held).roundedSeconds());
    assertThrows(UsageConflictException.class, () -> stubbed.consume(UsageRecord.of("u-1", "c", "4420", CALL, 41)));
  }

  @Test
  void refundsAreTimedByTheInjectedClock() {
    FreeMinuteStore spy = mock(FreeMinuteStore.class);
    when(spy.refund(any(), any())).thenReturn(Optional.empty());
    clock.set(APR_1);
    FreeMinuteLedger.of(spy, stores.unitOfWork(), clock).refund("u-9");
    verify(spy).refund("u-9", APR_1);
  }

  /** The consumption rules are the core's, applied by the store inside its unit of work. */
  @Test
  void theStoreIsHandedTheCoreRulesAsItsAllocator() {
    FreeMinuteStore spy = mock(FreeMinuteStore.class);
    UsageRecord call = UsageRecord.of("u-1", "c", "4420", CALL, 40);
    Grant g = grant("g", 100).build();
    when(spy.consume(eq(call), any())).thenAnswer(invocation -> invocation.<UsageAllocator>getArgument(1)
        .allocate(call, List.of(g), (grant, seconds) -> Math.min(seconds, 30)));

    Consumption c = FreeMinuteLedger.of(spy, stores.unitOfWork(), clock).consume(call);

    assertEquals(List.of(new GrantSeconds("g", 30)), c.takes());
    assertEquals(10, c.uncoveredSeconds());
  }

  /** Grants of the host's own go in one unit of work, all together; a held id keeps its terms. */
  @Test
  void grantsAreAddedInOneUnitOfWorkAndAHeldIdKeepsItsTerms() {
    List<ChargeBatch> batches = new ArrayList<>();
    FreeMinuteLedger recorded = FreeMinuteLedger.of(stores.freeMinutes(), batch -> {
      batches.add(batch);
      return stores.unitOfWork().commit(batch);
    }, clock);
    recorded.addGrants(List.of(grant("g", 100).build()));
    recorded.addGrants(List.of(grant("h", 10).build(), grant("g", 99).build()));

    assertEquals(2, batches.size(), "one unit of work per call");
    assertEquals(List.of("h", "g"), batches.get(1).grants().stream().map(Grant::id).toList());
    assertTrue(batches.get(1).lines().isEmpty() && batches.get(1).postings().isEmpty(), "grants only");
    assertEquals(List.of("g=100", "h=10"), balances().stream()
        .map(b -> b.grant().id() + "=" + b.allocatedSeconds()).toList());
  }

  /** A unit of work that fails adds none of the grants. */
  @Test
  void grantsAreAddedAllOrNone() {
    UnitOfWork failing = mock(UnitOfWork.class);
    IllegalStateException failure = new IllegalStateException("database down");
    when(failing.commit(any())).thenThrow(failure);

    assertSame(failure, assertThrows(IllegalStateException.class, () -> FreeMinuteLedger.of(stores.freeMinutes(),
        failing, clock).addGrants(List.of(grant("g", 100).build(), grant("h", 10).build()))));
    assertEquals(List.of(), balances());
  }
}
