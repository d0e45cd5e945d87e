package dev.allotment.core;

import java.util.Objects;

/**
 * A call was reported with a usage id the ledger already holds for a different call. The ledger
 * keeps the first call and changes nothing; a switch that reuses ids must make them unique.
 */
public final class UsageConflictException extends AllotmentException {
  private static final long serialVersionUID = 1L;
  /** The reused usage id. */
  private final String usageId;

  /**
   * The refusal of {@code reported}.
   *
   * @param held the call the ledger holds under the usage id
   * @param reported the different call reported with it
   */
  public UsageConflictException(UsageRecord held, UsageRecord reported) {
    super("usage '" + Objects.requireNonNull(reported, "reported").usageId() + "' is already held for a different call: held "
        + Objects.requireNonNull(held, "held") + ", reported " + reported);
    this.usageId = reported.usageId();
  }

  /** {@return the reused usage id} */
  public String usageId() {
    return usageId;
  }
}
