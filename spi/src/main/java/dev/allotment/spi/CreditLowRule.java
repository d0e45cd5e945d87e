package dev.allotment.spi;

import dev.allotment.core.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When a unit of work writes a {@link EventType#CREDIT_LOW} event: the host's threshold per currency,
 * and the instant the events of the unit of work carry. A customer's balance in a currency that
 * goes from at or above the threshold to below it crosses it once; the event's id is derived from
 * the customer, the currency and the greatest key of the postings that made the balance cross, so a replayed
 * posting (which moves no balance) writes no second event, and every later crossing (after a top-up)
 * writes its own. The rule lives here, once, so that every store applies the same one to the
 * balances it holds.
 *
 * <p>Immutable and thread-safe.
 */
public final class CreditLowRule {
  private final Map<Currency, Money> thresholds;
  private final Instant committedAt;

  private CreditLowRule(Map<Currency, Money> thresholds, Instant committedAt) {
    this.thresholds = thresholds;
    this.committedAt = committedAt;
  }

  /**
   * A rule with one threshold per currency.
   *
   * @param thresholds the balance below which a customer's credit is low, by currency (each in its currency)
   * @param committedAt the instant the events carry
   * @return the rule
   * @throws IllegalArgumentException when a threshold is in another currency than its key
   */
  public static CreditLowRule of(Map<Currency, Money> thresholds, Instant committedAt) {
    Map<Currency, Money> copy = new LinkedHashMap<>();
    thresholds.forEach((currency, threshold) -> {
      if (!threshold.currency().equals(currency)) {
        throw new IllegalArgumentException("the credit threshold for " + currency.getCurrencyCode() + " must be in it, was "
            + threshold);
      }
      copy.put(currency, threshold);
    });
    return new CreditLowRule(Map.copyOf(copy), Objects.requireNonNull(committedAt, "committedAt"));
  }

  /** {@return the thresholds, by currency} */
  public Map<Currency, Money> thresholds() {
    return thresholds;
  }

  /** {@return the instant the events carry} */
  public Instant committedAt() {
    return committedAt;
  }

  /**
   * The event of a balance moved from {@code before} to {@code after} by a unit of work's new
   * postings for the customer in that currency, named by {@code entryKey}, the greatest of their
   * keys, if it crossed the threshold.
   *
   * @param customerId the customer
   * @param entryKey the greatest key of the postings that moved the balance
   * @param before the balance before the unit of work's postings
   * @param after the balance after them
   * @return the event, or empty when the balance did not fall below the threshold from at or above it
   */
  public Optional<BillingEvent> crossing(String customerId, String entryKey, Money before, Money after) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(entryKey, "entryKey");
    Objects.requireNonNull(before, "before");
    Money threshold = thresholds.get(after.currency());
    if (threshold == null || before.compareTo(threshold) < 0 || after.compareTo(threshold) >= 0) {
      return Optional.empty();
    }
    String currency = after.currency().getCurrencyCode();
    String payload = EventPayload.builder().put("customerId", customerId).put("currency", currency)
        .put("threshold", plain(threshold)).put("balanceBefore", plain(before)).put("balance", plain(after))
        .put("entryKey", entryKey).build();
    return Optional.of(new BillingEvent("CREDIT_LOW:" + customerId + ":" + currency + ":" + entryKey, EventType.CREDIT_LOW,
        customerId, committedAt, payload));
  }

  /** The amount at the currency's scale or finer, without trailing zeros past it: the same text from every store. */
  private static BigDecimal plain(Money money) {
    BigDecimal amount = money.amount().stripTrailingZeros();
    int digits = Math.max(0, money.currency().getDefaultFractionDigits());
    return amount.scale() < digits ? amount.setScale(digits) : amount;
  }

  @Override
  public String toString() {
    return "CreditLowRule" + thresholds.values();
  }
}
