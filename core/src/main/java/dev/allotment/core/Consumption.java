package dev.allotment.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What consuming one call did: the call rounded up to the rounding increment, and how many of those
 * seconds each grant covered, in the order they were taken. The rest is uncovered: the host rates
 * it at its normal price.
 *
 * <p>Immutable and thread-safe. A replay of the same call returns an equal consumption.
 *
 * @param usage the call
 * @param roundedSeconds the call's duration rounded up to the increment that applied (see
 *     {@link FreeMinuteRules}); {@code covered + uncovered} always equals it
 * @param takes seconds taken per grant, in order, each grant at most once
 */
public record Consumption(UsageRecord usage, long roundedSeconds, List<GrantSeconds> takes) {
  /**
   * Checks that the rounding and the takes add up: the rounded duration lies less than one largest
   * increment above the call's, and the takes name each grant once and cover no more than it.
   *
   * @param usage the call
   * @param roundedSeconds the call's duration rounded up to the increment that applied
   * @param takes seconds taken per grant, in order, each grant at most once
   */
  public Consumption {
    Objects.requireNonNull(usage, "usage");
    takes = List.copyOf(Objects.requireNonNull(takes, "takes"));
    // Rounding up to an increment adds less than one increment.
    long mostRounded = usage.durationSeconds() + FreeMinuteRules.MAX_ROUNDING_INCREMENT - 1;
    if (roundedSeconds < usage.durationSeconds() || roundedSeconds > mostRounded) {
      throw new IllegalArgumentException("roundedSeconds must be within " + usage.durationSeconds() + ".."
          + mostRounded + " for usage '" + usage.usageId() + "', was " + roundedSeconds);
    }
    long covered = GrantSeconds.total(takes);
    if (covered > roundedSeconds) {
      throw new IllegalArgumentException("takes must cover at most " + roundedSeconds + " seconds of usage '"
          + usage.usageId() + "', were " + takes);
    }
    if (takes.size() > 1) {
      Set<String> seen = new HashSet<>();
      for (GrantSeconds take : takes) {
        if (!seen.add(take.grantId())) {
          throw new IllegalArgumentException("takes must name each grant once, were " + takes);
        }
      }
    }
  }

  /** {@return the call's usage id} */
  public String usageId() {
    return usage.usageId();
  }

  /** {@return the seconds the grants covered} */
  public long coveredSeconds() {
    return GrantSeconds.total(takes);
  }

  /** {@return the rounded seconds no grant covered} */
  public long uncoveredSeconds() {
    return roundedSeconds - coveredSeconds();
  }

  /**
   * Seconds taken from {@code grantId} (0 when none).
   *
   * @param grantId a grant id
   * @return the seconds
   */
  public long takenFrom(String grantId) {
    Objects.requireNonNull(grantId, "grantId");
    for (GrantSeconds take : takes) {
      if (take.grantId().equals(grantId)) {
        return take.seconds();
      }
    }
    return 0;
  }
}
