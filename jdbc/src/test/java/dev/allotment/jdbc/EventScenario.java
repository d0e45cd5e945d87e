package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.PackageBilling;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.EventType;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.StoredEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One customer whose first charge writes every kind of event a run writes, and the check that the
 * events in the outbox are exactly those of the effects in the stores: the scenario of the events'
 * atomicity tests on every store.
 *
 * <p>Customer c1 has 100.00 of credit and two auto-decrement assignments from 1 January 2026: "plain"
 * (30.00 a month) and "minutes" (10.00 a month and 10 free minutes, announced 10 days ahead, low at
 * 50 %). The host's credit threshold is 80.00. A CHARGE on 25 January charges January (three lines,
 * a grant, two debits of 40.00 in all, so the balance falls from 100.00 to 60.00: one CREDIT_LOW)
 * and announces February's three lines.
 */
final class EventScenario {
  static final Currency USD = Currency.getInstance("USD");
  static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  static final LocalDate RUN = LocalDate.of(2026, 1, 25);
  static final Instant IN_JANUARY = Instant.parse("2026-01-20T10:00:00Z");
  static final ServicePackage PLAIN = ServicePackage.builder("plain").name("Plain").currency("USD").retail("30.00")
      .frequency(Frequency.MONTHLY).notificationDays(10).build();
  static final ServicePackage MINUTES = ServicePackage.builder("minutes").name("Minutes").currency("USD")
      .retail("10.00").frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).notificationDays(10)
      .lowBalancePercent(50).build();

  private EventScenario() {}

  static MutableBillingClock clock() {
    return MutableBillingClock.startOf(RUN, ZoneOffset.UTC);
  }

  /** The stores with the packages, c1's credit and nothing else. */
  static void prepare(BillingStores stores) {
    stores.catalog().define(PLAIN);
    stores.catalog().define(MINUTES);
    stores.creditLedger().credit(new CreditEntry("top-up", "c1", Money.of("100.00", "USD")));
  }

  static Assignment plain() {
    return Assignment.builder("a-plain").customerId("c1").packageId("plain").startDate(JAN_1)
        .autoDecrementCredit(true).build();
  }

  static Assignment minutes() {
    return Assignment.builder("a-minutes").customerId("c1").packageId("minutes").startDate(JAN_1).minutes(10)
        .autoDecrementCredit(true).build();
  }

  /** An engine on {@code stores} with the scenario's clock and credit threshold. */
  static PackageBilling engine(BillingStores stores, MutableBillingClock clock) {
    return PackageBilling.builder().clock(clock).stores(stores).creditLowThresholds(Money.of("80.00", "USD"))
        .batchSize(100).build();
  }

  /** Every event of the outbox, in cursor order. */
  static List<StoredEvent> events(BillingStores stores) {
    return stores.events().read(0, 10_000);
  }

  /** The one CREDIT_LOW of the charge, with the same text on every store. */
  static void assertCreditLowPayload(BillingStores stores) {
    List<String> payloads = events(stores).stream().filter(e -> e.event().type() == EventType.CREDIT_LOW)
        .map(e -> e.event().payload()).toList();
    assertEquals(List.of("{\"customerId\":\"c1\",\"currency\":\"USD\",\"threshold\":\"80.00\","
        + "\"balanceBefore\":\"100.00\",\"balance\":\"60.00\",\"entryKey\":\"a-plain/RECURRING/2026-01-01\"}"),
        payloads);
  }

  static Map<EventType, Set<String>> idsByType(BillingStores stores) {
    Map<EventType, Set<String>> ids = new TreeMap<>();
    for (StoredEvent event : events(stores)) {
      ids.computeIfAbsent(event.event().type(), t -> new TreeSet<>()).add(event.event().id());
    }
    return ids;
  }

  /**
   * The charge's events are exactly those of its effects: a LINE_CHARGED per journal line, a
   * GRANT_ISSUED per grant, a CREDIT_POSTED per debited line (and the balance moved by exactly those),
   * the CREDIT_LOW and the three CHARGE_UPCOMING exactly when January's lines are there; and the
   * ASSIGNMENT_CHANGED of each assignment held.
   */
  static void assertEventsMatchEffects(BillingStores stores) {
    Map<EventType, Set<String>> ids = idsByType(stores);
    List<ChargeLine> lines = new ArrayList<>();
    Set<String> assignments = new TreeSet<>();
    for (Assignment a : List.of(plain(), minutes())) {
      lines.addAll(stores.journal().lines(a.id()));
      stores.assignments().find(a.id()).ifPresent(held -> assignments.add("ASSIGNMENT_CHANGED:" + held.id() + "@0"));
    }
    assertEquals(assignments, ids.getOrDefault(EventType.ASSIGNMENT_CHANGED, Set.of()), "assignments");
    assertEquals(lines.stream().map(l -> "LINE_CHARGED:" + l.key()).collect(Collectors.toCollection(TreeSet::new)),
        ids.getOrDefault(EventType.LINE_CHARGED, Set.of()), "lines");
    Set<String> grants = stores.freeMinutes().balances("c1", IN_JANUARY).stream().map(GrantBalance::grant)
        .map(g -> "GRANT_ISSUED:" + g.id()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(grants, ids.getOrDefault(EventType.GRANT_ISSUED, Set.of()), "grants");
    List<ChargeLine> debited = lines.stream().filter(l -> l.autoDecrement() && !l.retail().isZero()).toList();
    assertEquals(debited.stream().map(l -> "CREDIT_POSTED:" + l.key()).collect(Collectors.toCollection(TreeSet::new)),
        ids.getOrDefault(EventType.CREDIT_POSTED, Set.of()), "postings");
    Money balance = Money.of("100.00", "USD");
    for (ChargeLine line : debited) {
      balance = balance.minus(line.retail());
    }
    assertEquals(balance, stores.creditLedger().balance("c1", USD), "the balance moved by the debits posted");
    boolean charged = !lines.isEmpty();
    assertEquals(charged ? 1 : 0, ids.getOrDefault(EventType.CREDIT_LOW, Set.of()).size(), "credit low");
    assertEquals(charged ? 3 : 0, ids.getOrDefault(EventType.CHARGE_UPCOMING, Set.of()).size(), "upcoming");
  }
}
