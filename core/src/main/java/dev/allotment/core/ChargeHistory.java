package dev.allotment.core;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the journal holds of one assignment, as far as planning needs it.
 *
 * <p>{@code decidedThrough} is the watermark: every line falling due on or before it has been
 * decided (charged, or found to be zero). The planner examines only what falls due after it, so a
 * run costs O(new periods), not O(history). {@code lines} must hold every charged line that falls
 * due after the watermark and every line whose amount the next run may need to adjust (see
 * {@link Assignment#repriceFrom()}); more lines are harmless. With no watermark, {@code lines}
 * must be the whole history of the assignment.
 *
 * <p>Immutable and thread-safe.
 *
 * @param decidedThrough the watermark, empty when nothing was decided yet
 * @param lines charged lines of the assignment, adjustments included
 */
public record ChargeHistory(Optional<LocalDate> decidedThrough, List<ChargeLine> lines) {
  /** Nothing charged yet. */
  public static final ChargeHistory EMPTY = new ChargeHistory(Optional.empty(), List.of());

  public ChargeHistory {
    Objects.requireNonNull(decidedThrough, "decidedThrough");
    lines = List.copyOf(lines);
  }

  /** The whole history of an assignment, without a watermark. */
  public static ChargeHistory of(Collection<ChargeLine> lines) {
    return new ChargeHistory(Optional.empty(), List.copyOf(lines));
  }
}
