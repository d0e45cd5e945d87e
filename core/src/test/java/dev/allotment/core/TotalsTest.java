package dev.allotment.core;

import static dev.allotment.core.Fixtures.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class TotalsTest {

  @Test
  void sumsRetailCostAndMarginPerCurrencyInCodeOrder() {
    ChargeLine usd1 = line("a-1", "10.00", "4.00", "USD");
    ChargeLine usd2 = line("a-2", "2.50", "3.00", "USD");
    ChargeLine jpy = line("a-3", "1000", "300", "JPY");
    ChargeLine eur = line("a-4", "1.00", "0.00", "EUR");

    Totals totals = Totals.of(List.of(usd1, jpy, usd2, eur));

    assertEquals(List.of("EUR", "JPY", "USD"),
        totals.byCurrency().keySet().stream().map(java.util.Currency::getCurrencyCode).toList());
    CurrencyTotals usd = totals.of(Money.currency("USD"));
    assertEquals(2, usd.lines());
    assertEquals(Money.of("12.50", "USD"), usd.retail());
    assertEquals(Money.of("7.00", "USD"), usd.cost());
    assertEquals(Money.of("5.50", "USD"), usd.margin());
    assertEquals(Money.of("700", "JPY"), totals.of(Money.currency("JPY")).margin());
    assertEquals(CurrencyTotals.zero(Money.currency("KWD")), totals.of(Money.currency("KWD")));
  }

  @Test
  void plusMergesCurrencies() {
    Totals a = Totals.of(List.of(line("a-1", "10.00", "4.00", "USD")));
    Totals b = Totals.of(List.of(line("a-2", "1.00", "1.00", "USD"), line("a-3", "5", "1", "JPY")));

    Totals sum = a.plus(b);

    assertEquals(Totals.of(List.of(line("a-1", "10.00", "4.00", "USD"), line("a-2", "1.00", "1.00", "USD"),
        line("a-3", "5", "1", "JPY"))), sum);
    assertEquals(Money.of("11.00", "USD"), sum.of(Money.currency("USD")).retail());
    assertEquals(2, sum.byCurrency().size());
  }

  @Test
  void noLinesNoCurrencies() {
    assertEquals(0, Totals.of(List.of()).byCurrency().size());
  }

  private static ChargeLine line(String assignmentId, String retail, String cost, String currency) {
    Money r = Money.of(retail, currency);
    Money c = Money.of(cost, currency);
    return ChargeLine.recurring(new LineSubject(assignmentId, "c-1", Optional.empty(), "p-1", 1, false),
        new BillingPeriod(d("2026-03-01"), d("2026-04-01")), r, c, Proration.WHOLE);
  }
}
