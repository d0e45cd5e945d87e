package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.PlanChange;
import dev.allotment.engine.RunMode;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.EventType;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The life of assignments gives the same journal on every store: plan changes (IMMEDIATE and
 * NEXT_PERIOD, to another package, to another quantity), suspensions and resumes, an end date moved
 * into a charged free-minute period and back, own prices and calls, with a CHARGE on every day from
 * January to May 2026, on this database and on the in-memory stores. Journal lines, credit
 * balances, grants (allocation, use, validity), assignments and the events' ids must be equal.
 */
abstract class LifecycleJournalChecks {
  private static final LocalDate START = LocalDate.of(2026, 1, 1);
  private static final LocalDate LAST = LocalDate.of(2026, 5, 31);

  abstract TestDatabase db();

  private static List<ServicePackage> catalog() {
    return List.of(
        ServicePackage.builder("monthly").name("Monthly").currency("USD").retail("30.00").cost("12.00")
            .setupRetail("5.00").frequency(Frequency.MONTHLY).build(),
        ServicePackage.builder("monthly-gold").name("Gold").currency("USD").retail("45.00").cost("15.00")
            .setupRetail("9.00").frequency(Frequency.MONTHLY).firstPeriod(FirstPeriod.FREE).build(),
        ServicePackage.builder("weekly").name("Weekly").currency("USD").retail("7.00")
            .frequency(Frequency.WEEKLY).frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY, DayOfWeek.THURSDAY))
            .build(),
        ServicePackage.builder("daily").name("Daily").currency("USD").retail("0.50").frequency(Frequency.DAILY).build(),
        ServicePackage.builder("commit").name("Commit").currency("USD").retail("100.00").frequency(Frequency.MONTHLY)
            .minimumSpend(true).build(),
        ServicePackage.builder("minutes").name("Minutes").currency("USD").retail("10.00").frequency(Frequency.MONTHLY)
            .types(PackageType.FREE_MINUTES).destination("^44").build());
  }

  private static List<Assignment> assignments() {
    return List.of(
        Assignment.builder("a-up").customerId("c1").packageId("monthly").startDate(START.plusDays(4))
            .autoDecrementCredit(true).build(),
        Assignment.builder("a-down").customerId("c1").packageId("monthly-gold").startDate(START).build(),
        Assignment.builder("a-week").customerId("c2").packageId("weekly").startDate(START).quantity(2).build(),
        Assignment.builder("a-day").customerId("c2").packageId("daily").startDate(START).quantity(3)
            .autoDecrementCredit(true).build(),
        Assignment.builder("a-commit").customerId("c3").packageId("commit").startDate(START).build(),
        Assignment.builder("a-min").customerId("c3").packageId("minutes").startDate(START).minutes(100).build(),
        Assignment.builder("a-own").customerId("c1").packageId("monthly").startDate(START)
            .ownPrices(OwnPrices.NONE.withRetail(new BigDecimal("20"))).build());
  }

  /** The operations of the timeline, by the day they are done (before that day's CHARGE). */
  private static Map<LocalDate, List<Consumer<PackageBilling>>> timeline() {
    Map<LocalDate, List<Consumer<PackageBilling>>> ops = new TreeMap<>();
    BiConsumer<String, Consumer<PackageBilling>> at = (day, op) ->
        ops.computeIfAbsent(LocalDate.parse(day), d -> new ArrayList<>()).add(op);
    at.accept("2026-02-11", b -> b.change("a-up", PlanChange.immediate(LocalDate.parse("2026-02-11"))
        .toPackage("monthly-gold")));
    at.accept("2026-02-20", b -> b.change("a-down", PlanChange.nextPeriod(LocalDate.parse("2026-02-20"))
        .toPackage("monthly")));
    at.accept("2026-01-20", b -> b.change("a-day", PlanChange.immediate(LocalDate.parse("2026-01-20")).toQuantity(5)));
    at.accept("2026-02-17", b -> b.change("a-week", PlanChange.immediate(LocalDate.parse("2026-02-17")).toQuantity(1)));
    at.accept("2026-02-10", b -> b.suspend("a-commit", LocalDate.parse("2026-02-10")));
    at.accept("2026-02-20", b -> b.resume("a-commit", LocalDate.parse("2026-02-20")));
    at.accept("2026-01-10", b -> b.consume(call("u1", "2026-01-09T10:00:00Z", 1_200)));
    at.accept("2026-01-15", b -> b.unassign("a-min", LocalDate.parse("2026-01-14")));
    at.accept("2026-01-20", b -> b.reinstate("a-min"));
    at.accept("2026-03-05", b -> b.suspend("a-min", LocalDate.parse("2026-03-05")));
    at.accept("2026-03-06", b -> b.consume(call("u2", "2026-03-04T10:00:00Z", 600)));
    at.accept("2026-04-01", b -> b.resume("a-min", LocalDate.parse("2026-03-25")));
    at.accept("2026-04-02", b -> b.consume(call("u3", "2026-04-01T10:00:00Z", 900)));
    at.accept("2026-03-15", b -> b.setOwnPrices("a-own", OwnPrices.NONE.withRetail(new BigDecimal("18.5"))));
    at.accept("2026-04-10", b -> b.suspend("a-own", LocalDate.parse("2026-04-10")));
    return ops;
  }

  private static UsageRecord call(String id, String start, int seconds) {
    return UsageRecord.of(id, "c3", "441234567890", Instant.parse(start), seconds);
  }

  /** Runs the timeline on {@code stores}; {@code spend} records the minimum-spend customer's spend. */
  private static PackageBilling live(BillingStores stores, BiConsumer<LocalDate, Money> spend) {
    MutableBillingClock clock = MutableBillingClock.startOf(START, ZoneOffset.UTC);
    PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores).batchSize(7).pageSize(3).build();
    catalog().forEach(billing::define);
    assignments().forEach(billing::assign);
    stores.creditLedger().credit(new CreditEntry("top-up", "c1", Money.of("500.00", "USD")));
    stores.creditLedger().credit(new CreditEntry("top-up", "c2", Money.of("500.00", "USD")));
    Map<LocalDate, List<Consumer<PackageBilling>>> ops = timeline();
    for (LocalDate day = START; !day.isAfter(LAST); day = day.plusDays(1)) {
      clock.setDate(day);
      if (day.getDayOfMonth() % 6 == 0) {
        spend.accept(day, Money.of("9.00", "USD"));
      }
      for (Consumer<PackageBilling> op : ops.getOrDefault(day, List.of())) {
        op.accept(billing);
      }
      billing.run(day, RunMode.CHARGE);
    }
    return billing;
  }

  @Test
  void theLifeOfAssignmentsGivesTheSameJournalHereAsInMemory() {
    InMemoryStores memory = new InMemoryStores();
    PackageBilling reference = live(memory, (day, amount) -> memory.spend().record("c3", day, amount));
    JdbcStores stores = db().freshStores();
    PackageBilling database = live(stores, (day, amount) ->
        stores.spend().record("spend-" + day, "c3", day, amount));

    Map<String, Object> expected = snapshot(reference);
    Map<String, Object> actual = snapshot(database);
    assertEquals(expected.keySet(), actual.keySet());
    for (String part : expected.keySet()) {
      assertEquals(expected.get(part), actual.get(part), part);
    }
    @SuppressWarnings("unchecked")
    List<ChargeLine> lines = (List<ChargeLine>) expected.get("journal");
    for (LineKind kind : LineKind.values()) {
      assertTrue(lines.stream().anyMatch(l -> l.kind() == kind), "the timeline journals a " + kind + " line");
    }
    assertFalse(database.findAssignment("a-up~2026-02-11").isEmpty(), "the upgrade's successor");
  }

  /** Everything billing wrote, comparable across stores. */
  private static Map<String, Object> snapshot(PackageBilling billing) {
    Map<String, Object> parts = new TreeMap<>();
    List<ChargeLine> journal = new ArrayList<>();
    List<Assignment> held = new ArrayList<>();
    for (String customer : List.of("c1", "c2", "c3")) {
      for (Assignment a : billing.stores().assignments().page(Optional.of(customer),
          Optional.empty(), 100)) {
        held.add(a);
        journal.addAll(billing.charged(a.id()));
      }
      parts.put("credit " + customer, billing.stores().creditLedger().balance(customer, Currency.getInstance("USD")));
    }
    parts.put("journal", journal);
    parts.put("assignments", held);
    List<String> grants = new ArrayList<>();
    for (LocalDate day = START; !day.isAfter(LAST); day = day.plusDays(1)) {
      for (GrantBalance g : billing.balances("c3", day.atTime(12, 0).toInstant(ZoneOffset.UTC))) {
        grants.add(day + " " + g.grant() + " used " + g.usedSeconds());
      }
    }
    parts.put("grants", grants);
    List<String> events = billing.events().read(0, 10_000).stream()
        .filter(e -> e.event().type() != EventType.CREDIT_LOW).map(e -> e.event().id()).sorted().toList();
    parts.put("events", events);
    return parts;
  }
}
