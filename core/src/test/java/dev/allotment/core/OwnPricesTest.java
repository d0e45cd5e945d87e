package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An assignment's own prices replace the package's, component by component, in every line the
 * planner makes from them; amounts worked by hand in each test.
 */
final class OwnPricesTest {
  private static final LocalDate MAR_10 = LocalDate.of(2026, 3, 10);

  /** Monthly on the 1st at 30.00 retail / 12.00 cost, setup 50.00 / 20.00, prorated first period. */
  private static ServicePackage monthly() {
    return ServicePackage.builder("m").name("Monthly").currency("USD").retail("30.00").cost("12.00")
        .setupRetail("50.00").setupCost("20.00").frequency(Frequency.MONTHLY)
        .frequencyMatch(FrequencyMatch.daysOfMonth(1)).firstPeriod(FirstPeriod.PRORATED).build();
  }

  private static List<String> lines(ServicePackage pkg, Assignment assignment, LocalDate date) {
    return Planner.plan(pkg, assignment, ChargeHistory.EMPTY, Map.of(), date).due().stream()
        .map(l -> l.kind() + " " + l.period().start() + " " + l.unitPrice().amount().toPlainString() + " "
            + l.retail().amount().toPlainString() + "/" + l.cost().amount().toPlainString())
        .toList();
  }

  private static AssignmentBuilder assignment() {
    return Assignment.builder("a").customerId("c").packageId("m").quantity(2).startDate(MAR_10);
  }

  /**
   * Own retail 25 and cost 10, quantity 2, from 03-10: the stub [03-10, 04-01) is 22 of March's 31
   * days: 25 x 2 x 22/31 = 35.4838... -> 35.48 and 10 x 2 x 22/31 = 14.1935... -> 14.19; April whole:
   * 50.00 / 20.00. Setup keeps the package's 50.00 / 20.00 per unit: 100.00 / 40.00.
   */
  @Test
  void ownRecurringPricesReplaceThePackagesSetupStays() {
    Assignment a = assignment()
        .ownPrices(OwnPrices.NONE.withRetail(new BigDecimal("25")).withCost(new BigDecimal("10.00"))).build();

    assertEquals(List.of("SETUP 2026-03-10 50.00 100.00/40.00", "RECURRING 2026-03-10 25.00 35.48/14.19",
        "RECURRING 2026-04-01 25.00 50.00/20.00"), lines(monthly(), a, LocalDate.of(2026, 4, 1)));
  }

  /** Own setup 0 (waived) and own setup cost 5.5: a SETUP line of 0.00 retail / 11.00 cost (2 units). */
  @Test
  void ownSetupPricesReplaceThePackagesRecurringStays() {
    Assignment a = assignment()
        .ownPrices(OwnPrices.NONE.withSetupRetail(BigDecimal.ZERO).withSetupCost(new BigDecimal("5.5"))).build();

    assertEquals(List.of("SETUP 2026-03-10 0.00 0.00/11.00", "RECURRING 2026-03-10 30.00 42.58/17.03"),
        lines(monthly(), a, MAR_10));
    // 30 x 2 x 22/31 = 42.5806 -> 42.58; 12 x 2 x 22/31 = 17.0322 -> 17.03
  }

  /** Both setup prices waived: no SETUP line at all (zero lines are not journaled). */
  @Test
  void aWaivedSetupMakesNoLine() {
    Assignment a = assignment()
        .ownPrices(OwnPrices.NONE.withSetupRetail(BigDecimal.ZERO).withSetupCost(BigDecimal.ZERO)).build();

    assertEquals(List.of("RECURRING 2026-03-10 30.00 42.58/17.03"), lines(monthly(), a, MAR_10));
  }

  /**
   * A minimum-spend package at 100.00 with an own commitment of 80, quantity 1, March whole, 30.00
   * spent: the shortfall is 80 - 30 = 50.00.
   */
  @Test
  void minimumSpendUsesTheOwnCommitment() {
    ServicePackage pkg = ServicePackage.builder("ms").name("Commit").currency("USD").retail("100.00")
        .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).minimumSpend(true).build();
    Assignment a = Assignment.builder("a").customerId("c").packageId("ms").startDate(LocalDate.of(2026, 3, 1))
        .ownPrices(OwnPrices.NONE.withRetail(new BigDecimal("80"))).build();
    BillingPeriod march = new BillingPeriod(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1));
    Map<SpendQuery, Money> spend = Map.of(new SpendQuery("c", pkg.currency(), march), Money.of("30.00", "USD"));

    List<ChargeLine> due = Planner.plan(pkg, a, ChargeHistory.EMPTY, spend, LocalDate.of(2026, 4, 1)).due();

    assertEquals(1, due.size());
    assertEquals(LineKind.MINIMUM_SPEND, due.get(0).kind());
    assertEquals(Money.of("50.00", "USD"), due.get(0).retail());
    assertEquals(Money.of("80.00", "USD"), due.get(0).unitPrice());
  }

  /**
   * A price change applies to periods not yet charged: March charged at 25.00 x 2 (stub 35.48),
   * then the own price removed; April is planned at the package's 30.00 x 2 = 60.00, and March is
   * not adjusted (its unit price is the journal's).
   */
  @Test
  void changingOwnPricesLeavesChargedLinesAlone() {
    ServicePackage pkg = monthly();
    Assignment own = assignment().ownPrices(OwnPrices.NONE.withRetail(new BigDecimal("25"))).build();
    List<ChargeLine> march = Planner.plan(pkg, own, ChargeHistory.EMPTY, Map.of(), MAR_10).due();
    ChargeHistory history = new ChargeHistory(java.util.Optional.of(MAR_10), march);

    List<ChargeLine> april = Planner.plan(pkg, own.withOwnPrices(OwnPrices.NONE), history, Map.of(),
        LocalDate.of(2026, 4, 1)).due();

    assertEquals(1, april.size(), "April's line only, no adjustment of March: " + april);
    assertEquals(Money.of("60.00", "USD"), april.get(0).retail());
  }

  @Test
  void pricesAreKeptWithoutTrailingZerosAndCompareByValue() {
    OwnPrices a = OwnPrices.NONE.withRetail(new BigDecimal("25.50"));
    assertEquals(OwnPrices.NONE.withRetail(new BigDecimal("25.500000")), a);
    assertEquals(new BigDecimal("25.5"), a.retail().orElseThrow());
    assertEquals(new BigDecimal("100"), OwnPrices.NONE.withRetail(new BigDecimal("1E+2")).retail().orElseThrow());
    assertTrue(OwnPrices.NONE.isEmpty());
    assertNotEquals(a, OwnPrices.NONE.withCost(new BigDecimal("25.5")), "retail is not cost");
    assertEquals("OwnPrices[retail=25.5 setupCost=0]",
        OwnPrices.NONE.withRetail(new BigDecimal("25.50")).withSetupCost(BigDecimal.ZERO).toString());
  }

  @Test
  void badPricesAreRefusedNamingTheField() {
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> OwnPrices.NONE.withCost(new BigDecimal("-0.01")));
    assertEquals("cost must be >= 0, was -0.01", negative.getMessage());
    IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
        () -> OwnPrices.NONE.withSetupRetail(new BigDecimal("1E+999999999")));
    assertTrue(huge.getMessage().startsWith("setupRetail must have at most 7 integer"), huge.getMessage());
    IllegalArgumentException scale = assertThrows(IllegalArgumentException.class,
        () -> OwnPrices.NONE.withSetupCost(new BigDecimal("0.0000001")));
    assertTrue(scale.getMessage().startsWith("setupCost must have at most"), scale.getMessage());
  }

  @Test
  void ownPricesAreTermsOfTheAssignment() {
    Assignment plain = assignment().build();
    Assignment own = plain.withOwnPrices(OwnPrices.NONE.withRetail(new BigDecimal("25")));
    assertNotEquals(plain, own);
    assertEquals(OwnPrices.NONE, plain.ownPrices());
    assertSame(own, own.withOwnPrices(OwnPrices.NONE.withRetail(new BigDecimal("25.00"))));
    assertTrue(own.toString().contains("OwnPrices[retail=25]"), own.toString());
  }
}
