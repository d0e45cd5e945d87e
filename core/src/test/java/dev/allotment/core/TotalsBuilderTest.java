package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Regression: {@code Totals.Builder.build()} threw ClassCastException (Currency is not Comparable). */
final class TotalsBuilderTest {
  private static ChargeLine line(String assignment, String retail, String currency) {
    Money amount = Money.of(retail, currency);
    Money zero = Money.zero(amount.currency());
    LocalDate start = LocalDate.of(2026, 1, 1);
    return new ChargeLine(LineKey.of(assignment, LineKind.RECURRING, start), "c1", Optional.empty(), "p1",
        new BillingPeriod(start, start.plusMonths(1)), start, 1, amount, zero, Proration.WHOLE, amount, zero, 0,
        Optional.empty(), false);
  }

  @Test
  void buildsTotalsOfSeveralCurrenciesInCodeOrder() {
    Totals totals = Totals.builder().add(line("a1", "10.00", "USD")).add(line("a2", "5.00", "EUR"))
        .add(line("a3", "2.50", "USD")).build();

    assertEquals(List.of(Currency.getInstance("EUR"), Currency.getInstance("USD")),
        List.copyOf(totals.byCurrency().keySet()));
    assertEquals(Money.of("12.50", "USD"), totals.of(Currency.getInstance("USD")).retail());
    assertEquals(2, totals.of(Currency.getInstance("USD")).lines());
    assertEquals(totals, Totals.of(List.of(line("a1", "10.00", "USD"), line("a2", "5.00", "EUR"),
        line("a3", "2.50", "USD"))));
  }
}
