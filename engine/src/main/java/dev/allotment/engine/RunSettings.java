package dev.allotment.engine;

import java.util.Objects;

/**
 * How an engine runs packages, as {@link PackageBillingBuilder} set it; see each builder method.
 *
 * <p>Immutable and thread-safe.
 *
 * @param creditPolicy what a CHARGE does with auto-decrement lines the credit cannot cover
 * @param pageSize how many assignments a run reads at a time
 * @param batchSize about how many lines a CHARGE commits in one unit of work
 * @param readAhead whether a run reads its next page on a thread of its own while it commits the current one
 * @param commitsInFlight how many batches of a CHARGE may commit at once, each on a thread of its own
 * @param runHorizonYears how many years past the clock's today a run may reach
 */
public record RunSettings(CreditPolicy creditPolicy, int pageSize, int batchSize, boolean readAhead,
    int commitsInFlight, int runHorizonYears) {
  /** The default of {@link PackageBillingBuilder#runHorizonYears}: how far past today a run may reach. */
  public static final int DEFAULT_RUN_HORIZON_YEARS = 10;

  /**
   * Checks the settings; the builder has checked their bounds already.
   *
   * @param creditPolicy what a CHARGE does with auto-decrement lines the credit cannot cover
   * @param pageSize how many assignments a run reads at a time, at least 1
   * @param batchSize about how many lines a CHARGE commits in one unit of work, at least 1
   * @param readAhead whether a run reads ahead
   * @param commitsInFlight how many batches may commit at once, at least 1
   * @param runHorizonYears how many years past today a run may reach, at least 1
   */
  public RunSettings {
    Objects.requireNonNull(creditPolicy, "creditPolicy");
    if (pageSize < 1 || batchSize < 1 || commitsInFlight < 1 || runHorizonYears < 1) {
      throw new IllegalArgumentException("pageSize, batchSize, commitsInFlight and runHorizonYears must be >= 1,"
          + " were " + pageSize + ", " + batchSize + ", " + commitsInFlight + ", " + runHorizonYears);
    }
  }
}
