package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Runs and look-aheads are bounded before anything is read: no date makes a run hold unbounded lines. */
final class RunBoundsTest {
  private final MutableBillingClock clock = Fixtures.clock();
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = Fixtures.inMemory(clock, stores);

  @BeforeEach
  void aDailyAssignment() {
    billing.define(ServicePackage.builder("d").name("Daily").currency("USD").retail("1.00")
        .frequency(Frequency.DAILY).build());
    billing.assign(Assignment.builder("a").customerId("c").packageId("d").startDate(JAN_1).build());
  }

  private static void refused(String field, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(field + " must"), e.getMessage());
  }

  @Test
  void aRunForADateBeyondTheHorizonIsRefused() {
    refused("date", () -> billing.run(LocalDate.MAX, RunMode.CHARGE));
    refused("date", () -> billing.run(LocalDate.of(9999, 12, 31), RunMode.SIMULATE));
    refused("date", () -> billing.run(JAN_1.plusYears(10).plusDays(1), RunMode.SIMULATE));
    refused("date", () -> billing.run(LocalDate.of(1899, 12, 31), RunMode.SIMULATE));
    refused("date", () -> billing.run(RunRequest.of(LocalDate.MIN, RunMode.CHARGE), line -> { }));
    assertEquals(0, stores.journal().lines("a").size(), "nothing was charged");
    RunReport tenYears = billing.run(JAN_1.plusYears(10), RunMode.SIMULATE);
    assertEquals(java.util.List.of(), tenYears.summary().failures());
    assertEquals(JAN_1.datesUntil(JAN_1.plusYears(10).plusDays(1)).count(), tenYears.summary().charged(),
        "ten years of a daily package plan within the bounds");
  }

  @Test
  void aHostRaisesTheHorizon() {
    PackageBilling farAhead = PackageBilling.builder().clock(clock).stores(stores).runHorizonYears(20).build();
    assertEquals(20, farAhead.runSettings().runHorizonYears());
    assertEquals(10, billing.runSettings().runHorizonYears());
    farAhead.run(JAN_1.plusYears(15), RunMode.SIMULATE);
    refused("runHorizonYears", () -> PackageBilling.builder().runHorizonYears(0));
    refused("runHorizonYears", () -> PackageBilling.builder().runHorizonYears(101));
  }

  @Test
  void upcomingLooksAtMostAYearAhead() {
    refused("days", () -> billing.upcoming("c", JAN_1, Integer.MAX_VALUE));
    refused("days", () -> billing.upcoming("c", JAN_1, 367));
    refused("days", () -> billing.upcoming("c", JAN_1, 0));
    refused("from", () -> billing.upcoming("c", LocalDate.MAX, 1));
    assertEquals(366, billing.upcoming("c", JAN_1, 366).size());
  }
}
