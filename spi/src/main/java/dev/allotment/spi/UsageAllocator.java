package dev.allotment.spi;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.UsageRecord;
import java.util.List;

/**
 * The decision half of consuming a call, which a {@link FreeMinuteStore} runs inside its unit of
 * work: given the call, the customer's grants and a taker bound to that unit of work, take seconds
 * and say what was taken.
 *
 * <p>The engine's allocator applies {@link dev.allotment.core.FreeMinuteRules#allocate} and checks
 * that its result lists exactly the takes it made, throwing (so the store rolls the call back)
 * otherwise. An allocator must not keep the taker beyond the call, hand it to another thread, or
 * call back into the store. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface UsageAllocator {
  /**
   * Takes seconds for {@code usage} from {@code grants} through {@code taker}.
   *
   * @param usage the call
   * @param grants the customer's grants, at least every one valid at the call's start, ordered by
   *     valid-from, then id
   * @param taker takes seconds from one grant, inside the store's unit of work
   * @return the consumption to record
   */
  Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker);

  /**
   * The events of a consumption this allocator just made ({@link EventType#GRANT_LOW},
   * {@link EventType#GRANT_EXHAUSTED}), which the store writes in the consumption's unit of work.
   * The store calls it once per new consumption, after the takes, with each grant taken from and its
   * used seconds right after this consumption's take from it (exact under any number of concurrent
   * consumers: with the grant's row locked, or from the compare-and-set that took).
   *
   * @param consumption the consumption just made
   * @param takenFrom each grant the consumption took from, with its used seconds right after the take
   * @return the events to write; none by default
   */
  default List<BillingEvent> events(Consumption consumption, List<GrantBalance> takenFrom) {
    return List.of();
  }
}
