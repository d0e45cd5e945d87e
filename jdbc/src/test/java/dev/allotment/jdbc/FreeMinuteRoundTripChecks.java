package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.FreeMinuteStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of a grant and of a consumed call comes back equal from the free-minute tables, at the
 * edges of each column too: equality is what tells a replayed grant or call from a conflicting one.
 */
abstract class FreeMinuteRoundTripChecks {
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");
  /** A destination with every metacharacter the destination grammar allows, and a backslash. */
  static final String METACHARACTERS = "^(44|33)[0-9]{2,4}$|^1?2*3+\\d{0,2}(?:7)|[5-6].?|(\\d*4){16}|[^0-3\\d]{1,}";

  private JdbcStores stores;
  private FreeMinuteStore store;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    stores = db().freshStores();
    store = stores.freeMinutes();
  }

  static Stream<Grant> grants() {
    return Stream.of(
        // The least a grant can be: no DID, no destination, no expiry, nothing allocated.
        Grant.builder("plain").assignmentId("a").customerId("c").allocatedSeconds(0).validFrom(MAR_1).build(),
        // The most: every optional field, the longest ids and DID, the largest seconds and increment.
        Grant.builder("g".repeat(173) + "/FREE_MINUTES/2026-03-01#12").assignmentId("a".repeat(100))
            .customerId("c".repeat(100)).did("9".repeat(32)).destination(METACHARACTERS)
            .allocatedSeconds(Long.MAX_VALUE).validFrom(Instant.parse("2026-03-01T00:00:00.123456Z"))
            .validUntil(Columns.MAX_INSTANT).roundingIncrementSeconds(3600).build(),
        // A prefix alternation (the trie's kind), a DID, and microseconds on both bounds.
        Grant.builder("a-17/FREE_MINUTES/2026-03-01").assignmentId("a-17").customerId("c").did("442071234567")
            .destination("^44|^91|^1").allocatedSeconds(600).validFrom(Instant.parse("2026-02-28T23:00:00.000001Z"))
            .validUntil(Instant.parse("2026-03-31T23:00:00.999999Z")).roundingIncrementSeconds(60).build(),
        // The earliest instant the column holds, instants before 1970, and text beyond ASCII.
        Grant.builder("Ünïcode✓-𝄞").assignmentId("ä").customerId("ç").destination("^0")
            .allocatedSeconds(1).validFrom(Columns.MIN_INSTANT).validUntil(Instant.parse("1969-12-31T23:59:59.999999Z"))
            .build());
  }

  private void add(Grant... grants) {
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(grants))));
  }

  @ParameterizedTest
  @MethodSource("grants")
  void aGrantComesBackEqualAndAddingItAgainChangesNothing(Grant grant) {
    add(grant);
    assertEquals(List.of(new GrantBalance(grant, 0)), store.balances(grant.customerId(), grant.validFrom()));
    // Equal content read back is what a repeated CHARGE relies on; a held id is left as it is.
    add(grant);
    assertEquals(1, Fixtures.usedSeconds(db().dataSource()).size());
    // A store built afresh over the same database reads the same grant.
    FreeMinuteStore other = JdbcStores.builder(db().dataSource()).migrateOnStart(false).build().freeMinutes();
    assertEquals(List.of(new GrantBalance(grant, 0)), other.balances(grant.customerId(), grant.validFrom()));
  }

  /** The atomic step at the edge of the column: the largest allocation is taken and given back whole. */
  @Test
  void theLargestAllocationIsTakenAndGivenBackWhole() throws SQLException {
    add(Grant.builder("huge").assignmentId("a").customerId("c").allocatedSeconds(Long.MAX_VALUE).validFrom(MAR_1)
        .build());
    FreeMinuteSql sql = new FreeMinuteSql(db().dialect());
    try (Connection connection = db().dataSource().getConnection()) {
      assertEquals(Long.MAX_VALUE - 1, sql.step(connection, sql.take, "huge", Long.MAX_VALUE - 1));
      assertEquals(1, sql.step(connection, sql.take, "huge", Long.MAX_VALUE));
      assertEquals(0, sql.step(connection, sql.take, "huge", Long.MAX_VALUE));
      assertEquals(Long.MAX_VALUE, Fixtures.usedSeconds(db().dataSource(), "huge"));
      assertEquals(Long.MAX_VALUE, sql.step(connection, sql.giveBack, "huge", Long.MAX_VALUE));
      assertEquals(0, sql.step(connection, sql.giveBack, "huge", 1));
    }
    assertEquals(0, Fixtures.usedSeconds(db().dataSource(), "huge"));
  }

  @Test
  void validityIsExactAtTheBoundsEvenForInstantsFinerThanTheColumn() {
    Instant from = Instant.parse("2026-03-01T00:00:00.000001Z");
    Instant until = Instant.parse("2026-03-02T00:00:00.000001Z");
    Grant grant = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(10).validFrom(from)
        .validUntil(until).build();
    add(grant);
    // The query's parameters are rounded to the column's microseconds; the result must not be.
    for (Instant at : List.of(from.minusNanos(1), from, from.plusNanos(1), until.minusNanos(1), until,
        until.plusNanos(1), Instant.MIN, Instant.MAX)) {
      assertEquals(grant.isValidAt(at) ? List.of(new GrantBalance(grant, 0)) : List.of(),
          store.balances("c", at), at.toString());
    }
  }

  static Stream<UsageRecord> usages() {
    return Stream.of(
        UsageRecord.of("u-plain", "c", "4420", CALL, 61),
        UsageRecord.onDid("u".repeat(100), "c".repeat(100), "9".repeat(32), "1".repeat(32),
            Instant.parse("2026-03-10T12:00:00.999999Z"), UsageRecord.MAX_DURATION_SECONDS),
        UsageRecord.of("u-zero", "c", "0", Instant.parse("1969-12-31T23:59:59.000001Z"), 0),
        UsageRecord.onDid("Ünïcode✓", "ç", "442071234567", "4420799999", Columns.MAX_INSTANT, 3599));
  }

  @ParameterizedTest
  @MethodSource("usages")
  void aConsumedCallComesBackEqualWithItsRoundingAndTakes(UsageRecord usage) {
    // Three grants the call is split across, in the rules' order (longest matching prefix first,
    // then id); the first one's increment rounds the call up to whole hours.
    Instant from = usage.start().minusSeconds(1);
    String number = usage.number();
    add(
        Grant.builder("first").assignmentId("a").customerId(usage.customerId()).allocatedSeconds(50)
            .destination("^" + number).validFrom(from).roundingIncrementSeconds(3600).build(),
        Grant.builder("second").assignmentId("a").customerId(usage.customerId()).allocatedSeconds(7)
            .destination("^" + number.charAt(0)).validFrom(from).build(),
        Grant.builder("third").assignmentId("a").customerId(usage.customerId()).allocatedSeconds(100_000)
            .validFrom(from).build());
    Consumption consumed = store.consume(usage, ContractFixtures.RULES);
    long rounded = usage.durationSeconds() == 0 ? 0 : ((usage.durationSeconds() + 3599) / 3600) * 3600;
    assertEquals(rounded, consumed.roundedSeconds());
    List<GrantSeconds> expected = rounded == 0 ? List.of() : List.of(new GrantSeconds("first", 50),
        new GrantSeconds("second", 7), new GrantSeconds("third", rounded - 57));
    assertEquals(new Consumption(usage, rounded, expected), consumed);

    assertEquals(Optional.of(consumed), store.consumption(usage.usageId()));
    assertEquals(consumed, store.consume(usage, (u, g, t) -> {
      throw new AssertionError("a replay must not allocate");
    }));
    FreeMinuteStore other = JdbcStores.builder(db().dataSource()).migrateOnStart(false).build().freeMinutes();
    assertEquals(Optional.of(consumed), other.consumption(usage.usageId()));
  }

  @Test
  void aCallCoveredByNoGrantIsStoredUnrounded() {
    UsageRecord usage = UsageRecord.of("u1", "c", "9999", CALL, 61);
    add(Grant.builder("elsewhere").assignmentId("a").customerId("c").allocatedSeconds(100)
        .validFrom(MAR_1).destination(METACHARACTERS).roundingIncrementSeconds(60).build());
    Consumption consumed = store.consume(usage, ContractFixtures.RULES);
    assertEquals(new Consumption(usage, 61, List.of()), consumed);
    assertEquals(Optional.of(consumed), store.consumption("u1"));
    assertTrue(store.refund("u1", CALL).orElseThrow().returned().isEmpty());
    assertEquals(Optional.empty(), store.consumption("u1"));
  }
}
