package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.EventType;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.StoredEvent;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Laws of events: replaying any sequence of runs and calls (the same dates, the same usage ids)
 * writes no event; and the outbox always holds exactly one LINE_CHARGED per journal line.
 */
final class EventProperties {
  private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);

  /** A run (charge) on {@code day} days after 1 January, or a call {@code usage} of {@code seconds} on that day. */
  record Step(boolean run, int day, int usage, int seconds) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 120),
        Arbitraries.integers().between(0, 7), Arbitraries.integers().between(1, 900)).as(Step::new)
        .list().ofMinSize(1).ofMaxSize(12);
  }

  private static void apply(PackageBilling billing, MutableBillingClock clock, List<Step> steps) {
    for (Step step : steps) {
      LocalDate day = JAN_1.plusDays(step.day());
      clock.setDate(day);
      if (step.run()) {
        billing.run(day, RunMode.CHARGE);
      } else {
        // A usage id names one call: its day and length come from the id, so a replay is the same call.
        billing.consume(UsageRecord.of("u" + step.usage() + "-" + step.day() + "-" + step.seconds(), "c1", "4420",
            clock.now().plusSeconds(3600), step.seconds()));
      }
    }
  }

  @Property(tries = 60)
  void replayingRunsAndCallsWritesNoEvent(@ForAll("steps") List<Step> steps) {
    MutableBillingClock clock = MutableBillingClock.startOf(JAN_1, ZoneOffset.UTC);
    InMemoryStores stores = new InMemoryStores();
    PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores)
        .creditLowThresholds(Fixtures.usd("20.00")).build();
    billing.define(ServicePackage.builder("fm").name("Minutes").currency("USD").retail("10.00")
        .frequency(Frequency.WEEKLY).types(PackageType.FREE_MINUTES).notificationDays(5).lowBalancePercent(30)
        .build());
    billing.assign(Assignment.builder("a1").customerId("c1").packageId("fm").startDate(JAN_1).minutes(10)
        .autoDecrementCredit(true).build());

    apply(billing, clock, steps);
    List<StoredEvent> first = billing.events().read(0, 10_000);
    apply(billing, clock, steps);

    assertEquals(first, billing.events().read(0, 10_000), "the replay wrote no event");
    Set<String> lines = new TreeSet<>();
    stores.journal().lines("a1").forEach(line -> lines.add("LINE_CHARGED:" + line.key()));
    Set<String> events = new TreeSet<>();
    first.stream().filter(e -> e.event().type() == EventType.LINE_CHARGED).forEach(e -> events.add(e.event().id()));
    assertEquals(lines, events, "one LINE_CHARGED per journal line");
  }
}
