package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.eur;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.Money;
import dev.allotment.core.SpendQuery;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory spend source sums recorded spend per customer over each queried period. */
final class InMemorySpendSourceTest {
  private static final Currency USD = Currency.getInstance("USD");
  private static final BillingPeriod JAN = new BillingPeriod(JAN_1, JAN_1.plusMonths(1));
  private final InMemorySpendSource spend = new InMemorySpendSource();

  @Test
  void everyQueryIsAnsweredWithTheSpendOfItsPeriod() {
    spend.record("c1", JAN_1, usd("1.10"));
    spend.record("c1", JAN_1, usd("2.20"));
    spend.record("c1", JAN_1.plusDays(30), usd("0.05"));
    spend.record("c1", JAN_1.plusMonths(1), usd("100.00")); // the day after January
    spend.record("c1", JAN_1.minusDays(1), usd("100.00"));
    spend.record("c2", JAN_1, usd("7.00"));
    SpendQuery c1 = new SpendQuery("c1", USD, JAN);
    SpendQuery c2 = new SpendQuery("c2", USD, JAN);
    SpendQuery nobody = new SpendQuery("nobody", USD, JAN);

    Map<SpendQuery, Money> answers = spend.spend(List.of(c1, c2, nobody));

    assertEquals(Map.of(c1, usd("3.35"), c2, usd("7.00"), nobody, usd("0")), answers);
  }

  @Test
  void spendInAnotherCurrencyIsRefusedAndANegativeAmountIsNotRecorded() {
    spend.record("c1", JAN_1, eur("1.00"));
    assertThrows(IllegalArgumentException.class, () -> spend.spend(List.of(new SpendQuery("c1", USD, JAN))));
    assertThrows(IllegalArgumentException.class, () -> spend.record("c2", JAN_1, usd("-0.01")));
    assertEquals(Map.of(new SpendQuery("c2", USD, JAN), usd("0")), spend.spend(List.of(new SpendQuery("c2", USD, JAN))));
  }
}
