package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Money read back from the database is at the currency's scale, as the in-memory stores keep it:
 * the same calls on an in-memory engine and on a JDBC one export the same catalog, report the same
 * JSON for lines read back from the journal, and show the same balances ({@code "5.00"}, not the
 * column's {@code "5.000000"}).
 */
abstract class MoneyScaleChecks {
  private static final LocalDate START = LocalDate.of(2026, 1, 15);
  private static final LocalDate RUN = LocalDate.of(2026, 3, 1);

  private PackageBilling inMemory;
  private PackageBilling jdbc;

  abstract TestDatabase db();

  @BeforeEach
  void setUpEngines() {
    MutableBillingClock clock = MutableBillingClock.startOf(RUN, ZoneOffset.UTC);
    inMemory = PackageBilling.builder().clock(clock).stores(new InMemoryStores()).build();
    jdbc = PackageBilling.builder().clock(clock).stores(db().freshStores()).build();
    for (PackageBilling billing : List.of(inMemory, jdbc)) {
      catalog().forEach(billing::define);
      assignments().forEach(billing::assign);
      billing.stores().creditLedger().credit(new CreditEntry("top-up", "c1", Money.of("100.00", "USD")));
    }
  }

  /** The mixed catalog, and prices in currencies of 0 and 3 digits and finer than a currency's. */
  private static List<ServicePackage> catalog() {
    List<ServicePackage> catalog = new ArrayList<>(ContractFixtures.mixedCatalog());
    catalog.add(ServicePackage.builder("yen").name("Yen").currency("JPY").retail("1200").cost("300")
        .frequency(Frequency.MONTHLY).build());
    catalog.add(ServicePackage.builder("dinar").name("Dinar").currency("BHD").retail("5.125").cost("1.000")
        .setupRetail("0.500").frequency(Frequency.MONTHLY).build());
    catalog.add(ServicePackage.builder("fine").name("Per-unit pricing").currency("USD").retail("0.0125")
        .cost("0.004").frequency(Frequency.DAILY).build());
    return catalog;
  }

  private static List<Assignment> assignments() {
    List<Assignment> assignments = new ArrayList<>();
    int i = 0;
    for (ServicePackage p : catalog()) {
      AssignmentBuilder b = Assignment.builder("a" + i).customerId("c" + (i % 2)).packageId(p.id())
          .quantity(1 + i % 3).startDate(START).autoDecrementCredit(i % 2 == 1);
      if (p.grantsFreeMinutes()) {
        b.minutes(60);
      }
      assignments.add(b.build());
      i++;
    }
    return assignments;
  }

  @Test
  void theCatalogExportsAsInMemory() {
    assertEquals(inMemory.exportCatalog(), jdbc.exportCatalog());
    assertTrue(jdbc.exportCatalog().matches("(?s).*\"retail\"\\s*:\\s*\"5\\.00\".*"), jdbc.exportCatalog());
  }

  @Test
  void linesReadBackReportAsInMemory() {
    assertEquals(inMemory.run(RUN, RunMode.CHARGE).toJson(), jdbc.run(RUN, RunMode.CHARGE).toJson());
    // The lines a second run reports as ALREADY_CHARGED come from the journal.
    assertEquals(inMemory.run(RUN, RunMode.SIMULATE).toJson(), jdbc.run(RUN, RunMode.SIMULATE).toJson());
    for (Assignment a : assignments()) {
      assertEquals(amounts(inMemory.charged(a.id())), amounts(jdbc.charged(a.id())), a.id());
    }
  }

  /** Every amount of the lines, as written (scale included). */
  private static List<String> amounts(List<ChargeLine> lines) {
    return lines.stream().flatMap(l -> Stream.of(l.unitPrice(), l.unitCost(), l.retail(), l.cost()))
        .map(m -> m.amount().toPlainString()).toList();
  }

  @Test
  void balancesReadAsInMemory() {
    inMemory.run(RUN, RunMode.CHARGE);
    jdbc.run(RUN, RunMode.CHARGE);
    for (String customer : List.of("c0", "c1")) {
      Currency usd = Currency.getInstance("USD");
      assertEquals(inMemory.stores().creditLedger().balance(customer, usd).amount().toPlainString(),
          jdbc.stores().creditLedger().balance(customer, usd).amount().toPlainString(), customer);
    }
  }
}
