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

  private ServicePackage(Builder b) {
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
  }

  /**
   * Starts a package with the given id.
   *
   * @param id the package id (1..100 characters, as every id)
   * @return a builder for the package
   */
  public static Builder builder(String id) {
    return new Builder(id);
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
        && roundingIncrementSeconds == p.roundingIncrementSeconds;
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

  /**
   * Builds a {@link ServicePackage}. Each setter may be called once (a second call is a bug in the
   * caller and throws {@link IllegalStateException}); {@link #build()} validates the whole package.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final String id;
    private String name;
    private String description;
    private Currency currency;
    private BigDecimal retail;
    private BigDecimal cost;
    private BigDecimal setupRetail;
    private BigDecimal setupCost;
    private Frequency frequency;
    private FrequencyMatch frequencyMatch;
    private Integer minimumDays;
    private Set<PackageType> types;
    private DestinationPattern destination;
    private Boolean minimumSpend;
    private Set<String> features;
    private FirstPeriod firstPeriod;
    private MonthEnd monthEnd;
    private Integer roundingIncrementSeconds;

    private Builder(String id) {
      this.id = Ids.require("id", id);
    }


    /**
     * The package's name, shown on statements (required, not blank).
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      SetOnce.check(this.name, "name");
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * A free-text description (default empty).
     *
     * @param description the description
     * @return this builder
     */
    public Builder description(String description) {
      SetOnce.check(this.description, "description");
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * ISO 4217 code, e.g. {@code "USD"}.
     *
     * @param currencyCode the ISO 4217 code of a currency that has a minor unit
     * @return this builder
     */
    public Builder currency(String currencyCode) {
      return currency(Money.currency(currencyCode));
    }

    /**
     * The package's currency (required); pseudo currencies without a minor unit are refused.
     *
     * @param currency the currency
     * @return this builder
     */
    public Builder currency(Currency currency) {
      SetOnce.check(this.currency, "currency");
      this.currency = Objects.requireNonNull(currency, "currency");
      Money.zero(currency); // rejects pseudo currencies with the same message everywhere
      return this;
    }

    /**
     * The recurring retail price per unit of quantity, as a plain decimal (default 0).
     *
     * @param amount the price, e.g. {@code "5.00"}
     * @return this builder
     */
    public Builder retail(String amount) {
      return retail(Money.parseAmount("retail", amount));
    }

    /**
     * The recurring retail price per unit of quantity (default 0).
     *
     * @param amount the price, not negative
     * @return this builder
     */
    public Builder retail(BigDecimal amount) {
      SetOnce.check(this.retail, "retail");
      this.retail = Objects.requireNonNull(amount, "retail");
      return this;
    }

    /**
     * The recurring cost per unit of quantity, as a plain decimal (default 0).
     *
     * @param amount the cost, e.g. {@code "1.20"}
     * @return this builder
     */
    public Builder cost(String amount) {
      return cost(Money.parseAmount("cost", amount));
    }

    /**
     * The recurring cost per unit of quantity (default 0).
     *
     * @param amount the cost, not negative
     * @return this builder
     */
    public Builder cost(BigDecimal amount) {
      SetOnce.check(this.cost, "cost");
      this.cost = Objects.requireNonNull(amount, "cost");
      return this;
    }

    /**
     * The setup fee per unit of quantity, as a plain decimal (default 0).
     *
     * @param amount the fee
     * @return this builder
     */
    public Builder setupRetail(String amount) {
      return setupRetail(Money.parseAmount("setupRetail", amount));
    }

    /**
     * The setup fee per unit of quantity (default 0).
     *
     * @param amount the fee, not negative
     * @return this builder
     */
    public Builder setupRetail(BigDecimal amount) {
      SetOnce.check(this.setupRetail, "setupRetail");
      this.setupRetail = Objects.requireNonNull(amount, "setupRetail");
      return this;
    }

    /**
     * The setup cost per unit of quantity, as a plain decimal (default 0).
     *
     * @param amount the cost
     * @return this builder
     */
    public Builder setupCost(String amount) {
      return setupCost(Money.parseAmount("setupCost", amount));
    }

    /**
     * The setup cost per unit of quantity (default 0).
     *
     * @param amount the cost, not negative
     * @return this builder
     */
    public Builder setupCost(BigDecimal amount) {
      SetOnce.check(this.setupCost, "setupCost");
      this.setupCost = Objects.requireNonNull(amount, "setupCost");
      return this;
    }

    /**
     * How often the package bills (required).
     *
     * @param frequency the frequency
     * @return this builder
     */
    public Builder frequency(Frequency frequency) {
      SetOnce.check(this.frequency, "frequency");
      this.frequency = Objects.requireNonNull(frequency, "frequency");
      return this;
    }

    /**
     * Which days of the frequency bill (default: the start's day); see {@link FrequencyMatch}.
     *
     * @param match the days, of the kind the frequency takes
     * @return this builder
     */
    public Builder frequencyMatch(FrequencyMatch match) {
      SetOnce.check(this.frequencyMatch, "frequencyMatch");
      this.frequencyMatch = Objects.requireNonNull(match, "frequencyMatch");
      return this;
    }

    /**
     * How many days after its start an assignment may end at the earliest (default 0).
     *
     * @param days the days, not negative
     * @return this builder
     */
    public Builder minimumDays(int days) {
      SetOnce.check(this.minimumDays, "minimumDays");
      this.minimumDays = days;
      return this;
    }

    /**
     * What the package is (default none).
     *
     * @param types the types
     * @return this builder
     */
    public Builder types(Collection<PackageType> types) {
      SetOnce.check(this.types, "types");
      Objects.requireNonNull(types, "types");
      this.types = types.isEmpty() ? EnumSet.noneOf(PackageType.class) : EnumSet.copyOf(types);
      return this;
    }

    /**
     * What the package is (default none).
     *
     * @param types the types
     * @return this builder
     */
    public Builder types(PackageType... types) {
      return types(java.util.Arrays.asList(types));
    }

    /**
     * A destination pattern such as {@code ^44|^91|^1}; see {@link DestinationPattern#parse}.
     *
     * @param pattern the pattern's source text
     * @return this builder
     */
    public Builder destination(String pattern) {
      return destination(DestinationPattern.parse(pattern));
    }

    /**
     * Where free minutes apply (default: every destination).
     *
     * @param pattern the pattern
     * @return this builder
     */
    public Builder destination(DestinationPattern pattern) {
      SetOnce.check(this.destination, "destination");
      this.destination = Objects.requireNonNull(pattern, "destination");
      return this;
    }

    /**
     * Whether the package bills a minimum-spend true-up instead of a recurring charge (default false).
     *
     * @param minimumSpend true for a minimum-spend package
     * @return this builder
     */
    public Builder minimumSpend(boolean minimumSpend) {
      SetOnce.check(this.minimumSpend, "minimumSpend");
      this.minimumSpend = minimumSpend;
      return this;
    }

    /**
     * Feature keys the package enables on the customer (default none).
     *
     * @param features the keys, none blank
     * @return this builder
     */
    public Builder features(Collection<String> features) {
      SetOnce.check(this.features, "features");
      Objects.requireNonNull(features, "features");
      Set<String> copy = new TreeSet<>();
      for (String feature : features) {
        if (feature == null || feature.isBlank()) {
          throw new IllegalArgumentException("features must not contain a blank key: '" + feature + "'");
        }
        copy.add(feature);
      }
      this.features = copy;
      return this;
    }

    /**
     * Feature keys the package enables on the customer (default none).
     *
     * @param features the keys, none blank
     * @return this builder
     */
    public Builder features(String... features) {
      return features(java.util.Arrays.asList(features));
    }

    /**
     * How a first period that starts between two occurrences is billed (default {@link FirstPeriod#PRORATED}).
     *
     * @param firstPeriod the rule
     * @return this builder
     */
    public Builder firstPeriod(FirstPeriod firstPeriod) {
      SetOnce.check(this.firstPeriod, "firstPeriod");
      this.firstPeriod = Objects.requireNonNull(firstPeriod, "firstPeriod");
      return this;
    }

    /**
     * What a monthly day the month lacks becomes (default {@link MonthEnd#CLAMP}).
     *
     * @param monthEnd the rule
     * @return this builder
     */
    public Builder monthEnd(MonthEnd monthEnd) {
      SetOnce.check(this.monthEnd, "monthEnd");
      this.monthEnd = Objects.requireNonNull(monthEnd, "monthEnd");
      return this;
    }

    /**
     * 1 (per-second, the default) up to 3600; 60 rounds calls up to whole minutes.
     *
     * @param seconds the increment in seconds
     * @return this builder
     */
    public Builder roundingIncrementSeconds(int seconds) {
      SetOnce.check(this.roundingIncrementSeconds, "roundingIncrementSeconds");
      this.roundingIncrementSeconds = seconds;
      return this;
    }

    /**
     * Validates and builds the package.
     *
     * @return the package
     * @throws IllegalArgumentException naming the field and the value of the first rule broken
     */
    public ServicePackage build() {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank: '" + (name == null ? "" : name) + "'");
      }
      if (currency == null) {
        throw new IllegalArgumentException("currency is required for package '" + id + "'");
      }
      if (frequency == null) {
        throw new IllegalArgumentException("frequency is required for package '" + id + "'");
      }
      nonNegative("retail", retail);
      nonNegative("cost", cost);
      nonNegative("setupRetail", setupRetail);
      nonNegative("setupCost", setupCost);
      if (minimumDays != null && minimumDays < 0) {
        throw new IllegalArgumentException("minimumDays must be >= 0, was " + minimumDays);
      }
      checkMatch();
      boolean freeMinutes = types != null && types.contains(PackageType.FREE_MINUTES);
      if (destination != null && !freeMinutes) {
        throw new IllegalArgumentException(
            "destination is only allowed on a FREE_MINUTES package, was '" + destination + "'");
      }
      if (roundingIncrementSeconds != null
          && (roundingIncrementSeconds < 1 || roundingIncrementSeconds > FreeMinuteRules.MAX_ROUNDING_INCREMENT)) {
        throw new IllegalArgumentException(
            "roundingIncrementSeconds must be within 1.." + FreeMinuteRules.MAX_ROUNDING_INCREMENT + ", was "
                + roundingIncrementSeconds);
      }
      if (Boolean.TRUE.equals(minimumSpend) && frequency == Frequency.NONE) {
        throw new IllegalArgumentException(
            "minimumSpend needs a recurring frequency, was frequency " + frequency);
      }
      return new ServicePackage(this);
    }

    private static void nonNegative(String field, BigDecimal amount) {
      if (amount != null && amount.signum() < 0) {
        throw new IllegalArgumentException(field + " must be >= 0, was " + amount.toPlainString());
      }
    }

    private void checkMatch() {
      if (frequencyMatch == null || frequencyMatch.isEmpty()) {
        return;
      }
      FrequencyMatch.Kind allowed = FrequencyMatch.kindFor(frequency);
      if (allowed == null) {
        throw new IllegalArgumentException(
            "frequencyMatch is not allowed for frequency " + frequency + ", was '" + frequencyMatch + "'");
      }
      if (frequencyMatch.kind() != allowed) {
        throw new IllegalArgumentException("frequencyMatch for frequency " + frequency + " must list "
            + (allowed == FrequencyMatch.Kind.DAYS_OF_WEEK ? "weekdays" : "days of month")
            + ", was '" + frequencyMatch + "'");
      }
    }
  }
}
