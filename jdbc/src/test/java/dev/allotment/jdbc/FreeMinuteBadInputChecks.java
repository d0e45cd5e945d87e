package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.DestinationPattern;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.FreeMinuteStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input reaching the free-minute store, or a grant of a batch, is refused with an error naming
 * the value, and its transaction leaves nothing behind; so does a database failure half-way through
 * a consumption or a refund, and so does an allocator's exception.
 */
abstract class FreeMinuteBadInputChecks {
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");

  private JdbcStores stores;
  private FreeMinuteStore store;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStore() {
    stores = db().freshStores();
    store = stores.freeMinutes();
  }

  private void add(Grant... grants) {
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(grants)));
  }

  private long used(String grantId) {
    return Fixtures.usedSeconds(db().dataSource(), grantId);
  }

  private static Grant.Builder grant(String id, Instant validFrom) {
    return Grant.builder(id).assignmentId("a").customerId("c").allocatedSeconds(100).validFrom(validFrom);
  }

  private static Grant.Builder grant(String id) {
    return grant(id, MAR_1);
  }

  private static void refused(Executable executable, String... named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
    for (String text : named) {
      assertTrue(e.getMessage().contains(text), () -> "'" + e.getMessage() + "' should name " + text);
    }
  }

  /** Rows in the free-minute tables, counted past the store. */
  private long rows() throws SQLException {
    long total = 0;
    try (Connection connection = db().dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : List.of(FreeMinuteSql.GRANTS, FreeMinuteSql.USAGES, FreeMinuteSql.TAKES)) {
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          total += rs.getLong(1);
        }
      }
    }
    return total;
  }

  /**
   * Core refuses a destination longer than the column before any grant can carry it, so the store
   * never sees one; the longest pattern core accepts fits the column and is stored exactly.
   */
  @Test
  void destinationsAreBoundedBeforeTheStoreAndTheLongestIsStored() throws SQLException {
    assertEquals(DestinationPattern.MAX_LENGTH, Columns.DESTINATION_LENGTH, "core's bound is the column's");
    String pattern = "^" + "4".repeat(Columns.DESTINATION_LENGTH);
    refused(() -> grant("long").destination(pattern), "destination", "at most " + Columns.DESTINATION_LENGTH);
    assertEquals(0, rows());
    Grant longest = grant("longest").destination(pattern.substring(1)).build();
    add(longest);
    assertEquals(List.of(new GrantBalance(longest, 0)), store.balances("c", CALL));
  }

  @Test
  void anInstantFinerThanAMicrosecondIsRefused() throws SQLException {
    Instant nanos = MAR_1.plusNanos(1);
    // Core's Grant builder refuses it (Limits.instant), before any store: every store alike.
    refused(() -> add(grant("good").build(), grant("fine", nanos).build()),
        "validFrom", nanos.toString(), "microseconds");
    assertEquals(0, rows(), "no grant of the batch is stored");
    add(grant("g").build());
    long before = rows();
    refused(() -> store.consume(UsageRecord.of("u1", "c", "4420", CALL.plusNanos(500), 40), ContractFixtures.RULES),
        "start", CALL.plusNanos(500).toString(), "microseconds");
    assertEquals(before, rows());
    assertEquals(0, used("g"));
  }

  @Test
  void anInstantOutsideTheColumnIsRefused() throws SQLException {
    Instant far = Instant.parse("+10000-01-01T00:00:00Z");
    refused(() -> add(grant("good").build(), grant("far").validUntil(far).build()),
        "validUntil", far.toString());
    Instant early = Instant.parse("-0001-12-31T00:00:00Z");
    refused(() -> add(grant("early", early).build()), "validFrom", early.toString());
    refused(() -> store.consume(UsageRecord.of("u1", "c", "4420", far, 40), ContractFixtures.RULES), "start");
    assertEquals(0, rows());
  }

  @Test
  void negativeSecondsAreRefusedAndChangeNothing() {
    add(grant("g").build());
    store.consume(UsageRecord.of("u0", "c", "4420", CALL, 30), ContractFixtures.RULES);
    refused(() -> store.consume(UsageRecord.of("u1", "c", "4420", CALL, 40),
        (usage, grants, taker) -> {
          taker.take(grants.get(0), 10);
          taker.take(grants.get(0), -5);
          throw new AssertionError("a negative take must fail");
        }), "seconds", "-5");
    assertEquals(30, used("g"));
    assertEquals(Optional.empty(), store.consumption("u1"));
  }

  @Test
  void idsLongerThanTheirColumnsAreUnknownNotADatabaseError() {
    String longUsage = "u".repeat(Columns.ID_LENGTH + 1);
    assertEquals(Optional.empty(), store.consumption(longUsage));
    assertEquals(Optional.empty(), store.refund(longUsage, CALL));
    assertEquals(List.of(), store.balances("c".repeat(Columns.ID_LENGTH + 1), CALL));
  }

  /**
   * The store records what the allocator returns: the engine's allocator checks its result against
   * its takes, once, so the store does not check it again.
   */
  @Test
  void theAllocatorsResultIsRecordedAsItSays() {
    add(grant("g").build());
    UsageRecord call = UsageRecord.of("u1", "c", "4420", CALL, 40);
    Consumption said = new Consumption(call, 60, List.of(new GrantSeconds("g", 25)));
    assertEquals(said, store.consume(call, (usage, grants, taker) -> {
      taker.take(grants.get(0), 30);
      return said;
    }));
    assertEquals(Optional.of(said), store.consumption("u1"));
    assertEquals(30, used("g"), "what was taken stays taken");
  }

  @Test
  void anAllocatorsExceptionIsRethrownAsItWasAndUndoesItsTakes() {
    add(grant("g").build());
    IllegalStateException thrown = new IllegalStateException("the allocator gives up");
    assertSame(thrown, assertThrows(IllegalStateException.class, () -> store.consume(
        UsageRecord.of("u1", "c", "4420", CALL, 40), (usage, grants, taker) -> {
          taker.take(grants.get(0), 40);
          throw thrown;
        })));
    assertEquals(0, used("g"));
    assertEquals(Optional.empty(), store.consumption("u1"));
  }

  @Test
  void aTakeOfAGrantOfAnotherCustomerIsRefusedAndUndone() {
    Grant mine = grant("mine").build();
    Grant theirs = Grant.builder("theirs").assignmentId("a").customerId("other").allocatedSeconds(100)
        .validFrom(MAR_1).build();
    Grant expired = grant("expired").validUntil(CALL).build();
    add(mine, theirs, expired);
    for (Grant foreign : List.of(theirs, expired, grant("mine").did("1").build())) {
      refused(() -> store.consume(UsageRecord.of("u1", "c", "4420", CALL, 40), (usage, grants, taker) -> {
        taker.take(mine, 10);
        taker.take(foreign, 10);
        throw new AssertionError("a foreign grant must be refused");
      }), "'" + foreign.id() + "'");
    }
    assertEquals(0, used("mine"));
    assertEquals(0, used("theirs"));
    assertEquals(Optional.empty(), store.consumption("u1"));
  }

  @Test
  void aTakerKeptBeyondItsConsumptionIsRefused() {
    Grant g = grant("g").build();
    add(g);
    AtomicReference<GrantTaker> kept = new AtomicReference<>();
    store.consume(UsageRecord.of("u1", "c", "4420", CALL, 40), (usage, grants, taker) -> {
      kept.set(taker);
      return ContractFixtures.RULES.allocate(usage, grants, taker);
    });
    assertThrows(IllegalStateException.class, () -> kept.get().take(g, 10));
    assertEquals(40, used("g"));
  }

  @Test
  void aFailureAfterTheTakeRollsBackTheWholeConsumption() {
    add(grant("g").build());
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    FreeMinuteStore broken = JdbcStores.builder(failing).migrateOnStart(false).build().freeMinutes();
    failing.failOn("INSERT INTO " + FreeMinuteSql.TAKES);
    UsageRecord call = UsageRecord.of("u1", "c", "4420", CALL, 40);
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> broken.consume(call, ContractFixtures.RULES));
    assertEquals(Optional.of(FailingDataSource.STATE), e.sqlState());
    assertTrue(e.getMessage().contains("consume usage 'u1'"), e.getMessage());
    assertEquals(0, used("g"));
    assertEquals(Optional.empty(), store.consumption("u1"));
    // Once the database is well again, the same call is consumed in full.
    assertEquals(List.of(new GrantSeconds("g", 40)), store.consume(call, ContractFixtures.RULES).takes());
  }

  @Test
  void aFailureInsideATakeReachesTheCallerEvenIfTheAllocatorSwallowsIt() {
    add(grant("g").build());
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    FreeMinuteStore broken = JdbcStores.builder(failing).migrateOnStart(false).build().freeMinutes();
    failing.failOn("UPDATE " + FreeMinuteSql.GRANTS);
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> broken.consume(
        UsageRecord.of("u1", "c", "4420", CALL, 40), (usage, grants, taker) -> {
          try {
            taker.take(grants.get(0), 40);
          } catch (RuntimeException swallowed) {
            // a careless allocator
          }
          return new Consumption(usage, 40, List.of());
        }));
    assertEquals(Optional.of(FailingDataSource.STATE), e.sqlState());
    assertEquals(0, used("g"));
    assertEquals(Optional.empty(), store.consumption("u1"));
  }

  @Test
  void aFailureHalfWayThroughARefundKeepsTheConsumption() {
    add(grant("g").build());
    Consumption consumed = store.consume(UsageRecord.of("u1", "c", "4420", CALL, 40), ContractFixtures.RULES);
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    FreeMinuteStore broken = JdbcStores.builder(failing).migrateOnStart(false).build().freeMinutes();
    // After the seconds are given back and the takes deleted: the usage row's delete fails.
    failing.failOn("DELETE FROM " + FreeMinuteSql.USAGES);
    assertThrows(JdbcStoreException.class, () -> broken.refund("u1", CALL));
    assertEquals(40, used("g"));
    assertEquals(Optional.of(consumed), store.consumption("u1"));
    assertEquals(40, store.refund("u1", CALL).orElseThrow().returnedSeconds());
    assertEquals(0, used("g"));
  }

}
