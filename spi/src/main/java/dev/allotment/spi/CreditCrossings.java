package dev.allotment.spi;

import dev.allotment.core.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The balances a unit of work's new postings moved, per customer and currency: the balance before
 * the first of them, after the last, and the greatest of their keys; what
 * {@link CreditLowRule#crossing} needs.
 *
 * <p>Not thread-safe; one per unit of work.
 */
final class CreditCrossings {
  private record Movement(String customerId, Money before, Money after, String lastKey) {}


  private final Map<String, Movement> movements = new LinkedHashMap<>();

  /** Records a new posting under {@code key} that moved the balance from {@code before} to {@code after}. */
  void moved(String customerId, String key, Money before, Money after) {
    movements.merge(customerId + "\n" + after.currency().getCurrencyCode(), new Movement(customerId, before, after, key),
        (first, next) -> new Movement(customerId, first.before(), next.after(),
            first.lastKey().compareTo(next.lastKey()) >= 0 ? first.lastKey() : next.lastKey()));
  }

  /** The rule's events for the movements recorded, in the order their customers and currencies first moved. */
  List<BillingEvent> events(CreditLowRule rule) {
    List<BillingEvent> events = new ArrayList<>();
    for (Movement m : movements.values()) {
      rule.crossing(m.customerId(), m.lastKey(), m.before(), m.after()).ifPresent(events::add);
    }
    return events;
  }
}
