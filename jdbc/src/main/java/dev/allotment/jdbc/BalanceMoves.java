package dev.allotment.jdbc;

import dev.allotment.core.Money;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.CreditLowRule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The balances a batch's new entries moved, per customer and currency: the sum of the entries,
 * the balance after, and the greatest entry key; what {@link CreditLowRule#crossing} needs.
 * Confined to the committing thread.
 */
final class BalanceMoves {
  private final Map<String, BigDecimal> deltas = new TreeMap<>();
  private final Map<String, BigDecimal> after = new HashMap<>();
  private final Map<String, String> lastKeys = new HashMap<>();

  void entry(String customerId, String currency, BigDecimal delta, String key) {
    String balance = key(customerId, currency);
    deltas.merge(balance, delta, BigDecimal::add);
    lastKeys.merge(balance, key, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }

  void after(String customerId, String currency, BigDecimal balance) {
    after.put(key(customerId, currency), balance);
  }

  List<BillingEvent> events(CreditLowRule rule) {
    List<BillingEvent> events = new ArrayList<>();
    deltas.forEach((balance, delta) -> {
      BigDecimal now = after.get(balance);
      if (now == null) {
        return; // a customer the H2 read found no row for moved nothing
      }
      int split = balance.indexOf('\n');
      Currency currency = Money.currency(balance.substring(split + 1));
      rule.crossing(balance.substring(0, split), lastKeys.get(balance), Money.of(now.subtract(delta), currency),
          Money.of(now, currency)).ifPresent(events::add);
    });
    return events;
  }

  /**
   * The customer and currency as one key, also the unit of work's key of a balance; the customer
   * comes first, so keys sort in customer order.
   */
  static String key(String customerId, String currency) {
    return customerId + "\n" + currency.trim();
  }
}
