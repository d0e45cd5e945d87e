package dev.allotment.spi;

import dev.allotment.core.Money;
import dev.allotment.core.SpendQuery;
import java.util.Collection;
import java.util.Map;

/**
 * The customers' spend (calls, services; package charges excluded), which minimum-spend packages
 * true up against. A run asks once per page of assignments, for every period it trues up.
 *
 * <p>Contract for implementations: thread-safe; deterministic for a period that has ended (so a
 * simulation and the charge after it agree); answers every query, in the query's currency (zero
 * when the customer spent nothing), converting if the host bills in several currencies. The engine
 * refuses an answer that is missing, negative or in another currency.
 */
@FunctionalInterface
public interface SpendSource {
  /**
   * The answer to each of {@code queries}.
   *
   * @param queries what a page of plans needs
   * @return each query's answer, in the query's currency
   */
  Map<SpendQuery, Money> spend(Collection<SpendQuery> queries);
}
