package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PackageBilling#setOwnPrices}: a negotiated price applies from the next line planned,
 * charged lines keep theirs, SIMULATE shows what CHARGE does, and the change is an
 * {@code ASSIGNMENT_CHANGED} event. Amounts worked by hand in each test.
 */
final class OwnPricesTest {
  private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
  private static final ServicePackage MONTHLY = ServicePackage.builder("m").name("Monthly").currency("USD")
      .retail("30.00").cost("12.00").setupRetail("50.00").frequency(Frequency.MONTHLY)
      .frequencyMatch(FrequencyMatch.daysOfMonth(1)).firstPeriod(FirstPeriod.PRORATED).build();

  private final MutableBillingClock clock = MutableBillingClock.startOf(MAR_1, ZoneOffset.UTC);
  private final PackageBilling billing = PackageBilling.builder().clock(clock).stores(new InMemoryStores()).build();

  private List<String> recurring(String assignmentId) {
    return billing.charged(assignmentId).stream().filter(l -> l.kind() == LineKind.RECURRING)
        .map(l -> l.period().start() + " " + l.retail().amount().toPlainString()).toList();
  }

  /**
   * March at the package's 30.00 x 3 = 90.00; own retail 24.50 from April: 24.50 x 3 = 73.50 (and
   * March is not adjusted); the own price removed again in May: 90.00.
   */
  @Test
  void anOwnPriceAppliesFromTheNextPeriodAndChargedLinesKeepTheirs() {
    billing.define(MONTHLY);
    billing.assign(Assignment.builder("a").customerId("c").packageId("m").quantity(3).startDate(MAR_1).build());
    billing.run(MAR_1, RunMode.CHARGE);

    Assignment stored = billing.setOwnPrices("a", OwnPrices.NONE.withRetail(new BigDecimal("24.50")));
    assertEquals(1, stored.version());
    LocalDate april = LocalDate.of(2026, 4, 1);
    List<ChargeLine> simulated = billing.run(april, RunMode.SIMULATE).lines(LineStatus.DUE).stream()
        .map(p -> p.line()).toList();
    billing.run(april, RunMode.CHARGE);
    billing.setOwnPrices("a", OwnPrices.NONE);
    billing.run(LocalDate.of(2026, 5, 1), RunMode.CHARGE);

    assertEquals(List.of("2026-03-01 90.00", "2026-04-01 73.50", "2026-05-01 90.00"), recurring("a"));
    assertEquals(List.of("2026-04-01 73.50"), simulated.stream().filter(l -> l.kind() == LineKind.RECURRING)
        .map(l -> l.period().start() + " " + l.retail().amount().toPlainString()).toList(),
        "SIMULATE showed the April line CHARGE wrote");
    assertEquals(0, billing.charged("a").stream().filter(l -> l.kind() == LineKind.ADJUSTMENT).count());
  }

  /** A waived setup: own setupRetail 0, so no SETUP line; the recurring line at the package's price. */
  @Test
  void aWaivedSetupChargesNone() {
    billing.define(MONTHLY);
    billing.assign(Assignment.builder("a").customerId("c").packageId("m").startDate(MAR_1)
        .ownPrices(OwnPrices.NONE.withSetupRetail(BigDecimal.ZERO)).build());

    billing.run(MAR_1, RunMode.CHARGE);

    assertEquals(List.of(LineKind.RECURRING), billing.charged("a").stream().map(ChargeLine::kind).toList());
  }

  @Test
  void theChangeIsAnEventAndTheSamePricesAgainWriteNothing() throws Exception {
    billing.define(MONTHLY);
    billing.assign(Assignment.builder("a").customerId("c").packageId("m").startDate(MAR_1).build());
    OwnPrices prices = OwnPrices.NONE.withRetail(new BigDecimal("25")).withSetupCost(new BigDecimal("1.5"));

    billing.setOwnPrices("a", prices);
    Assignment again = billing.setOwnPrices("a", OwnPrices.NONE.withRetail(new BigDecimal("25.00"))
        .withSetupCost(new BigDecimal("1.50")));

    assertEquals(1, again.version(), "equal prices change nothing");
    List<String> ids = billing.events().read(0, 100).stream().map(e -> e.event().id()).toList();
    assertEquals(List.of("ASSIGNMENT_CHANGED:a@0", "ASSIGNMENT_CHANGED:a@1"), ids);
    JsonNode changed = new ObjectMapper().readTree(EventJson.write(billing.events().read(1, 1).get(0).event()))
        .get("payload");
    assertEquals("PRICES_CHANGED", changed.get("change").textValue());
    assertEquals("25", changed.get("ownRetail").textValue());
    assertEquals("1.5", changed.get("ownSetupCost").textValue());
  }

  @Test
  void anUnknownAssignmentIsRefusedNamingIt() {
    billing.define(MONTHLY);
    UnknownAssignmentException e = assertThrows(UnknownAssignmentException.class,
        () -> billing.setOwnPrices("nope", OwnPrices.NONE.withRetail(BigDecimal.ONE)));
    assertEquals("no assignment with id 'nope'", e.getMessage());
    assertThrows(NullPointerException.class, () -> billing.setOwnPrices("nope", null));
  }
}
