package dev.allotment.core;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds an {@link Assignment}. Each setter may be called once; {@link #build()} validates.
 *
 * <p>Not thread-safe.
 */
public final class AssignmentBuilder {
  private final String id;
  private String customerId;
  private String did;
  private String packageId;
  private Integer quantity;
  private LocalDate startDate;
  private LocalDate endDate;
  private Boolean autoDecrementCredit;
  private Integer minutes;
  private OwnPrices ownPrices;
  private List<Suspension> suspensions;
  private Predecessor previous;
  private LocalDate scheduleAnchor;
  private LocalDate repriceFrom;
  private Long version;

  AssignmentBuilder(String id) {
    this.id = Ids.require("id", id);
  }

  /**
   * The customer billed (required).
   *
   * @param customerId the customer id
   * @return this builder
   */
  public AssignmentBuilder customerId(String customerId) {
    SetOnce.check(this.customerId, "customerId");
    this.customerId = Ids.require("customerId", customerId);
    return this;
  }

  /**
   * Binds the assignment to one DID of the customer (digits only).
   *
   * @param did the DID's digits
   * @return this builder
   */
  public AssignmentBuilder did(String did) {
    SetOnce.check(this.did, "did");
    this.did = Ids.requireDigits("did", did);
    return this;
  }

  /**
   * The package assigned (required; its catalog entry decides the rules).
   *
   * @param packageId the package id
   * @return this builder
   */
  public AssignmentBuilder packageId(String packageId) {
    SetOnce.check(this.packageId, "packageId");
    this.packageId = Ids.require("packageId", packageId);
    return this;
  }

  /**
   * How many units (default 1; 1..{@link Limits#MAX_QUANTITY}).
   *
   * @param quantity the quantity
   * @return this builder
   */
  public AssignmentBuilder quantity(int quantity) {
    SetOnce.check(this.quantity, "quantity");
    this.quantity = quantity;
    return this;
  }

  /**
   * The first billed day, inclusive (required).
   *
   * @param startDate the start date
   * @return this builder
   */
  public AssignmentBuilder startDate(LocalDate startDate) {
    SetOnce.check(this.startDate, "startDate");
    this.startDate = Objects.requireNonNull(startDate, "startDate");
    return this;
  }

  /**
   * The last billed day, inclusive (default: open-ended).
   *
   * @param endDate the end date, not before the start
   * @return this builder
   */
  public AssignmentBuilder endDate(LocalDate endDate) {
    SetOnce.check(this.endDate, "endDate");
    this.endDate = Objects.requireNonNull(endDate, "endDate");
    return this;
  }

  /**
   * Whether the lines debit the customer's credit (default false).
   *
   * @param autoDecrementCredit true to debit the credit
   * @return this builder
   */
  public AssignmentBuilder autoDecrementCredit(boolean autoDecrementCredit) {
    SetOnce.check(this.autoDecrementCredit, "autoDecrementCredit");
    this.autoDecrementCredit = autoDecrementCredit;
    return this;
  }

  /**
   * Free minutes per period and per unit of quantity: required for free-minute packages, forbidden otherwise.
   *
   * @param minutes the minutes, positive
   * @return this builder
   */
  public AssignmentBuilder minutes(int minutes) {
    SetOnce.check(this.minutes, "minutes");
    this.minutes = minutes;
    return this;
  }

  /**
   * The assignment's own unit prices (default {@link OwnPrices#NONE}: the package's): a negotiated
   * or grandfathered price, in the package's currency.
   *
   * @param ownPrices the prices
   * @return this builder
   */
  public AssignmentBuilder ownPrices(OwnPrices ownPrices) {
    SetOnce.check(this.ownPrices, "ownPrices");
    this.ownPrices = Objects.requireNonNull(ownPrices, "ownPrices");
    return this;
  }

  /**
   * The assignment's suspensions (default none); {@code suspend} and {@code resume} add them, and
   * stores restore them.
   *
   * @param suspensions ascending, not overlapping, only the last open (see {@link Suspension#checkedList})
   * @return this builder
   * @throws IllegalArgumentException naming the suspension that breaks a rule
   */
  public AssignmentBuilder suspensions(List<Suspension> suspensions) {
    SetOnce.check(this.suspensions, "suspensions");
    this.suspensions = Suspension.checkedList(suspensions);
    return this;
  }

  /**
   * The assignment a plan change replaced by this one (default none); set by {@code change}.
   *
   * @param previous the predecessor
   * @return this builder
   */
  public AssignmentBuilder previous(Predecessor previous) {
    SetOnce.check(this.previous, "previous");
    this.previous = Objects.requireNonNull(previous, "previous");
    return this;
  }

  /**
   * The date the frequency rule counts from (default the start date); a plan change gives its
   * successor the predecessor's, so billing days stay as they were.
   *
   * @param scheduleAnchor the anchor, not after the start date
   * @return this builder
   */
  public AssignmentBuilder scheduleAnchor(LocalDate scheduleAnchor) {
    SetOnce.check(this.scheduleAnchor, "scheduleAnchor");
    this.scheduleAnchor = Limits.date("scheduleAnchor", scheduleAnchor);
    return this;
  }

  /**
   * Restores a stored reprice marker; hosts creating assignments never need this.
   *
   * @param repriceFrom the stored marker
   * @return this builder
   */
  public AssignmentBuilder repriceFrom(LocalDate repriceFrom) {
    SetOnce.check(this.repriceFrom, "repriceFrom");
    this.repriceFrom = Objects.requireNonNull(repriceFrom, "repriceFrom");
    return this;
  }

  /**
   * Restores a stored version (default 0); hosts creating assignments never need this.
   *
   * @param version the stored version, not negative
   * @return this builder
   */
  public AssignmentBuilder version(long version) {
    SetOnce.check(this.version, "version");
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
    this.version = version;
    return this;
  }

  /**
   * Validates and builds the assignment.
   *
   * @return the assignment
   * @throws IllegalArgumentException naming the field and the value of the first rule broken
   */
  public Assignment build() {
    if (customerId == null) {
      throw new IllegalArgumentException("customerId is required for assignment '" + id + "'");
    }
    if (packageId == null) {
      throw new IllegalArgumentException("packageId is required for assignment '" + id + "'");
    }
    if (startDate == null) {
      throw new IllegalArgumentException("startDate is required for assignment '" + id + "'");
    }
    int qty = Limits.quantity("quantity", quantity == null ? 1 : quantity);
    Assignment.checkRange("startDate", startDate);
    if (endDate != null) {
      Assignment.checkRange("endDate", endDate);
      Assignment.checkEnd(startDate, endDate);
    }
    if (minutes != null && minutes <= 0) {
      throw new IllegalArgumentException("minutes must be > 0, was " + minutes);
    }
    // Keeps minutes x quantity x 60 (seconds per period) comfortably inside a long.
    if (minutes != null && (long) minutes * qty > 1_000_000_000L) {
      throw new IllegalArgumentException(
          "minutes x quantity must be <= 1000000000, was " + minutes + " x " + qty);
    }
    if (scheduleAnchor != null && scheduleAnchor.isAfter(startDate)) {
      throw new IllegalArgumentException("scheduleAnchor must not be after startDate " + startDate + ", was "
          + scheduleAnchor);
    }
    List<Suspension> held = suspensions == null ? List.of() : suspensions;
    // One beginning after the end date is kept (an end date moved before a suspension): it bills nothing.
    if (!held.isEmpty() && held.get(0).from().isBefore(startDate)) {
      throw new IllegalArgumentException("suspensions must begin on or after startDate " + startDate + ", were "
          + Suspension.format(held));
    }
    return new Assignment(id, customerId, did, packageId, qty, startDate, endDate,
        autoDecrementCredit != null && autoDecrementCredit, minutes, ownPrices == null ? OwnPrices.NONE : ownPrices,
        held, previous, scheduleAnchor == null || scheduleAnchor.equals(startDate) ? null : scheduleAnchor,
        repriceFrom, version == null ? 0 : version);
  }
}
