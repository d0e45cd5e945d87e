package dev.allotment.core;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A catalog entry: what a package costs, how often, and what it grants.
 *
 * <p>Every amount is in {@link #currency()}. Build one with {@link #builder(String)}; the builder
 * validates the whole package and rejects bad input with an {@link IllegalArgumentException}
 * whose message names the field and the value.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServicePackage {
  private final String id;
  private final String name;
  private final String description;
  private final Currency currency;
  private final Money retail;
  private final Money cost;
  private final Money setupRetail;
  private final Money setupCost;
  private final Frequency frequency;
  private final FrequencyMatch frequencyMatch;
  private final int minimumDays;
  private final Set<PackageType> types;
  private final DestinationPattern destination;
  private final boolean minimumSpend;
  private final Set<String> features;
  private final FirstPeriod firstPeriod;
  private final MonthEnd monthEnd;
  private final int roundingIncrementSeconds;
  private final int notificationDays;
  private final int lowBalancePercent;

  ServicePackage(ServicePackageBuilder b) {
    this.id = b.id;
    this.name = b.name;
    this.description = b.description == null ? "" : b.description;
    this.currency = b.currency;
    // At the currency's scale, as every store reads them back: "5" and "5.00" are one price.
    this.retail = Money.of(b.retail == null ? BigDecimal.ZERO : b.retail, b.currency).atCurrencyScale();
    this.cost = Money.of(b.cost == null ? BigDecimal.ZERO : b.cost, b.currency).atCurrencyScale();
    this.setupRetail = Money.of(b.setupRetail == null ? BigDecimal.ZERO : b.setupRetail, b.currency).atCurrencyScale();
    this.setupCost = Money.of(b.setupCost == null ? BigDecimal.ZERO : b.setupCost, b.currency).atCurrencyScale();
    this.frequency = b.frequency;
    this.frequencyMatch = b.frequencyMatch == null ? FrequencyMatch.empty() : b.frequencyMatch;
    this.minimumDays = b.minimumDays == null ? 0 : b.minimumDays;
    this.types = b.types == null ? Collections.emptySet() : Collections.unmodifiableSet(b.types);
    this.destination = b.destination;
    this.minimumSpend = b.minimumSpend != null && b.minimumSpend;
    this.features = b.features == null ? Collections.emptySet() : Collections.unmodifiableSet(b.features);
    this.firstPeriod = b.firstPeriod == null ? FirstPeriod.PRORATED : b.firstPeriod;
    this.monthEnd = b.monthEnd == null ? MonthEnd.CLAMP : b.monthEnd;
    this.roundingIncrementSeconds = b.roundingIncrementSeconds == null ? 1 : b.roundingIncrementSeconds;
    this.notificationDays = b.notificationDays == null ? 0 : b.notificationDays;
    this.lowBalancePercent = b.lowBalancePercent == null ? 0 : b.lowBalancePercent;
  }

  /**
   * Starts a package with the given id.
   *
   * @param id the package id (1..100 characters, as every id)
   * @return a builder for the package
   */
  public static ServicePackageBuilder builder(String id) {
    return new ServicePackageBuilder(id);
  }

  /** {@return the package id, unique in a catalog} */
  public String id() {
    return id;
  }

  /** {@return the name shown on statements} */
  public String name() {
    return name;
  }

  /** {@return a free-text description; empty when none was given} */
  public String description() {
    return description;
  }

  /** {@return the currency of every amount of the package} */
  public Currency currency() {
    return currency;
  }

  /** {@return the recurring price charged to the customer per occurrence, per unit of quantity} */
  public Money retail() {
    return retail;
  }

  /** {@return the recurring price the provider pays per occurrence, per unit of quantity} */
  public Money cost() {
    return cost;
  }

  /** {@return the setup fee charged to the customer once, on the start day, per unit of quantity} */
  public Money setupRetail() {
    return setupRetail;
  }

  /** {@return the setup cost the provider pays once, per unit of quantity} */
  public Money setupCost() {
    return setupCost;
  }

  /** {@return how often the package bills} */
  public Frequency frequency() {
    return frequency;
  }

  /** {@return which days of the frequency bill; empty means the start's day} */
  public FrequencyMatch frequencyMatch() {
    return frequencyMatch;
  }

  /** {@return the minimum days: an assignment's end date may not lie before its start plus this many days} */
  public int minimumDays() {
    return minimumDays;
  }

  /** {@return what the package is, for reports and for the free-minute rules} */
  public Set<PackageType> types() {
    return types;
  }

  /** {@return whether the package grants free minutes ({@link PackageType#FREE_MINUTES})} */
  public boolean grantsFreeMinutes() {
    return types.contains(PackageType.FREE_MINUTES);
  }

  /** {@return where free minutes apply; empty means every destination} */
  public Optional<DestinationPattern> destination() {
    return Optional.ofNullable(destination);
  }

  /** {@return true when the package bills a minimum-spend true-up instead of a recurring charge} */
  public boolean minimumSpend() {
    return minimumSpend;
  }

  /** {@return the feature keys the package enables on the customer while an assignment is active} */
  public Set<String> features() {
    return features;
  }

  /** {@return how a first period that starts between two occurrences is billed} */
  public FirstPeriod firstPeriod() {
    return firstPeriod;
  }

  /** {@return what a monthly day the month lacks becomes} */
  public MonthEnd monthEnd() {
    return monthEnd;
  }

  /** {@return the rounding increment: free-minute usage is rounded up to a multiple of this many seconds before it consumes} */
  public int roundingIncrementSeconds() {
    return roundingIncrementSeconds;
  }

  /**
   * {@return how many days before a line falls due a CHARGE run writes its {@code CHARGE_UPCOMING}
   * event (the source's "package charge notification days"); 0, the default, writes none}
   */
  public int notificationDays() {
    return notificationDays;
  }

  /**
   * {@return the remaining share of a grant, in percent of its allocation, at or below which the
   * grant is low (a {@code GRANT_LOW} event, once per grant); 0, the default, writes none}
   */
  public int lowBalancePercent() {
    return lowBalancePercent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServicePackage p
        && id.equals(p.id)
        && name.equals(p.name)
        && description.equals(p.description)
        && currency.equals(p.currency)
        && retail.equals(p.retail)
        && cost.equals(p.cost)
        && setupRetail.equals(p.setupRetail)
        && setupCost.equals(p.setupCost)
        && frequency == p.frequency
        && frequencyMatch.equals(p.frequencyMatch)
        && minimumDays == p.minimumDays
        && types.equals(p.types)
        && Objects.equals(destination, p.destination)
        && minimumSpend == p.minimumSpend
        && features.equals(p.features)
        && firstPeriod == p.firstPeriod
        && monthEnd == p.monthEnd
        && roundingIncrementSeconds == p.roundingIncrementSeconds
        && notificationDays == p.notificationDays
        && lowBalancePercent == p.lowBalancePercent;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, currency, retail, frequency, frequencyMatch);
  }

  @Override
  public String toString() {
    return "ServicePackage[" + id + " '" + name + "' " + retail + " " + frequency
        + (frequencyMatch.isEmpty() ? "" : " on " + frequencyMatch) + "]";
  }

}
