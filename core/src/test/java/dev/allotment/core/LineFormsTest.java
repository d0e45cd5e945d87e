package dev.allotment.core;

import static dev.allotment.core.Fixtures.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-kind factories of {@link ChargeLine}, its stored form {@link StoredLine}, the spend
 * figures a plan names up front ({@link Planner#spendQueries}), and assignment versions.
 */
final class LineFormsTest {
  private static final LineSubject SUBJECT = new LineSubject("a-1", "c-1", Optional.of("4420"), "p-1", 3, true);
  private static final BillingPeriod MARCH = new BillingPeriod(d("2026-03-01"), d("2026-04-01"));

  private static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  /** Hand-computed: unit x quantity x days / ofDays, rounded once HALF_UP. */
  @ParameterizedTest
  @CsvSource({
      "10.00, 4.00, 1, 1, 30.00, 12.00",
      "10.00, 4.00, 20, 31, 19.35, 7.74", // 30 x 20/31 = 19.354..., 12 x 20/31 = 7.741...
      "0.01, 0.00, 1, 3, 0.01, 0.00"}) // 0.03/3 = 0.01
  void aRecurringLineIsItsUnitPricesTimesQuantityAndProration(String unit, String unitCost, long days, long ofDays,
      String retail, String cost) {
    ChargeLine line = ChargeLine.recurring(SUBJECT, MARCH, usd(unit), usd(unitCost), new Proration(days, ofDays));

    assertEquals(LineKey.of("a-1", LineKind.RECURRING, d("2026-03-01")), line.key());
    assertEquals(d("2026-03-01"), line.dueDate());
    assertEquals(usd(retail), line.retail());
    assertEquals(usd(cost), line.cost());
    assertEquals("c-1", line.customerId());
    assertEquals(Optional.of("4420"), line.did());
    assertTrue(line.autoDecrement());
  }

  @Test
  void aLinesKeyTextIsItsKeysTextBuiltOnce() {
    ChargeLine recurring = ChargeLine.recurring(SUBJECT, MARCH, usd("10.00"), usd("4.00"), Proration.WHOLE);
    ChargeLine adjustment = ChargeLine.adjustment(SUBJECT, MARCH, 2, d("2026-03-10"), usd("10.00"), usd("4.00"),
        Proration.WHOLE, usd("-1.00"), usd("0.00"));

    assertEquals("a-1/RECURRING/2026-03-01", recurring.keyText());
    assertEquals(adjustment.key().toString(), adjustment.keyText());
    assertTrue(adjustment.keyText().endsWith("#2"), adjustment.keyText());
    assertTrue(recurring.keyText() == recurring.keyText(), "the same text, not built again");
  }

  /** The checks build their messages only when they fail: the messages name the line and the field. */
  @Test
  void aLineBeforeTheFirstStoredDateIsRefusedNamingTheLineAndField() {
    BillingPeriod early = new BillingPeriod(LocalDate.of(0, 12, 1), d("0001-01-01"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChargeLine.recurring(SUBJECT, early, usd("10.00"), usd("4.00"), Proration.WHOLE));
    assertEquals("line a-1/RECURRING/0000-12-01 period start must be within 0001-01-01..9999-12-31, was 0000-12-01",
        e.getMessage());
  }

  @Test
  void eachKindSetsItsKeyDueDateAndAmounts() {
    ChargeLine setup = ChargeLine.setup(SUBJECT, d("2026-03-05"), usd("5.00"), usd("1.00"));
    assertEquals(new BillingPeriod(d("2026-03-05"), d("2026-03-06")), setup.period());
    assertEquals(usd("15.00"), setup.retail());

    ChargeLine trueUp = ChargeLine.minimumSpend(SUBJECT, MARCH, usd("50.00"), Proration.WHOLE, usd("25.00"));
    assertEquals(d("2026-04-01"), trueUp.dueDate(), "a true-up falls due when its period has ended");
    assertEquals(usd("0.00"), trueUp.cost());

    ChargeLine grant = ChargeLine.freeMinutes(SUBJECT, MARCH, Money.currency("USD"), Proration.WHOLE, 18_000,
        Optional.of(d("2026-04-01")));
    assertEquals(18_000, grant.grantSeconds());
    assertEquals(usd("0.00"), grant.retail());

    ChargeLine recurring = ChargeLine.recurring(SUBJECT, MARCH, usd("10.00"), usd("4.00"), Proration.WHOLE);
    ChargeLine credit = recurring.adjustment(1, d("2026-03-20"), new Proration(19, 31), usd("-11.61"), usd("-4.65"));
    assertEquals(LineKey.adjustment("a-1", d("2026-03-01"), 1), credit.key());
    assertEquals(d("2026-03-20"), credit.dueDate());
    assertEquals(usd("10.00"), credit.unitPrice(), "an adjustment is priced at the charged unit price");
  }

  @Test
  void factoriesRefuseWhatTheirKindCannotHold() {
    assertThrows(IllegalArgumentException.class,
        () -> ChargeLine.minimumSpend(SUBJECT, MARCH, usd("50.00"), Proration.WHOLE, usd("0.00")));
    assertThrows(IllegalArgumentException.class, () -> ChargeLine.freeMinutes(SUBJECT, MARCH, Money.currency("USD"),
        Proration.WHOLE, -1, Optional.empty()));
    assertThrows(IllegalArgumentException.class, () -> ChargeLine.freeMinutes(SUBJECT, MARCH, Money.currency("USD"),
        Proration.WHOLE, 60, Optional.of(d("2026-03-01"))));
    assertThrows(IllegalArgumentException.class,
        () -> ChargeLine.recurring(SUBJECT, MARCH, usd("10.00"), Money.of("4.00", "EUR"), Proration.WHOLE));
    ChargeLine setup = ChargeLine.setup(SUBJECT, d("2026-03-05"), usd("5.00"), usd("1.00"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> setup.adjustment(1, d("2026-03-20"), Proration.WHOLE, usd("-1.00"), usd("0.00")));
    assertTrue(e.getMessage().contains("only RECURRING lines are adjusted"), e.getMessage());
  }

  @Provide
  Arbitrary<Generators.Case> cases() {
    return Generators.cases();
  }

  /** Every line a plan can hold survives its stored form unchanged. */
  @Property(tries = 200)
  void everyPlannedLineRoundTripsThroughItsStoredForm(@ForAll("cases") Generators.Case c) {
    for (ChargeLine line : Spend.plan(c.pkg(), c.assignment(), ChargeHistory.EMPTY, Generators.SPEND, c.d2()).due()) {
      assertEquals(line, StoredLine.of(line).toLine());
    }
  }

  @Test
  void aStoredLineThatDisagreesWithItsKindIsRefusedNamingTheField() {
    ChargeLine line = ChargeLine.recurring(SUBJECT, MARCH, usd("10.00"), usd("4.00"), Proration.WHOLE);
    StoredLine stored = StoredLine.of(line);
    StoredLine edited = new StoredLine(stored.key(), stored.subject(), stored.period(), stored.dueDate(),
        stored.unitPrice(), stored.unitCost(), stored.proration(), usd("99.00"), stored.cost(), 0, Optional.empty());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, edited::toLine);
    assertTrue(e.getMessage().contains("retail must be 30.00 USD, was 99.00 USD"), e.getMessage());
    StoredLine otherAssignment = new StoredLine(LineKey.of("a-2", LineKind.RECURRING, d("2026-03-01")),
        stored.subject(), stored.period(), stored.dueDate(), stored.unitPrice(), stored.unitCost(),
        stored.proration(), stored.retail(), stored.cost(), 0, Optional.empty());
    assertThrows(IllegalArgumentException.class, otherAssignment::toLine);
  }

  @Test
  void aPlanNamesTheSpendItNeedsAndRefusesToGuessOne() {
    ServicePackage pkg = Fixtures.monthly("50", 1).minimumSpend(true).build();
    Assignment a = Fixtures.assignment(d("2026-01-15")).build();

    Set<SpendQuery> queries = Planner.spendQueries(pkg, a, ChargeHistory.EMPTY, d("2026-03-01"));

    assertEquals(Set.of(new SpendQuery("c-1", Money.currency("USD"), new BillingPeriod(d("2026-01-15"),
        d("2026-02-01"))), new SpendQuery("c-1", Money.currency("USD"), new BillingPeriod(d("2026-02-01"),
        d("2026-03-01")))), queries);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Planner.plan(pkg, a, ChargeHistory.EMPTY, Map.of(), d("2026-03-01")));
    assertTrue(e.getMessage().contains("spend of customer 'c-1' over [2026-01-15, 2026-02-01) in USD"),
        e.getMessage());
    assertEquals(Set.of(), Planner.spendQueries(Fixtures.monthly("50", 1).build(), a, ChargeHistory.EMPTY,
        d("2026-03-01")), "only minimum-spend packages read spend");
  }

  @Test
  void versionsAreTheStoresAndNotPartOfTheTerms() {
    Assignment a = Fixtures.assignment(d("2026-01-15")).build();
    Assignment v3 = a.withVersion(3);

    assertEquals(0, a.version());
    assertEquals(3, v3.version());
    assertFalse(a.equals(v3));
    assertTrue(a.sameTermsAs(v3));
    assertEquals(3, v3.withEndDate(d("2026-06-30"), Fixtures.monthly("50", 1).build()).version(),
        "a change keeps the version it was made from; the store raises it");
    assertThrows(IllegalArgumentException.class, () -> a.withVersion(-1));
    assertEquals(7, Assignment.builder("a-9").customerId("c").packageId("p").startDate(d("2026-01-01")).version(7)
        .build().version());
  }

  @Test
  void everyBuilderSetterMayBeCalledOnce() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Fixtures.assignment(d("2026-01-15")).version(1).version(2));
    assertEquals("version is already set", e.getMessage());
    assertThrows(IllegalStateException.class,
        () -> Grant.builder("g").allocatedSeconds(1).allocatedSeconds(2));
    assertEquals("field is already set",
        assertThrows(IllegalStateException.class, () -> SetOnce.check("held", "field")).getMessage());
  }
}
