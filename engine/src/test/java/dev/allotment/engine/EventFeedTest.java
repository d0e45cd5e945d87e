package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.EventType;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.StoredEvent;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The events of an engine on the in-memory stores: which effects write which events with which ids,
 * the JSON of each, replays, announcements, simulations, listeners, retention, and turning events off.
 */
final class EventFeedTest {
  private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  private static final ServicePackage PLAIN = ServicePackage.builder("plain").name("Plain").currency("USD")
      .retail("30.00").cost("12.50").frequency(Frequency.MONTHLY).notificationDays(10).build();
  private static final ServicePackage MINUTES = ServicePackage.builder("minutes").name("Minutes").currency("USD")
      .retail("10.00").frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).lowBalancePercent(25).build();

  private final MutableBillingClock clock = MutableBillingClock.startOf(LocalDate.of(2026, 1, 25),
      java.time.ZoneOffset.UTC);
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores).build();

  private void assignBoth() {
    billing.define(PLAIN);
    billing.define(MINUTES);
    billing.assign(Assignment.builder("a-plain").customerId("c1").packageId("plain").startDate(JAN_1)
        .autoDecrementCredit(true).build());
    billing.assign(Assignment.builder("a-minutes").customerId("c1").did("4420100").packageId("minutes")
        .startDate(JAN_1).minutes(10).build());
  }

  private List<String> ids() {
    return billing.events().read(0, 1000).stream().map(e -> e.event().id()).toList();
  }

  private Map<EventType, Long> counts() {
    return billing.events().read(0, 1000).stream()
        .collect(Collectors.groupingBy(e -> e.event().type(), TreeMap::new, Collectors.counting()));
  }

  @Test
  void aChargeWritesTheEventsOfItsEffectsWithIdsDerivedFromTheirCauses() {
    assignBoth();

    billing.run(LocalDate.of(2026, 1, 25), RunMode.CHARGE);

    assertEquals(List.of("ASSIGNMENT_CHANGED:a-plain@0", "ASSIGNMENT_CHANGED:a-minutes@0",
        "LINE_CHARGED:a-minutes/RECURRING/2026-01-01", "LINE_CHARGED:a-minutes/FREE_MINUTES/2026-01-01",
        "GRANT_ISSUED:a-minutes/FREE_MINUTES/2026-01-01", "LINE_CHARGED:a-plain/RECURRING/2026-01-01",
        "CREDIT_POSTED:a-plain/RECURRING/2026-01-01", "CHARGE_UPCOMING:a-plain/RECURRING/2026-02-01"), ids());
    List<StoredEvent> events = billing.events().read(0, 100);
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).cursor(), "cursors in commit order");
      assertEquals("c1", events.get(i).event().customerId());
      assertEquals(clock.now(), events.get(i).event().committedAt());
    }
  }

  @Test
  void everyEventHasTheDocumentedJsonShape() throws Exception {
    assignBoth();
    billing.run(LocalDate.of(2026, 1, 25), RunMode.CHARGE);
    ObjectMapper mapper = new ObjectMapper();
    Map<String, JsonNode> byId = new TreeMap<>();
    for (StoredEvent event : billing.events().read(0, 100)) {
      JsonNode json = mapper.readTree(EventJson.write(event));
      assertEquals(EventJson.SCHEMA, json.get("schema").textValue());
      assertEquals(event.cursor(), json.get("cursor").longValue());
      assertEquals(event.event().type().name(), json.get("type").textValue());
      assertEquals("2026-01-25T00:00:00Z", json.get("committedAt").textValue());
      byId.put(json.get("id").textValue(), json.get("payload"));
    }
    JsonNode line = byId.get("LINE_CHARGED:a-plain/RECURRING/2026-01-01");
    assertEquals("30.00", line.get("retail").textValue(), "amounts are decimal strings");
    assertEquals("12.50", line.get("cost").textValue());
    assertEquals("USD", line.get("currency").textValue());
    assertEquals("2026-01-01", line.get("periodStart").textValue(), "dates are ISO strings");
    assertEquals("2026-01-31", line.get("periodEnd").textValue(), "the period's last day");
    assertEquals("RECURRING", line.get("kind").textValue());
    assertTrue(line.get("autoDecrement").booleanValue());
    JsonNode grant = byId.get("GRANT_ISSUED:a-minutes/FREE_MINUTES/2026-01-01");
    assertEquals(600, grant.get("allocatedSeconds").longValue());
    assertEquals("4420100", grant.get("did").textValue());
    assertEquals("2026-01-01T00:00:00Z", grant.get("validFrom").textValue());
    JsonNode posting = byId.get("CREDIT_POSTED:a-plain/RECURRING/2026-01-01");
    assertEquals("-30.00", posting.get("signedAmount").textValue());
    assertTrue(posting.get("debit").booleanValue());
    JsonNode changed = byId.get("ASSIGNMENT_CHANGED:a-plain@0");
    assertEquals("ASSIGNED", changed.get("change").textValue());
    assertEquals(0, changed.get("version").longValue());
    assertFalse(changed.has("endDate"));
    assertEquals(10, byId.get("CHARGE_UPCOMING:a-plain/RECURRING/2026-02-01").get("notificationDays").intValue());
    String listened = EventJson.write(billing.events().read(0, 1).get(0).event());
    assertFalse(mapper.readTree(listened).has("cursor"), "an event not read from the outbox has no cursor");
  }

  @Test
  void aSecondChargeAndAReplayedCallWriteNoSecondEvent() {
    assignBoth();
    billing.run(LocalDate.of(2026, 1, 25), RunMode.CHARGE);
    UsageRecord call = new UsageRecord("u1", "c1", Optional.of("4420100"), "4420", clock.now(), 500);
    billing.consume(call);
    List<String> once = ids();

    billing.run(LocalDate.of(2026, 1, 25), RunMode.CHARGE);
    billing.consume(call);
    billing.unassign("a-plain", LocalDate.of(2026, 6, 30));
    billing.unassign("a-plain", LocalDate.of(2026, 6, 30));

    List<String> expected = new ArrayList<>(once);
    expected.add("ASSIGNMENT_CHANGED:a-plain@1");
    assertEquals(expected, ids(), "only the first unassign changed anything");
    assertTrue(once.contains("GRANT_LOW:a-minutes/FREE_MINUTES/2026-01-01"), "500 of 600 s used leaves 16 %");
  }

  @Test
  void assignmentChangesWriteOneEventPerStoredVersion() throws Exception {
    assignBoth();
    billing.unassign("a-plain", LocalDate.of(2026, 3, 31));
    billing.unassign("a-plain", LocalDate.of(2026, 4, 30));
    billing.reinstate("a-plain");
    billing.reinstate("a-plain");

    List<StoredEvent> changes = billing.events().read(0, 100).stream()
        .filter(e -> e.event().id().startsWith("ASSIGNMENT_CHANGED:a-plain")).toList();
    assertEquals(List.of("ASSIGNMENT_CHANGED:a-plain@0", "ASSIGNMENT_CHANGED:a-plain@1",
        "ASSIGNMENT_CHANGED:a-plain@2", "ASSIGNMENT_CHANGED:a-plain@3"),
        changes.stream().map(e -> e.event().id()).toList());
    ObjectMapper mapper = new ObjectMapper();
    List<String> kinds = new ArrayList<>();
    for (StoredEvent change : changes) {
      kinds.add(mapper.readTree(change.event().payload()).get("change").textValue());
    }
    assertEquals(List.of("ASSIGNED", "UNASSIGNED", "UNASSIGNED", "REINSTATED"), kinds);
    assertEquals("2026-04-30", mapper.readTree(changes.get(2).event().payload()).get("endDate").textValue());
  }

  @Test
  void aChargeUpcomingAppearsOnceHoweverManyDailyRunsSeeItComing() {
    assignBoth();
    for (LocalDate day = LocalDate.of(2026, 1, 15); !day.isAfter(LocalDate.of(2026, 2, 3)); day = day.plusDays(1)) {
      clock.setDate(day);
      billing.run(day, RunMode.CHARGE);
    }

    List<String> announced = ids().stream().filter(id -> id.startsWith("CHARGE_UPCOMING:")).toList();
    // Notification days 10: February's line is announced from January 22 on, March's from February 19.
    assertEquals(List.of("CHARGE_UPCOMING:a-plain/RECURRING/2026-02-01"), announced);
    assertEquals(1, ids().stream().filter(id -> id.equals("LINE_CHARGED:a-plain/RECURRING/2026-02-01")).count());
    assertTrue(ids().indexOf("CHARGE_UPCOMING:a-plain/RECURRING/2026-02-01")
        < ids().indexOf("LINE_CHARGED:a-plain/RECURRING/2026-02-01"), "announced before it is charged");
  }

  @Test
  void aSimulationReportsTheEventsAChargeWouldWriteAndWritesNone() {
    assignBoth();
    long before = billing.events().read(0, 100).size();

    RunReport simulated = billing.run(LocalDate.of(2026, 1, 25), RunMode.SIMULATE);

    assertEquals(before, billing.events().read(0, 100).size(), "a simulation writes no event");
    RunReport charged = billing.run(LocalDate.of(2026, 1, 25), RunMode.CHARGE);
    Map<EventType, Long> written = counts();
    written.remove(EventType.ASSIGNMENT_CHANGED);
    Map<EventType, Long> reported = new TreeMap<>(simulated.summary().events());
    reported.values().removeIf(count -> count == 0);
    assertEquals(written, reported, "the simulation counted what the charge wrote");
    assertEquals(simulated.summary().events(), charged.summary().events());
    assertTrue(simulated.toText().contains("Events a charge would write: LINE_CHARGED 3, GRANT_ISSUED 1,"
        + " CREDIT_POSTED 1, CHARGE_UPCOMING 1"), simulated.toText());
    assertTrue(simulated.toJson().contains("\"CHARGE_UPCOMING\" : 1"), simulated.toJson());
    assertEquals(simulated.summary(), RunReport.parseJson(simulated.toJson()).summary(), "the JSON reads back");
  }

  @Test
  void listenersHearEachCommitAfterItAndTheirFailuresRollNothingBack() {
    billing.define(PLAIN);
    List<List<String>> heard = new ArrayList<>();
    int[] calls = {0};
    billing.events().addListener(events -> {
      calls[0]++;
      if (calls[0] == 1) {
        throw new IllegalStateException("the webhook is down");
      }
      heard.add(events.stream().map(BillingEvent::id).toList());
    });

    billing.assign(Assignment.builder("a1").customerId("c1").packageId("plain").startDate(JAN_1).build());
    assertTrue(billing.findAssignment("a1").isPresent(), "the listener's failure rolled nothing back");
    assertEquals(List.of(), heard);

    billing.assign(Assignment.builder("a2").customerId("c2").packageId("plain").startDate(JAN_1).build());
    assertEquals(List.of(List.of("ASSIGNMENT_CHANGED:a1@0", "ASSIGNMENT_CHANGED:a2@0")), heard,
        "the failed delivery came again, before the new one");

    billing.run(LocalDate.of(2026, 1, 25), RunMode.SIMULATE);
    assertEquals(1, heard.size(), "a simulation commits nothing, so nobody hears anything");
    billing.run(LocalDate.of(2026, 1, 25), RunMode.CHARGE);
    assertEquals(2, heard.size());
    assertTrue(heard.get(1).contains("LINE_CHARGED:a1/RECURRING/2026-01-01"), heard.toString());
  }

  @Test
  void retentionDeletesThroughACursorAndTheDeletedAreNeverWrittenAgain() {
    assignBoth();
    billing.run(LocalDate.of(2026, 1, 25), RunMode.CHARGE);
    List<StoredEvent> all = billing.events().read(0, 100);
    long last = all.get(all.size() - 1).cursor();

    assertEquals(all.size() - 1, billing.events().deleteThrough(last - 1));
    assertEquals(List.of(all.get(all.size() - 1)), billing.events().read(0, 100));
    assertEquals(0, billing.events().deleteThrough(last - 1), "deleting again deletes nothing");

    clock.setDate(LocalDate.of(2026, 1, 26));
    billing.run(LocalDate.of(2026, 1, 26), RunMode.CHARGE);
    assertEquals(List.of(all.get(all.size() - 1)), billing.events().read(0, 100),
        "the next day's run announces nothing again");
    assertThrows(IllegalArgumentException.class, () -> billing.events().deleteThrough(-1));
    assertThrows(IllegalArgumentException.class, () -> billing.events().read(0, 0));
  }

  @Test
  void anEngineWithEventsOffWritesNone() {
    PackageBilling quiet = PackageBilling.builder().clock(clock).stores(stores).events(false).build();
    quiet.define(PLAIN);
    quiet.assign(Assignment.builder("a1").customerId("c1").packageId("plain").startDate(JAN_1)
        .autoDecrementCredit(true).build());
    stores.creditLedger().credit(new CreditEntry("top", "c1", Fixtures.usd("100.00")));
    RunReport report = quiet.run(LocalDate.of(2026, 1, 25), RunMode.CHARGE);

    assertEquals(1, report.lines().size());
    assertEquals(List.of(), quiet.events().read(0, 10));
    assertFalse(quiet.events().enabled());
    assertTrue(report.summary().events().values().stream().allMatch(count -> count == 0));
  }

  @Test
  void splitStoresRefuseAnEngineWithEventsOn() {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, 10);
    SplitStores split = SplitStores.builder().catalog(world.catalog).assignments(world.assignments)
        .journal(world.journal).creditLedger(world.ledger).spend(world.spend).freeMinutes(world.freeMinutes).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PackageBilling.builder().clock(clock).stores(split).build());
    assertTrue(e.getMessage().contains("events(false)"), e.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> split.events().read(0, 10));
  }
}
