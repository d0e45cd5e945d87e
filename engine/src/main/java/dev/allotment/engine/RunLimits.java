package dev.allotment.engine;

import dev.allotment.core.Limits;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The bounds of the work a run may be asked for, checked before anything is read: a run plans
 * every line due up to its date, so an unbounded date would be unbounded work and memory.
 *
 * <p>Stateless and thread-safe.
 */
final class RunLimits {
  private RunLimits() {}

  /**
   * Refuses a run date outside the billing dates ({@link Limits#date}) or more than {@code years}
   * years past {@code today}.
   */
  static void check(RunRequest request, LocalDate today, int years) {
    Objects.requireNonNull(request, "request");
    Limits.date("date", request.date());
    LocalDate horizon = today.plusYears(years);
    if (request.date().isAfter(horizon)) {
      throw new IllegalArgumentException("date must be at most " + years + " years past today (" + horizon
          + "; PackageBillingBuilder.runHorizonYears raises it), was " + request.date());
    }
  }

  /** The simulation {@link PackageBilling#upcoming(String, LocalDate, int)} runs, its arguments checked. */
  static RunRequest upcoming(String customerId, LocalDate from, int days) {
    Objects.requireNonNull(customerId, "customerId");
    Limits.date("from", from);
    if (days < 1 || days > PackageBilling.MAX_UPCOMING_DAYS) {
      throw new IllegalArgumentException("days must be within 1.." + PackageBilling.MAX_UPCOMING_DAYS + ", was "
          + days);
    }
    return RunRequest.of(from.plusDays(days - 1L), RunMode.SIMULATE).forCustomer(customerId);
  }
}
