package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.DestinationPattern;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.UsageAllocator;
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
 * Bad input reaching the free-minute store is refused with an error naming the value, and its
 * transaction leaves nothing behind; so does a database failure half-way through a consumption or
 * a refund.
 */
abstract class FreeMinuteBadInputChecks {
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");

  private FreeMinuteStore store;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStore() {
    store = db().freshStores().freeMinuteStore();
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
      for (String table : List.of(JdbcFreeMinuteStore.GRANTS, JdbcFreeMinuteStore.USAGES, JdbcFreeMinuteStore.TAKES)) {
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
    store.addGrants(List.of(longest));
    assertEquals(Optional.of(new GrantBalance(longest, 0)), store.balance("longest"));
  }

  @Test
  void anInstantFinerThanAMicrosecondIsRefused() throws SQLException {
    Instant nanos = MAR_1.plusNanos(1);
    refused(() -> store.addGrants(List.of(grant("good").build(), grant("fine", nanos).build())),
        "grant 'fine'", "validFrom", nanos.toString(), "microseconds");
    store.addGrants(List.of(grant("g").build()));
    long before = rows();
    refused(() -> store.consume(UsageRecord.of("u1", "c", "4420", CALL.plusNanos(500), 40), UsageAllocator.STANDARD),
        "usage 'u1'", "start", CALL.plusNanos(500).toString());
    assertEquals(before, rows());
    assertEquals(0, store.balance("g").orElseThrow().usedSeconds());
  }

  @Test
  void anInstantOutsideTheColumnIsRefused() throws SQLException {
    Instant far = Instant.parse("+10000-01-01T00:00:00Z");
    refused(() -> store.addGrants(List.of(grant("good").build(), grant("far").validUntil(far).build())),
        "grant 'far'", "validUntil", far.toString());
    Instant early = Instant.parse("-0001-12-31T00:00:00Z");
    refused(() -> store.addGrants(List.of(grant("early", early).build())), "validFrom", early.toString());
    refused(() -> store.consume(UsageRecord.of("u1", "c", "4420", far, 40), UsageAllocator.STANDARD), "start");
    assertEquals(0, rows());
  }

  @Test
  void negativeSecondsAreRefusedAndChangeNothing() {
    store.addGrants(List.of(grant("g").build()));
    store.take("g", 30);
    refused(() -> store.take("g", -1), "seconds", "-1");
    refused(() -> store.giveBack("g", -1), "seconds", "-1");
    refused(() -> store.take("g", Long.MIN_VALUE), String.valueOf(Long.MIN_VALUE));
    assertEquals(30, store.balance("g").orElseThrow().usedSeconds());
    assertThrows(IllegalArgumentException.class, () -> store.consume(UsageRecord.of("u1", "c", "4420", CALL, 40),
        (usage, grants, taker) -> {
          taker.take(grants.get(0), 10);
          taker.take(grants.get(0), -5);
          throw new AssertionError("a negative take must fail");
        }));
    assertEquals(30, store.balance("g").orElseThrow().usedSeconds());
    assertEquals(Optional.empty(), store.consumption("u1"));
  }

  @Test
  void idsLongerThanTheirColumnsAreUnknownNotADatabaseError() {
    String longId = "g".repeat(Columns.GRANT_ID_LENGTH + 1);
    refused(() -> store.take(longId, 1), "names no free-minute grant", longId);
    refused(() -> store.giveBack(longId, 1), "names no free-minute grant", longId);
    assertEquals(Optional.empty(), store.balance(longId));
    String longUsage = "u".repeat(Columns.ID_LENGTH + 1);
    assertEquals(Optional.empty(), store.consumption(longUsage));
    assertEquals(Optional.empty(), store.refund(longUsage, CALL));
    assertEquals(List.of(), store.balances("c".repeat(Columns.ID_LENGTH + 1)));
    assertEquals(List.of(), store.balances("c".repeat(Columns.ID_LENGTH + 1), CALL));
  }

  @Test
  void aTakeOfAGrantOfAnotherCustomerIsRefusedAndUndone() {
    Grant mine = grant("mine").build();
    Grant theirs = Grant.builder("theirs").assignmentId("a").customerId("other").allocatedSeconds(100)
        .validFrom(MAR_1).build();
    Grant expired = grant("expired").validUntil(CALL).build();
    store.addGrants(List.of(mine, theirs, expired));
    for (Grant foreign : List.of(theirs, expired, grant("mine").did("1").build())) {
      refused(() -> store.consume(UsageRecord.of("u1", "c", "4420", CALL, 40), (usage, grants, taker) -> {
        taker.take(mine, 10);
        taker.take(foreign, 10);
        throw new AssertionError("a foreign grant must be refused");
      }), "'" + foreign.id() + "'");
    }
    assertEquals(0, store.balance("mine").orElseThrow().usedSeconds());
    assertEquals(0, store.balance("theirs").orElseThrow().usedSeconds());
    assertEquals(Optional.empty(), store.consumption("u1"));
  }

  @Test
  void aTakerKeptBeyondItsConsumptionIsRefused() {
    store.addGrants(List.of(grant("g").build()));
    AtomicReference<GrantTaker> kept = new AtomicReference<>();
    store.consume(UsageRecord.of("u1", "c", "4420", CALL, 40), (usage, grants, taker) -> {
      kept.set(taker);
      return UsageAllocator.STANDARD.allocate(usage, grants, taker);
    });
    Grant g = store.balance("g").orElseThrow().grant();
    assertThrows(IllegalStateException.class, () -> kept.get().take(g, 10));
    assertEquals(40, store.balance("g").orElseThrow().usedSeconds());
  }

  @Test
  void aFailureAfterTheTakeRollsBackTheWholeConsumption() {
    store.addGrants(List.of(grant("g").build()));
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    FreeMinuteStore broken = JdbcStores.builder(failing).migrateOnStart(false).build().freeMinuteStore();
    failing.failOn("INSERT INTO " + JdbcFreeMinuteStore.TAKES);
    UsageRecord call = UsageRecord.of("u1", "c", "4420", CALL, 40);
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> broken.consume(call, UsageAllocator.STANDARD));
    assertEquals(Optional.of(FailingDataSource.STATE), e.sqlState());
    assertTrue(e.getMessage().contains("consume usage 'u1'"), e.getMessage());
    assertEquals(0, store.balance("g").orElseThrow().usedSeconds());
    assertEquals(Optional.empty(), store.consumption("u1"));
    // Once the database is well again, the same call is consumed in full.
    assertEquals(List.of(new GrantSeconds("g", 40)), store.consume(call, UsageAllocator.STANDARD).takes());
  }

  @Test
  void aFailureInsideATakeReachesTheCallerEvenIfTheAllocatorSwallowsIt() {
    store.addGrants(List.of(grant("g").build()));
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    FreeMinuteStore broken = JdbcStores.builder(failing).migrateOnStart(false).build().freeMinuteStore();
    failing.failOn("UPDATE " + JdbcFreeMinuteStore.GRANTS);
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
    assertEquals(0, store.balance("g").orElseThrow().usedSeconds());
    assertEquals(Optional.empty(), store.consumption("u1"));
  }

  @Test
  void aFailureHalfWayThroughARefundKeepsTheConsumption() {
    store.addGrants(List.of(grant("g").build()));
    Consumption consumed = store.consume(UsageRecord.of("u1", "c", "4420", CALL, 40), UsageAllocator.STANDARD);
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    FreeMinuteStore broken = JdbcStores.builder(failing).migrateOnStart(false).build().freeMinuteStore();
    // After the seconds are given back and the takes deleted: the usage row's delete fails.
    failing.failOn("DELETE FROM " + JdbcFreeMinuteStore.USAGES);
    assertThrows(JdbcStoreException.class, () -> broken.refund("u1", CALL));
    assertEquals(40, store.balance("g").orElseThrow().usedSeconds());
    assertEquals(Optional.of(consumed), store.consumption("u1"));
    assertEquals(40, store.refund("u1", CALL).orElseThrow().returnedSeconds());
    assertEquals(0, store.balance("g").orElseThrow().usedSeconds());
  }

  @Test
  void aConflictingGrantFoundAfterOthersWereInsertedLeavesNoneOfThem() throws SQLException {
    store.addGrants(List.of(grant("m").build()));
    // Ids on both sides of the conflicting one, so some are inserted before it is found.
    refused(() -> store.addGrants(List.of(grant("a").build(), grant("m").did("1").build(),
        grant("z").build())), "grant 'm'");
    assertEquals(1, rows());
    assertEquals(Optional.empty(), store.balance("a"));
    assertEquals(Optional.empty(), store.balance("z"));
  }
}
