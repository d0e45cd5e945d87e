package dev.allotment.core;

import java.util.Currency;
import java.util.Objects;

/**
 * One figure a minimum-spend true-up needs: what a customer spent over a period, in a currency
 * (package charges excluded). The planner names the queries it needs ({@link Planner#spendQueries});
 * the engine reads the answers for a whole page at once and hands them to
 * {@link Planner#plan(ServicePackage, Assignment, ChargeHistory, java.util.Map, java.time.LocalDate)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param customerId the customer
 * @param currency the currency of the answer
 * @param period the days summed
 */
public record SpendQuery(String customerId, Currency currency, BillingPeriod period) {
  /**
   * Every component is required; the customer id is checked as every id.
   *
   * @param customerId the customer
   * @param currency the currency of the answer
   * @param period the days summed
   */
  public SpendQuery {
    Ids.require("customerId", customerId);
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(period, "period");
  }

  @Override
  public String toString() {
    return "spend of customer '" + customerId + "' over " + period + " in " + currency.getCurrencyCode();
  }
}
