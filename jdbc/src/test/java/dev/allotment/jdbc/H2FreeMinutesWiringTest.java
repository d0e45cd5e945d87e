package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.allotment.core.Assignment;
import dev.allotment.core.Consumption;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.spi.MutableBillingClock;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine over {@link JdbcStores} end to end, free-minute store included: a CHARGE writes its
 * FREE_MINUTES grants into {@code allotment_free_minute_grant}, and calls reported to the engine
 * consume them there, durably across a restart of the engine.
 */
final class H2FreeMinutesWiringTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
  private static final String DID = "442071234567";

  private static PackageBilling billing(JdbcStores stores, MutableBillingClock clock) {
    return PackageBilling.builder().clock(clock).stores(stores).build();
  }

  @Test
  void aChargeCreatesGrantsInTheJdbcStoreAndCallsConsumeThem() throws SQLException {
    JdbcStores stores = DB.freshStores();
    MutableBillingClock clock = MutableBillingClock.startOf(MAR_1, LONDON);
    PackageBilling billing = billing(stores, clock);
    billing.define(ServicePackage.builder("uk").name("UK minutes").currency("GBP").retail("5.00")
        .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).types(PackageType.FREE_MINUTES)
        .destination("^44").roundingIncrementSeconds(60).build());
    billing.assign(Assignment.builder("a1").customerId("c1").did(DID).packageId("uk").minutes(10)
        .startDate(MAR_1).build());

    billing.run(MAR_1, RunMode.SIMULATE);
    assertEquals(0, MigrationChecks.count(DB.dataSource(), "SELECT COUNT(*) FROM " + FreeMinuteSql.GRANTS),
        "a simulation grants nothing");
    billing.run(MAR_1, RunMode.CHARGE);
    billing.run(MAR_1, RunMode.CHARGE);
    assertEquals(1, MigrationChecks.count(DB.dataSource(), "SELECT COUNT(*) FROM " + FreeMinuteSql.GRANTS
        + " WHERE id = 'a1/FREE_MINUTES/2026-03-01' AND allocated_seconds = 600"), "one grant, however many charges");
    List<GrantBalance> grants = stores.freeMinutes().balances("c1", Instant.parse("2026-03-01T00:00:00Z"));
    assertEquals(1, grants.size());
    // April starts at 23:00 UTC in London (BST), and the store keeps the grant's instants exactly.
    assertEquals(Optional.of(Instant.parse("2026-03-31T23:00:00Z")), grants.get(0).grant().validUntil());

    Instant call = Instant.parse("2026-03-10T12:00:00Z");
    UsageRecord usage = UsageRecord.onDid("u1", "c1", DID, "4420799999", call, 61);
    Consumption consumed = billing.consume(usage);
    assertEquals(List.of(new GrantSeconds("a1/FREE_MINUTES/2026-03-01", 120)), consumed.takes());
    assertEquals(consumed, billing.consume(usage), "a replay returns the first result");
    assertThrows(UsageConflictException.class,
        () -> billing.consume(UsageRecord.onDid("u1", "c1", DID, "4420799999", call, 62)));
    assertEquals(480, billing.available("c1", Optional.of(DID), "4420799999", call));
    assertEquals(0, billing.available("c1", Optional.of(DID), "3312345678", call), "not to France");

    // Another engine over the same database (a restart, or a second node) sees the same ledger.
    PackageBilling restarted = billing(JdbcStores.builder(DB.dataSource()).migrateOnStart(false).build(), clock);
    assertEquals(Optional.of(consumed), restarted.consumption("u1"));
    assertEquals(consumed, restarted.consume(usage));
    assertEquals(480, restarted.balances("c1", call).get(0).remainingSeconds());

    clock.set(Instant.parse("2026-03-11T00:00:00Z"));
    assertEquals(120, restarted.refund("u1").orElseThrow().returnedSeconds());
    assertEquals(Optional.empty(), billing.refund("u1"), "a second refund finds nothing");
    assertEquals(600, billing.balances("c1", call).get(0).remainingSeconds());
  }
}
