package dev.allotment.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What refunding a call did: the seconds given back to each of its grants that was still valid at
 * the refund, in the order of the consumption's takes. Seconds taken from grants no longer valid
 * lapse, as unused seconds do at a grant's end.
 *
 * <p>Immutable and thread-safe.
 *
 * @param consumption the consumption refunded
 * @param at when the refund happened (decides which grants are still valid)
 * @param returned seconds given back per grant
 */
public record Refund(Consumption consumption, Instant at, List<GrantSeconds> returned) {
  /**
   * Checks that no grant gets back more than the call took from it.
   *
   * @param consumption the consumption refunded
   * @param at when the refund happened (decides which grants are still valid)
   * @param returned seconds given back per grant
   */
  public Refund {
    Objects.requireNonNull(consumption, "consumption");
    Objects.requireNonNull(at, "at");
    returned = List.copyOf(Objects.requireNonNull(returned, "returned"));
    for (GrantSeconds back : returned) {
      if (back.seconds() > consumption.takenFrom(back.grantId())) {
        throw new IllegalArgumentException("returned must not exceed what usage '" + consumption.usageId()
            + "' took from grant '" + back.grantId() + "', was " + back.seconds());
      }
    }
  }

  /** {@return the seconds given back} */
  public long returnedSeconds() {
    return GrantSeconds.total(returned);
  }

  /** {@return the seconds the call had covered that were not given back (their grants had ended)} */
  public long lapsedSeconds() {
    return consumption.coveredSeconds() - returnedSeconds();
  }
}
