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
 * Builds a {@link ServicePackage}. Each setter may be called once (a second call is a bug in the
 * caller and throws {@link IllegalStateException}); {@link #build()} validates the whole package.
 *
 * <p>Not thread-safe.
 */
public final class ServicePackageBuilder {
  final String id;
  String name;
  String description;
  Currency currency;
  BigDecimal retail;
  BigDecimal cost;
  BigDecimal setupRetail;
  BigDecimal setupCost;
  Frequency frequency;
  FrequencyMatch frequencyMatch;
  Integer minimumDays;
  Set<PackageType> types;
  DestinationPattern destination;
  Boolean minimumSpend;
  Set<String> features;
  FirstPeriod firstPeriod;
  MonthEnd monthEnd;
  Integer roundingIncrementSeconds;
  Integer notificationDays;
  Integer lowBalancePercent;

  ServicePackageBuilder(String id) {
    this.id = Ids.require("id", id);
  }


  /**
   * The package's name, shown on statements (required, not blank; text as {@link Limits#text} takes,
   * at most {@value Limits#MAX_NAME_LENGTH} characters).
   *
   * @param name the name
   * @return this builder
   */
  public ServicePackageBuilder name(String name) {
    SetOnce.check(this.name, "name");
    this.name = Limits.text("name", name, Limits.MAX_NAME_LENGTH);
    return this;
  }

  /**
   * A free-text description (default empty; at most {@value Limits#MAX_DESCRIPTION_LENGTH} characters).
   *
   * @param description the description
   * @return this builder
   */
  public ServicePackageBuilder description(String description) {
    SetOnce.check(this.description, "description");
    this.description = Limits.text("description", description, Limits.MAX_DESCRIPTION_LENGTH);
    return this;
  }

  /**
   * ISO 4217 code, e.g. {@code "USD"}.
   *
   * @param currencyCode the ISO 4217 code of a currency that has a minor unit
   * @return this builder
   */
  public ServicePackageBuilder currency(String currencyCode) {
    return currency(Money.currency(currencyCode));
  }

  /**
   * The package's currency (required); pseudo currencies without a minor unit are refused.
   *
   * @param currency the currency
   * @return this builder
   */
  public ServicePackageBuilder currency(Currency currency) {
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
  public ServicePackageBuilder retail(String amount) {
    return retail(Money.parseAmount("retail", amount));
  }

  /**
   * The recurring retail price per unit of quantity (default 0).
   *
   * @param amount the price, not negative, at most {@value Limits#MAX_UNIT_INTEGER_DIGITS} integer and
   *     {@value Limits#MAX_SCALE} fraction digits
   * @return this builder
   */
  public ServicePackageBuilder retail(BigDecimal amount) {
    SetOnce.check(this.retail, "retail");
    this.retail = Limits.unitAmount("retail", amount);
    return this;
  }

  /**
   * The recurring cost per unit of quantity, as a plain decimal (default 0).
   *
   * @param amount the cost, e.g. {@code "1.20"}
   * @return this builder
   */
  public ServicePackageBuilder cost(String amount) {
    return cost(Money.parseAmount("cost", amount));
  }

  /**
   * The recurring cost per unit of quantity (default 0).
   *
   * @param amount the cost, not negative, at most {@value Limits#MAX_UNIT_INTEGER_DIGITS} integer and
   *     {@value Limits#MAX_SCALE} fraction digits
   * @return this builder
   */
  public ServicePackageBuilder cost(BigDecimal amount) {
    SetOnce.check(this.cost, "cost");
    this.cost = Limits.unitAmount("cost", amount);
    return this;
  }

  /**
   * The setup fee per unit of quantity, as a plain decimal (default 0).
   *
   * @param amount the fee
   * @return this builder
   */
  public ServicePackageBuilder setupRetail(String amount) {
    return setupRetail(Money.parseAmount("setupRetail", amount));
  }

  /**
   * The setup fee per unit of quantity (default 0).
   *
   * @param amount the fee, not negative, at most {@value Limits#MAX_UNIT_INTEGER_DIGITS} integer and
   *     {@value Limits#MAX_SCALE} fraction digits
   * @return this builder
   */
  public ServicePackageBuilder setupRetail(BigDecimal amount) {
    SetOnce.check(this.setupRetail, "setupRetail");
    this.setupRetail = Limits.unitAmount("setupRetail", amount);
    return this;
  }

  /**
   * The setup cost per unit of quantity, as a plain decimal (default 0).
   *
   * @param amount the cost
   * @return this builder
   */
  public ServicePackageBuilder setupCost(String amount) {
    return setupCost(Money.parseAmount("setupCost", amount));
  }

  /**
   * The setup cost per unit of quantity (default 0).
   *
   * @param amount the cost, not negative, at most {@value Limits#MAX_UNIT_INTEGER_DIGITS} integer and
   *     {@value Limits#MAX_SCALE} fraction digits
   * @return this builder
   */
  public ServicePackageBuilder setupCost(BigDecimal amount) {
    SetOnce.check(this.setupCost, "setupCost");
    this.setupCost = Limits.unitAmount("setupCost", amount);
    return this;
  }

  /**
   * How often the package bills (required).
   *
   * @param frequency the frequency
   * @return this builder
   */
  public ServicePackageBuilder frequency(Frequency frequency) {
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
  public ServicePackageBuilder frequencyMatch(FrequencyMatch match) {
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
  public ServicePackageBuilder minimumDays(int days) {
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
  public ServicePackageBuilder types(Collection<PackageType> types) {
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
  public ServicePackageBuilder types(PackageType... types) {
    return types(java.util.Arrays.asList(types));
  }

  /**
   * A destination pattern such as {@code ^44|^91|^1}; see {@link DestinationPattern#parse}.
   *
   * @param pattern the pattern's source text
   * @return this builder
   */
  public ServicePackageBuilder destination(String pattern) {
    return destination(DestinationPattern.parse(pattern));
  }

  /**
   * Where free minutes apply (default: every destination).
   *
   * @param pattern the pattern
   * @return this builder
   */
  public ServicePackageBuilder destination(DestinationPattern pattern) {
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
  public ServicePackageBuilder minimumSpend(boolean minimumSpend) {
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
  public ServicePackageBuilder features(Collection<String> features) {
    SetOnce.check(this.features, "features");
    Objects.requireNonNull(features, "features");
    Set<String> copy = new TreeSet<>();
    for (String feature : features) {
      if (feature == null || feature.isBlank()) {
        throw new IllegalArgumentException("features must not contain a blank key: '" + feature + "'");
      }
      copy.add(Limits.text("features", feature, Limits.MAX_FEATURE_LENGTH));
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
  public ServicePackageBuilder features(String... features) {
    return features(java.util.Arrays.asList(features));
  }

  /**
   * How a first period that starts between two occurrences is billed (default {@link FirstPeriod#PRORATED}).
   *
   * @param firstPeriod the rule
   * @return this builder
   */
  public ServicePackageBuilder firstPeriod(FirstPeriod firstPeriod) {
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
  public ServicePackageBuilder monthEnd(MonthEnd monthEnd) {
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
  public ServicePackageBuilder roundingIncrementSeconds(int seconds) {
    SetOnce.check(this.roundingIncrementSeconds, "roundingIncrementSeconds");
    this.roundingIncrementSeconds = seconds;
    return this;
  }

  /**
   * How many days ahead a CHARGE run announces a line ({@code CHARGE_UPCOMING}), 0..366
   * (default 0: no announcement).
   *
   * @param days the days
   * @return this builder
   */
  public ServicePackageBuilder notificationDays(int days) {
    SetOnce.check(this.notificationDays, "notificationDays");
    this.notificationDays = days;
    return this;
  }

  /**
   * The remaining share of a grant, in percent, at or below which it is low ({@code GRANT_LOW}),
   * 0..99 (default 0: no such event); only for a FREE_MINUTES package.
   *
   * @param percent the percent
   * @return this builder
   */
  public ServicePackageBuilder lowBalancePercent(int percent) {
    SetOnce.check(this.lowBalancePercent, "lowBalancePercent");
    this.lowBalancePercent = percent;
    return this;
  }

  /**
   * Validates and builds the package.
   *
   * @return the package
   * @throws IllegalArgumentException naming the field and the value of the first rule broken
   */
  public ServicePackage build() {
    ServicePackageChecks.check(this);
    return new ServicePackage(this);
  }
}
