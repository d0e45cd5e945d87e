package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.Consumption;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.InMemoryFreeMinuteStore;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A CHARGE turns FREE_MINUTES lines into ledger grants; the facade's usage calls reach them. */
final class FreeMinutesWiringTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private final MutableBillingClock clock = MutableBillingClock.startOf(LocalDate.of(2026, 3, 1), LONDON);
  private final InMemoryStores stores = new InMemoryStores();
  private final InMemoryFreeMinuteStore store = stores.freeMinutes();
  private final PackageBilling billing = Fixtures.inMemory(clock, stores);
  private final Instant inMarch = Instant.parse("2026-03-01T00:00:00Z");

  private void setUp() {
    billing.define(ServicePackage.builder("uk").name("UK minutes").currency("GBP").retail("5.00")
        .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).types(PackageType.FREE_MINUTES)
        .destination("^44").roundingIncrementSeconds(60).build());
    billing.assign(Assignment.builder("a1").customerId("c1").did("442071234567").packageId("uk").minutes(10)
        .startDate(LocalDate.of(2026, 3, 1)).build());
  }

  @Test
  void aChargeCreatesTheGrantInTheBillingZoneOnceAndCallsConsumeIt() {
    setUp();
    billing.run(LocalDate.of(2026, 3, 1), RunMode.SIMULATE);
    assertEquals(List.of(), store.balances("c1", inMarch), "a simulation grants nothing");

    billing.run(LocalDate.of(2026, 3, 1), RunMode.CHARGE);
    billing.run(LocalDate.of(2026, 3, 1), RunMode.CHARGE);
    List<GrantBalance> grants = store.balances("c1", inMarch);
    assertEquals(1, grants.size(), "a repeated charge adds no second grant");
    GrantBalance grant = grants.get(0);
    assertEquals("a1/FREE_MINUTES/2026-03-01", grant.grant().id());
    assertEquals(600, grant.allocatedSeconds());
    assertEquals(Optional.of("442071234567"), grant.grant().did());
    // London is on GMT on 1 March and on BST from 29 March, so April starts at 23:00 UTC.
    assertEquals(Instant.parse("2026-03-01T00:00:00Z"), grant.grant().validFrom());
    assertEquals(Optional.of(Instant.parse("2026-03-31T23:00:00Z")), grant.grant().validUntil());

    Instant call = Instant.parse("2026-03-10T12:00:00Z");
    assertEquals(600, billing.available("c1", Optional.of("442071234567"), "4420799999", call));
    assertEquals(0, billing.available("c1", Optional.of("442071234567"), "3312345678", call), "not to France");
    assertEquals(0, billing.available("c1", Optional.empty(), "4420799999", call), "DID-bound grant");

    UsageRecord usage = UsageRecord.onDid("u1", "c1", "442071234567", "4420799999", call, 61);
    Consumption consumed = billing.consume(usage);
    assertEquals(120, consumed.coveredSeconds(), "61 s rounded up to whole minutes");
    assertEquals(consumed, billing.consume(usage), "a replay returns the first result");
    assertEquals(Optional.of(consumed), billing.consumption("u1"));
    assertEquals(480, billing.balances("c1", call).get(0).remainingSeconds());
    assertThrows(UsageConflictException.class,
        () -> billing.consume(UsageRecord.onDid("u1", "c1", "442071234567", "4420799999", call, 62)));

    clock.set(Instant.parse("2026-03-11T00:00:00Z"));
    assertEquals(120, billing.refund("u1").orElseThrow().returnedSeconds());
    assertEquals(600, billing.balances("c1", call).get(0).remainingSeconds());
    assertEquals(Optional.empty(), billing.refund("u1"), "a second refund finds nothing");
    assertTrue(billing.balances("c1", Instant.parse("2026-04-01T00:00:00Z")).isEmpty(), "expired in April");
  }
}
