package dev.allotment.core;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
  private final List<Suspension> suspensions;
  private final Predecessor previous;
  private final LocalDate anchor;
  private final LocalDate repriceFrom;
  private final long version;

  Assignment(String id, String customerId, String did, String packageId, int quantity,
      LocalDate startDate, LocalDate endDate, boolean autoDecrementCredit, Integer minutes,
      OwnPrices ownPrices, List<Suspension> suspensions, Predecessor previous, LocalDate anchor,
      LocalDate repriceFrom, long version) {
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
    this.suspensions = suspensions;
    this.previous = previous;
    this.anchor = anchor;
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
    return prices.equals(ownPrices) ? this : copy(endDate, prices, suspensions, repriceFrom, version);
  }

  /** {@return the assignment's suspensions, ascending; the last may be open (not yet resumed)} */
  public List<Suspension> suspensions() {
    return suspensions;
  }

  /** {@return the assignment a plan change replaced by this one; empty for an assignment made by {@code assign}} */
  public Optional<Predecessor> previous() {
    return Optional.ofNullable(previous);
  }

  /**
   * {@return the date the frequency rule counts from, never after the start date: the start date,
   * or for a plan change's successor its predecessor's anchor, so billing days stay as they were}
   */
  public LocalDate scheduleAnchor() {
    return anchor == null ? startDate : anchor;
  }

  /**
   * {@return true when a {@link Suspension} covers {@code date}}
   *
   * @param date any date
   */
  public boolean isSuspendedOn(LocalDate date) {
    Objects.requireNonNull(date, "date");
    for (Suspension s : suspensions) {
      if (s.covers(date)) {
        return true;
      }
    }
    return false;
  }

  /** {@return the open suspension, if the assignment is on hold with no resume date} */
  public Optional<Suspension> openSuspension() {
    return suspensions.isEmpty() || !suspensions.get(suspensions.size() - 1).isOpen() ? Optional.empty()
        : Optional.of(suspensions.get(suspensions.size() - 1));
  }

  /**
   * Returns a copy suspended from {@code from} until resumed; the period holding {@code from} is cut
   * there like an end date, so it is marked for repricing ({@link #withEndDate(LocalDate, ServicePackage)}).
   *
   * @param from the first suspended day, within [start, end] and after every earlier suspension
   * @param servicePackage this assignment's package
   * @return the suspended copy
   * @throws IllegalArgumentException naming the field and value when from lies outside the
   *     assignment, in or right after an earlier suspension, the assignment is suspended already,
   *     or its package is one-off (frequency NONE)
   */
  public Assignment withSuspension(LocalDate from, ServicePackage servicePackage) {
    requireOwnPackage(servicePackage);
    Limits.date("from", from);
    if (servicePackage.frequency() == Frequency.NONE) {
      throw new IllegalArgumentException("assignment '" + id + "' has a one-off package '" + packageId
          + "' (frequency NONE): it has no periods to suspend, from was " + from);
    }
    if (from.isBefore(startDate) || (endDate != null && from.isAfter(endDate))) {
      throw new IllegalArgumentException("from must lie within assignment '" + id + "' (" + startDate + ".."
          + (endDate == null ? "" : endDate) + "), was " + from);
    }
    Optional<Suspension> open = openSuspension();
    if (open.isPresent()) {
      throw new IllegalArgumentException("assignment '" + id + "' is already suspended since "
          + open.get().from() + ": resume it before suspending it again, from was " + from);
    }
    if (!suspensions.isEmpty()) {
      LocalDate lastResume = suspensions.get(suspensions.size() - 1).resumeOn().orElseThrow();
      if (!from.isAfter(lastResume)) {
        throw new IllegalArgumentException("from must be after " + lastResume + ", the resume day of assignment '"
            + id + "''s last suspension (suspensions never overlap), was " + from);
      }
    }
    List<Suspension> more = new ArrayList<>(suspensions);
    more.add(Suspension.from(from));
    return copy(endDate, ownPrices, Suspension.checkedList(more),
        earliest(repriceFrom, periodStartAround(from, servicePackage)), version);
  }

  /**
   * Returns a copy resumed on {@code on}: a stub [on, next occurrence) opens, billed like a first period (never free).
   *
   * @param on the first day billed again, after the suspension's first day
   * @param servicePackage this assignment's package
   * @return the resumed copy
   * @throws IllegalArgumentException naming the field and value when the assignment is not
   *     suspended or on is not after the suspension's first day
   */
  public Assignment withResume(LocalDate on, ServicePackage servicePackage) {
    requireOwnPackage(servicePackage);
    Limits.date("on", on);
    Suspension open = openSuspension().orElseThrow(() -> new IllegalArgumentException(
        "assignment '" + id + "' is not suspended, so it cannot resume on " + on));
    List<Suspension> resumed = new ArrayList<>(suspensions);
    resumed.set(resumed.size() - 1, open.resumedOn(on));
    return copy(endDate, ownPrices, Suspension.checkedList(resumed),
        earliest(repriceFrom, periodStartAround(open.from(), servicePackage)), version);
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
    return version == this.version ? this : copy(endDate, ownPrices, suspensions, repriceFrom, version);
  }

  /**
   * True when {@code date} lies within [start, end] and is not suspended.
   *
   * @param date the billing date
   * @return true when the assignment is active on that date
   */
  public boolean isActiveOn(LocalDate date) {
    return !date.isBefore(startDate) && (endDate == null || !date.isAfter(endDate)) && !isSuspendedOn(date);
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
    LocalDate affected = periodStartAround(earlierEnd, servicePackage);
    return copy(newEnd, ownPrices, suspensions, earliest(repriceFrom, affected), version);
  }

  /** {@return a copy without the reprice marker: a run has committed every adjustment it implied} */
  public Assignment withRepricingDone() {
    return repriceFrom == null ? this : copy(endDate, ownPrices, suspensions, null, version);
  }

  /**
   * The start of the rule period holding {@code date}, not before the start date. A line charged
   * while an end date or a suspension cut its period is stored with the short period; reaching
   * back to the period's start keeps it in the history the next run reprices.
   */
  private LocalDate periodStartAround(LocalDate date, ServicePackage servicePackage) {
    if (!date.isAfter(startDate)) {
      return startDate;
    }
    LocalDate ruleStart = OccurrenceSchedule.of(servicePackage.frequency(), servicePackage.frequencyMatch(),
        servicePackage.monthEnd(), scheduleAnchor(), null).lastOnOrBefore(date).orElse(startDate);
    return ruleStart.isBefore(startDate) ? startDate : ruleStart;
  }

  private Assignment copy(LocalDate endDate, OwnPrices ownPrices, List<Suspension> suspensions,
      LocalDate repriceFrom, long version) {
    return new Assignment(id, customerId, did, packageId, quantity, startDate, endDate, autoDecrementCredit, minutes,
        ownPrices, suspensions, previous, anchor, repriceFrom, version);
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
        && suspensions.equals(a.suspensions)
        && Objects.equals(previous, a.previous)
        && Objects.equals(anchor, a.anchor)
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
        + (ownPrices.isEmpty() ? "" : " " + ownPrices)
        + (suspensions.isEmpty() ? "" : " suspended " + Suspension.format(suspensions))
        + (previous == null ? "" : " after " + previous.assignmentId()) + (version == 0 ? "" : " v" + version) + "]";
  }

}
