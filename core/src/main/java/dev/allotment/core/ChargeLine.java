package dev.allotment.core;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a plan, and the record a journal keeps once it is charged.
 *
 * <p>{@code retail} and {@code cost} are the line's amounts, each computed exactly from unit
 * price, quantity and proration and rounded once. An {@link LineKind#ADJUSTMENT} line carries the
 * difference to what was charged (negative for a credit) and the period of the line it adjusts.
 * A {@link LineKind#FREE_MINUTES} line carries no money and grants {@code grantSeconds}, valid
 * from the period's start until {@code grantValidUntil} (exclusive; empty = no expiry).
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the idempotency key; {@code key.kind()} is the line's kind
 * @param customerId the customer billed
 * @param did the DID of a DID-level assignment
 * @param packageId the package
 * @param period the period the line bills (SETUP: the start day)
 * @param dueDate the billing date on which the line falls due
 * @param quantity the assignment's quantity
 * @param unitPrice the retail price of one unit for a whole period
 * @param unitCost the cost of one unit for a whole period
 * @param proration the share of the whole period billed
 * @param retail the amount charged to the customer
 * @param cost the amount the provider pays
 * @param grantSeconds seconds granted (FREE_MINUTES only, otherwise 0)
 * @param grantValidUntil end of the grant's validity (FREE_MINUTES only)
 * @param autoDecrement whether the line debits the customer's credit
 */
public record ChargeLine(
    LineKey key,
    String customerId,
    Optional<String> did,
    String packageId,
    BillingPeriod period,
    LocalDate dueDate,
    int quantity,
    Money unitPrice,
    Money unitCost,
    Proration proration,
    Money retail,
    Money cost,
    long grantSeconds,
    Optional<LocalDate> grantValidUntil,
    boolean autoDecrement) {

  public ChargeLine {
    Objects.requireNonNull(key, "key");
    Ids.require("customerId", customerId);
    Objects.requireNonNull(did, "did");
    Ids.require("packageId", packageId);
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(dueDate, "dueDate");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(unitCost, "unitCost");
    Objects.requireNonNull(proration, "proration");
    Objects.requireNonNull(retail, "retail");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(grantValidUntil, "grantValidUntil");
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity must be >= 1, was " + quantity);
    }
    if (!retail.currency().equals(cost.currency()) || !retail.currency().equals(unitPrice.currency())
        || !retail.currency().equals(unitCost.currency())) {
      throw new IllegalArgumentException("line " + key + " mixes currencies: retail " + retail + ", cost " + cost
          + ", unit price " + unitPrice + ", unit cost " + unitCost);
    }
    if (!retail.isRounded() || !cost.isRounded()) {
      throw new IllegalArgumentException("line " + key + " amounts must be rounded to the currency, were retail "
          + retail.amount().toPlainString() + ", cost " + cost.amount().toPlainString());
    }
    if (key.kind() != LineKind.ADJUSTMENT && (retail.isNegative() || cost.isNegative())) {
      throw new IllegalArgumentException("line " + key + " amounts must be >= 0, were retail " + retail + ", cost " + cost);
    }
    if (grantSeconds < 0 || (key.kind() != LineKind.FREE_MINUTES && grantSeconds != 0)) {
      throw new IllegalArgumentException("grantSeconds must be " + (key.kind() == LineKind.FREE_MINUTES ? ">= 0" : "0")
          + " on a " + key.kind() + " line, was " + grantSeconds);
    }
    if (key.kind() != LineKind.FREE_MINUTES && grantValidUntil.isPresent()) {
      throw new IllegalArgumentException("grantValidUntil is only allowed on a FREE_MINUTES line, was "
          + grantValidUntil.get() + " on " + key);
    }
    if (grantValidUntil.isPresent() && !grantValidUntil.get().isAfter(period.start())) {
      throw new IllegalArgumentException("grantValidUntil must be after " + period.start() + ", was " + grantValidUntil.get());
    }
  }

  public LineKind kind() {
    return key.kind();
  }

  public String assignmentId() {
    return key.assignmentId();
  }

  /** Retail minus cost. */
  public Money margin() {
    return retail.minus(cost);
  }
}
