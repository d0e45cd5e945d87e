package dev.allotment.core;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A package given to a customer, or to one DID of that customer.
 *
 * <p>Quantity multiplies every amount and every free-minute allowance. Start and end dates are
 * inclusive billing dates in the provider's zone. {@link #minutes()} is the free-minute allowance
 * per period and per unit of quantity; it is required for free-minute packages and forbidden
 * otherwise, which {@link #checkAgainst(ServicePackage)} verifies.
 *
 * <p>{@link #repriceFrom()} is bookkeeping for end-date changes: when the end date moves,
 * already-charged periods around the old and the new end may now cost a different amount, and the
 * next run must re-examine charged lines whose period ends on or after this date (see
 * {@link #withEndDate(LocalDate, ServicePackage)}).
 *
 * <p>{@link #version()} is the store's: 0 when added, raised by one on every change the store
 * makes, so a run can tell that the assignment it planned is still the one stored when it commits.
 *
 * <p>Immutable and thread-safe.
 */
public final class Assignment {
  private final String id;
  private final String customerId;
  private final String did;
  private final String packageId;
  private final int quantity;
  private final LocalDate startDate;
  private final LocalDate endDate;
  private final boolean autoDecrementCredit;
  private final Integer minutes;
  private final OwnPrices ownPrices;
  private final LocalDate repriceFrom;
  private final long version;

  Assignment(String id, String customerId, String did, String packageId, int quantity,
      LocalDate startDate, LocalDate endDate, boolean autoDecrementCredit, Integer minutes,
      OwnPrices ownPrices, LocalDate repriceFrom, long version) {
    this.id = id;
    this.customerId = customerId;
    this.did = did;
    this.packageId = packageId;
    this.quantity = quantity;
    this.startDate = startDate;
    this.endDate = endDate;
    this.autoDecrementCredit = autoDecrementCredit;
    this.minutes = minutes;
    this.ownPrices = ownPrices;
    this.repriceFrom = repriceFrom;
    this.version = version;
  }

  /**
   * Starts an assignment with the given id.
   *
   * @param id the assignment id (1..100 characters)
   * @return a builder for the assignment
   */
  public static AssignmentBuilder builder(String id) {
    return new AssignmentBuilder(id);
  }

  /** {@return the assignment id, unique in a store} */
  public String id() {
    return id;
  }

  /** {@return the customer billed} */
  public String customerId() {
    return customerId;
  }

  /** {@return the DID (digits) the assignment is bound to; empty for a customer-level assignment} */
  public Optional<String> did() {
    return Optional.ofNullable(did);
  }

  /** {@return the package assigned} */
  public String packageId() {
    return packageId;
  }

  /** {@return how many units: it multiplies every amount and every free-minute allowance} */
  public int quantity() {
    return quantity;
  }

  /** {@return the first billed day, inclusive} */
  public LocalDate startDate() {
    return startDate;
  }

  /** {@return the last billed day, inclusive; empty while the assignment runs open-ended} */
  public Optional<LocalDate> endDate() {
    return Optional.ofNullable(endDate);
  }

  /** {@return the day after the last billed day; empty while open-ended} */
  public Optional<LocalDate> endExclusive() {
    return endDate == null ? Optional.empty() : Optional.of(endDate.plusDays(1));
  }

  /** {@return whether the assignment's lines debit the customer's credit} */
  public boolean autoDecrementCredit() {
    return autoDecrementCredit;
  }

  /** {@return the free minutes per period and per unit of quantity} */
  public OptionalInt minutes() {
    return minutes == null ? OptionalInt.empty() : OptionalInt.of(minutes);
  }

  /** {@return the assignment's own unit prices; {@link OwnPrices#NONE} when every price is the package's} */
  public OwnPrices ownPrices() {
    return ownPrices;
  }

  /**
   * Returns a copy with {@code prices} as its own prices, from the next line planned on: lines
   * already charged keep what they were charged (see {@link OwnPrices}).
   *
   * @param prices the new own prices ({@link OwnPrices#NONE} for the package's)
   * @return a copy with those prices
   */
  public Assignment withOwnPrices(OwnPrices prices) {
    Objects.requireNonNull(prices, "ownPrices");
    return prices.equals(ownPrices) ? this : new Assignment(id, customerId, did, packageId, quantity, startDate,
        endDate, autoDecrementCredit, minutes, prices, repriceFrom, version);
  }

  /** {@return the reprice marker (see the class comment); empty when no end-date change awaits repricing} */
  public Optional<LocalDate> repriceFrom() {
    return Optional.ofNullable(repriceFrom);
  }

  /** {@return the store's version of this assignment: see the class comment} */
  public long version() {
    return version;
  }

  /**
   * Returns a copy at {@code version}; for stores, which number every change they make.
   *
   * @param version the version the store gives it
   * @return a copy at that version
   * @throws IllegalArgumentException when version is negative
   */
  public Assignment withVersion(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
    return version == this.version ? this : new Assignment(id, customerId, did, packageId, quantity, startDate,
        endDate, autoDecrementCredit, minutes, ownPrices, repriceFrom, version);
  }

  /**
   * True when {@code date} lies within [start, end].
   *
   * @param date the billing date
   * @return true when the assignment is active on that date
   */
  public boolean isActiveOn(LocalDate date) {
    return !date.isBefore(startDate) && (endDate == null || !date.isAfter(endDate));
  }

  /**
   * The earliest end date the package's minimum days allow: start + minimumDays.
   *
   * @param servicePackage this assignment's package
   * @return the start plus the package's minimum days
   */
  public LocalDate firstAllowedEndDate(ServicePackage servicePackage) {
    return startDate.plusDays(servicePackage.minimumDays());
  }

  /**
   * Checks the rules that involve the package: the package id matches, minutes are present (and
   * positive) exactly for free-minute packages, and an end date respects the minimum days.
   *
   * @param servicePackage this assignment's package
   * @throws IllegalArgumentException naming the field and the value of the first rule broken
   * @throws MinimumDaysException when the end date lies before start + minimumDays
   */
  public void checkAgainst(ServicePackage servicePackage) {
    requireOwnPackage(servicePackage);
    if (servicePackage.grantsFreeMinutes() && minutes == null) {
      throw new IllegalArgumentException(
          "minutes is required for free-minutes package '" + servicePackage.id() + "', was missing");
    }
    if (!servicePackage.grantsFreeMinutes() && minutes != null) {
      throw new IllegalArgumentException("minutes is only allowed for a free-minutes package, was " + minutes
          + " for package '" + servicePackage.id() + "'");
    }
    if (endDate != null && endDate.isBefore(firstAllowedEndDate(servicePackage))) {
      throw new MinimumDaysException(id, endDate, firstAllowedEndDate(servicePackage));
    }
  }

  /**
   * Returns a copy ending on {@code newEnd} (inclusive). Periods already charged from the earlier
   * of the old and the new end onward may now cost another amount: {@link #repriceFrom()} records
   * the start of the period (under {@code servicePackage}'s rule) that contains the earlier end, so
   * the next run re-examines every line of that period, however an end date cut it when it was
   * charged. The marker only ever moves earlier until {@link #withRepricingDone()} clears it.
   *
   * @param newEnd the new last billed day
   * @param servicePackage this assignment's package
   * @return a copy ending on that day, marked for repricing
   * @throws IllegalArgumentException if newEnd is before the start date or outside the billing
   *     dates, or the package is not this assignment's
   */
  public Assignment withEndDate(LocalDate newEnd, ServicePackage servicePackage) {
    Objects.requireNonNull(newEnd, "endDate");
    checkRange("endDate", newEnd);
    checkEnd(startDate, newEnd);
    return withEnd(newEnd, servicePackage);
  }

  /**
   * Returns an open-ended copy (the end date removed), marking the period of the old end for
   * repricing (see {@link #withEndDate(LocalDate, ServicePackage)}).
   *
   * @param servicePackage this assignment's package
   * @return an open-ended copy, marked for repricing
   * @throws IllegalArgumentException if the package is not this assignment's
   */
  public Assignment withoutEndDate(ServicePackage servicePackage) {
    return withEnd(null, servicePackage);
  }

  private void requireOwnPackage(ServicePackage servicePackage) {
    Objects.requireNonNull(servicePackage, "servicePackage");
    if (!packageId.equals(servicePackage.id())) {
      throw new IllegalArgumentException(
          "packageId '" + packageId + "' does not name package '" + servicePackage.id() + "'");
    }
  }

  private Assignment withEnd(LocalDate newEnd, ServicePackage servicePackage) {
    requireOwnPackage(servicePackage);
    if (Objects.equals(endDate, newEnd)) {
      return this;
    }
    // Not both null (equal above): earliest treats null as "no end", later than any date.
    LocalDate earlierEnd = earliest(endDate, newEnd);
    // A line charged while an end date cut its period is stored with the short period; reaching
    // back to the period's start keeps it in the history the next run reprices.
    LocalDate affected = OccurrenceSchedule.of(servicePackage.frequency(), servicePackage.frequencyMatch(),
            servicePackage.monthEnd(), startDate, null)
        .periodContaining(earlierEnd).map(p -> p.period().start()).orElse(startDate);
    return new Assignment(id, customerId, did, packageId, quantity, startDate, newEnd, autoDecrementCredit,
        minutes, ownPrices, earliest(repriceFrom, affected), version);
  }

  /** {@return a copy without the reprice marker: a run has committed every adjustment it implied} */
  public Assignment withRepricingDone() {
    return repriceFrom == null ? this : new Assignment(id, customerId, did, packageId, quantity, startDate,
        endDate, autoDecrementCredit, minutes, ownPrices, null, version);
  }

  private static LocalDate earliest(LocalDate a, LocalDate b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  /** The billing dates Allotment accepts: {@link Limits#date}. */
  static void checkRange(String field, LocalDate date) {
    Limits.date(field, date);
  }

  static void checkEnd(LocalDate start, LocalDate end) {
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("endDate must not be before startDate " + start + ", was " + end);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Assignment a
        && id.equals(a.id)
        && customerId.equals(a.customerId)
        && Objects.equals(did, a.did)
        && packageId.equals(a.packageId)
        && quantity == a.quantity
        && startDate.equals(a.startDate)
        && Objects.equals(endDate, a.endDate)
        && autoDecrementCredit == a.autoDecrementCredit
        && Objects.equals(minutes, a.minutes)
        && ownPrices.equals(a.ownPrices)
        && Objects.equals(repriceFrom, a.repriceFrom)
        && version == a.version;
  }

  /**
   * Equal apart from {@link #repriceFrom()} and {@link #version()}: the same assignment as the host
   * created it.
   *
   * @param a another assignment
   * @return true when both carry the same terms
   */
  public boolean sameTermsAs(Assignment a) {
    return withRepricingDone().withVersion(0).equals(a.withRepricingDone().withVersion(0));
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, customerId, packageId, startDate, endDate);
  }

  @Override
  public String toString() {
    return "Assignment[" + id + " " + packageId + " x" + quantity + " to " + customerId
        + (did == null ? "" : "/" + did) + " " + startDate + ".." + (endDate == null ? "" : endDate)
        + (ownPrices.isEmpty() ? "" : " " + ownPrices) + (version == 0 ? "" : " v" + version) + "]";
  }

}
