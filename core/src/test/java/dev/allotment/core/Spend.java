package dev.allotment.core;

import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A test's spend, as a function: what the engine reads in bulk for the planner, answered here. */
@FunctionalInterface
interface Spend {
  /** Nobody spent anything. */
  Spend NONE = (customer, currency, period) -> Money.zero(currency);

  Money spent(String customerId, Currency currency, BillingPeriod period);

  /** The answers to {@code queries}. */
  default Map<SpendQuery, Money> answer(Set<SpendQuery> queries) {
    Map<SpendQuery, Money> answers = new HashMap<>();
    for (SpendQuery query : queries) {
      answers.put(query, spent(query.customerId(), query.currency(), query.period()));
    }
    return answers;
  }

  /** Plans one assignment as the engine does: the spend figures it needs first, then the plan. */
  static AssignmentPlan plan(ServicePackage pkg, Assignment assignment, ChargeHistory history, Spend spend,
      java.time.LocalDate date) {
    return Planner.plan(pkg, assignment, history,
        spend.answer(Planner.spendQueries(pkg, assignment, history, date)), date);
  }
}
