package dev.allotment.engine;

import dev.allotment.core.Money;
import dev.allotment.spi.CreditLowRule;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the engine writes events, and the host's credit thresholds for {@code CREDIT_LOW}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param enabled whether the engine's writes carry events
 * @param creditThresholds the balance below which a customer's credit is low, by currency
 */
record EventSettings(boolean enabled, Map<Currency, Money> creditThresholds) {
  EventSettings {
    creditThresholds = Map.copyOf(creditThresholds);
  }

  /** The rule a batch carries: none when events are off or no threshold is set. */
  Optional<CreditLowRule> creditLow(Instant at) {
    return enabled && !creditThresholds.isEmpty() ? Optional.of(CreditLowRule.of(creditThresholds, at))
        : Optional.empty();
  }
}
