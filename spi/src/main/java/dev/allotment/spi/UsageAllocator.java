package dev.allotment.spi;

import dev.allotment.core.Consumption;
import dev.allotment.core.FreeMinuteRules;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.UsageRecord;
import java.util.List;

/**
 * The decision half of consuming a call, which a {@link FreeMinuteStore} runs inside its unit of
 * work: given the call, the customer's grants and a taker bound to that unit of work, take seconds
 * and say what was taken.
 *
 * <p>An allocator must list in its result every positive take it made, in the order it made them,
 * with exactly the seconds the taker returned (a store rejects any other result); it must not
 * keep the taker beyond the call, hand it to another thread, or call back into the store.
 * Implementations must be thread-safe; {@link #STANDARD} is stateless.
 */
@FunctionalInterface
public interface UsageAllocator {
  /** The consumption rules of {@link FreeMinuteRules#allocate}. */
  UsageAllocator STANDARD = FreeMinuteRules::allocate;

  /**
   * Takes seconds for {@code usage} from {@code grants} through {@code taker}.
   *
   * @param grants the grants the store holds for the call's customer, at least every one valid at
   *     the call's start, ordered by valid-from, then id
   */
  Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker);
}
