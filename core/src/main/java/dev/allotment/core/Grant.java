package dev.allotment.core;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * Free seconds a customer (or one of its DIDs) may use on calls, over a validity window: what a
 * {@link LineKind#FREE_MINUTES} line grants once it is charged.
 *
 * <p>A grant is valid over {@code [validFrom, validUntil)}; without {@code validUntil} it never
 * expires. A DID-bound grant serves only calls on that DID; a customer-level grant serves every
 * call of the customer. With a {@link #destination()} it serves only numbers the pattern matches.
 * Build one from a planned line with {@link #of(ChargeLine, ServicePackage, ZoneId)}, or with
 * {@link #builder(String)}.
 *
 * <p>Immutable and thread-safe. Two grants are equal when every field is equal; stores use that to
 * tell a replayed grant from a conflicting one with the same id.
 */
public final class Grant {
  /** Generous for {@code assignmentId/FREE_MINUTES/yyyy-mm-dd} with the longest assignment id. */
  static final int MAX_ID_LENGTH = 200;

  private final String id;
  private final String assignmentId;
  private final String customerId;
  private final String did;
  private final DestinationPattern destination;
  private final long allocatedSeconds;
  private final Instant validFrom;
  private final Instant validUntil;
  private final int roundingIncrementSeconds;
  private final int lowBalancePercent;

  private Grant(Builder b) {
    this.id = b.id;
    this.assignmentId = b.assignmentId;
    this.customerId = b.customerId;
    this.did = b.did;
    this.destination = b.destination;
    this.allocatedSeconds = b.allocatedSeconds;
    this.validFrom = b.validFrom;
    this.validUntil = b.validUntil;
    this.roundingIncrementSeconds = b.roundingIncrementSeconds == null ? 1 : b.roundingIncrementSeconds;
    this.lowBalancePercent = b.lowBalancePercent == null ? 0 : b.lowBalancePercent;
  }

  /**
   * Starts a grant with the given id (the text of its line key, e.g. {@code a-17/FREE_MINUTES/2026-03-01}).
   *
   * @param id the grant id
   * @return a builder for the grant
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * The grant a charged {@link LineKind#FREE_MINUTES} line gives: its seconds, the package's
   * destination, rounding increment and low-balance percent, valid from the start of the line's period until the start
   * of {@code grantValidUntil} (or forever), both days taken at midnight in {@code zone}, the
   * provider's billing zone.
   *
   * @param line the charged FREE_MINUTES line
   * @param servicePackage the line's package
   * @param zone the provider's billing zone
   * @return the grant
   * @throws IllegalArgumentException when the line is not a FREE_MINUTES line or is not of the package
   */
  public static Grant of(ChargeLine line, ServicePackage servicePackage, ZoneId zone) {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(servicePackage, "servicePackage");
    Objects.requireNonNull(zone, "zone");
    if (line.kind() != LineKind.FREE_MINUTES) {
      throw new IllegalArgumentException("line must be a FREE_MINUTES line, was " + line.key());
    }
    if (!line.packageId().equals(servicePackage.id()) || !servicePackage.grantsFreeMinutes()) {
      throw new IllegalArgumentException("servicePackage must be the free-minutes package '" + line.packageId()
          + "' of line " + line.key() + ", was '" + servicePackage.id() + "'");
    }
    Builder b = builder(line.keyText())
        .assignmentId(line.assignmentId())
        .customerId(line.customerId())
        .allocatedSeconds(line.grantSeconds())
        .validFrom(line.period().start().atStartOfDay(zone).toInstant())
        .roundingIncrementSeconds(servicePackage.roundingIncrementSeconds())
        .lowBalancePercent(servicePackage.lowBalancePercent());
    line.did().ifPresent(b::did);
    servicePackage.destination().ifPresent(b::destination);
    line.grantValidUntil().ifPresent(until -> b.validUntil(until.atStartOfDay(zone).toInstant()));
    return b.build();
  }

  /** {@return the grant id: the text of the key of the line that granted it} */
  public String id() {
    return id;
  }

  /** {@return the assignment whose line granted it} */
  public String assignmentId() {
    return assignmentId;
  }

  /** {@return the customer whose calls it serves} */
  public String customerId() {
    return customerId;
  }

  /** {@return the DID (digits) the grant is bound to; empty for a customer-level grant} */
  public Optional<String> did() {
    return Optional.ofNullable(did);
  }

  /** {@return where the seconds apply; empty means every destination} */
  public Optional<DestinationPattern> destination() {
    return Optional.ofNullable(destination);
  }

  /** {@return the seconds granted} */
  public long allocatedSeconds() {
    return allocatedSeconds;
  }

  /** {@return the first instant of validity (inclusive)} */
  public Instant validFrom() {
    return validFrom;
  }

  /** {@return the end of validity (exclusive); empty when the grant never expires} */
  public Optional<Instant> validUntil() {
    return Optional.ofNullable(validUntil);
  }

  /** {@return the rounding increment: calls consuming from this grant first are rounded up to a multiple of this many seconds} */
  public int roundingIncrementSeconds() {
    return roundingIncrementSeconds;
  }

  /**
   * True when {@code at} lies within {@code [validFrom, validUntil)}.
   *
   * @param at the instant a call starts
   * @return true when the grant is valid at that instant
   */
  public boolean isValidAt(Instant at) {
    return at.compareTo(validFrom) >= 0 && (validUntil == null || at.compareTo(validUntil) < 0);
  }

  /**
   * How specifically this grant serves a call, or -1 when it does not: the destination's longest
   * match (0 without a destination). {@code callDid} may be null (a call not on a DID).
   */
  int matchLength(String callCustomerId, String callDid, String number, Instant start) {
    if (!customerId.equals(callCustomerId) || !isValidAt(start) || (did != null && !did.equals(callDid))) {
      return -1;
    }
    return destination == null ? 0 : destination.longestMatch(number);
  }

  /** Null when the grant never expires; the hot path avoids the Optional. */
  Instant validUntilOrNull() {
    return validUntil;
  }

  /**
   * {@return the remaining share of the allocation, in percent, at or below which the grant is low
   * (its package's {@link ServicePackage#lowBalancePercent()} when it was issued); 0 for none}
   */
  public int lowBalancePercent() {
    return lowBalancePercent;
  }

  /**
   * Whether {@code usedSeconds} of this grant leave it low: a remaining share of at most
   * {@link #lowBalancePercent()} percent, computed exactly ({@code remaining * 100 <= allocated * percent}).
   *
   * @param usedSeconds the used seconds
   * @return true when the grant is low at that use; always false without a low-balance percent
   */
  public boolean isLowAt(long usedSeconds) {
    return lowBalancePercent > 0
        && Math.multiplyExact(allocatedSeconds - usedSeconds, 100L) <= Math.multiplyExact(allocatedSeconds,
            (long) lowBalancePercent);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grant g
        && id.equals(g.id)
        && assignmentId.equals(g.assignmentId)
        && customerId.equals(g.customerId)
        && Objects.equals(did, g.did)
        && Objects.equals(destination, g.destination)
        && allocatedSeconds == g.allocatedSeconds
        && validFrom.equals(g.validFrom)
        && Objects.equals(validUntil, g.validUntil)
        && roundingIncrementSeconds == g.roundingIncrementSeconds
        && lowBalancePercent == g.lowBalancePercent;
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Grant[" + id + " " + allocatedSeconds + "s to " + customerId + (did == null ? "" : "/" + did)
        + (destination == null ? "" : " for " + destination) + " [" + validFrom + ", "
        + (validUntil == null ? "" : validUntil) + ")"
        + (roundingIncrementSeconds == 1 ? "" : " per " + roundingIncrementSeconds + "s") + "]";
  }

  /**
   * Builds a {@link Grant}. Each setter may be called once; {@link #build()} validates.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final String id;
    private String assignmentId;
    private String customerId;
    private String did;
    private Integer lowBalancePercent;
    private DestinationPattern destination;
    private Long allocatedSeconds;
    private Instant validFrom;
    private Instant validUntil;
    private Integer roundingIncrementSeconds;

    private Builder(String id) {
      this.id = requireGrantId(id);
    }


    /**
     * The assignment whose line granted it (required).
     *
     * @param assignmentId the assignment id
     * @return this builder
     */
    public Builder assignmentId(String assignmentId) {
      SetOnce.check(this.assignmentId, "assignmentId");
      this.assignmentId = Ids.require("assignmentId", assignmentId);
      return this;
    }

    /**
     * The customer whose calls it serves (required).
     *
     * @param customerId the customer id
     * @return this builder
     */
    public Builder customerId(String customerId) {
      SetOnce.check(this.customerId, "customerId");
      this.customerId = Ids.require("customerId", customerId);
      return this;
    }

    /**
     * Binds the grant to one DID of the customer (digits only).
     *
     * @param did the DID's digits
     * @return this builder
     */
    public Builder did(String did) {
      SetOnce.check(this.did, "did");
      this.did = Ids.requireDigits("did", did);
      return this;
    }

    /**
     * A destination pattern such as {@code ^44|^91}; see {@link DestinationPattern#parse}.
     *
     * @param pattern the pattern's source text
     * @return this builder
     */
    public Builder destination(String pattern) {
      return destination(DestinationPattern.parse(pattern));
    }

    /**
     * Where the grant applies (default: every destination).
     *
     * @param destination the pattern
     * @return this builder
     */
    public Builder destination(DestinationPattern destination) {
      SetOnce.check(this.destination, "destination");
      this.destination = Objects.requireNonNull(destination, "destination");
      return this;
    }

    /**
     * Seconds granted, >= 0.
     *
     * @param seconds the seconds
     * @return this builder
     */
    public Builder allocatedSeconds(long seconds) {
      SetOnce.check(this.allocatedSeconds, "allocatedSeconds");
      if (seconds < 0) {
        throw new IllegalArgumentException("allocatedSeconds must be >= 0, was " + seconds);
      }
      this.allocatedSeconds = seconds;
      return this;
    }

    /**
     * The start of validity, inclusive (required).
     *
     * @param validFrom the instant
     * @return this builder
     */
    public Builder validFrom(Instant validFrom) {
      SetOnce.check(this.validFrom, "validFrom");
      this.validFrom = Limits.instant("validFrom", validFrom);
      return this;
    }

    /**
     * The end of validity, exclusive; leave unset for a grant that never expires.
     *
     * @param validUntil the end of validity, after {@code validFrom}
     * @return this builder
     */
    public Builder validUntil(Instant validUntil) {
      SetOnce.check(this.validUntil, "validUntil");
      this.validUntil = Limits.instant("validUntil", validUntil);
      return this;
    }

    /**
     * 1 (per second, the default) up to 3600, as {@link ServicePackage#roundingIncrementSeconds()}.
     *
     * @param seconds the increment in seconds
     * @return this builder
     */
    public Builder roundingIncrementSeconds(int seconds) {
      SetOnce.check(this.roundingIncrementSeconds, "roundingIncrementSeconds");
      if (seconds < 1 || seconds > FreeMinuteRules.MAX_ROUNDING_INCREMENT) {
        throw new IllegalArgumentException("roundingIncrementSeconds must be within 1.."
            + FreeMinuteRules.MAX_ROUNDING_INCREMENT + ", was " + seconds);
      }
      this.roundingIncrementSeconds = seconds;
      return this;
    }

    /**
     * The remaining share, in percent, at or below which the grant is low: 0..99 (default 0, never low).
     *
     * @param percent the percent
     * @return this builder
     */
    public Builder lowBalancePercent(int percent) {
      SetOnce.check(this.lowBalancePercent, "lowBalancePercent");
      if (percent < 0 || percent > 99) {
        throw new IllegalArgumentException("lowBalancePercent must be within 0..99, was " + percent);
      }
      this.lowBalancePercent = percent;
      return this;
    }

    /**
     * Validates and builds the grant.
     *
     * @return the grant
     * @throws IllegalArgumentException naming the field and the value of the first rule broken
     */
    public Grant build() {
      if (assignmentId == null) {
        throw new IllegalArgumentException("assignmentId is required for grant '" + id + "'");
      }
      if (customerId == null) {
        throw new IllegalArgumentException("customerId is required for grant '" + id + "'");
      }
      if (allocatedSeconds == null) {
        throw new IllegalArgumentException("allocatedSeconds is required for grant '" + id + "'");
      }
      if (validFrom == null) {
        throw new IllegalArgumentException("validFrom is required for grant '" + id + "'");
      }
      if (validUntil != null && !validUntil.isAfter(validFrom)) {
        throw new IllegalArgumentException("validUntil must be after validFrom " + validFrom + ", was " + validUntil);
      }
      return new Grant(this);
    }
  }

  /**
   * This grant with another allocation and validity end, as a {@link GrantRevision} sets it. A
   * validity ending at its start leaves a grant that serves no call (its period no longer exists).
   */
  Grant revised(long newAllocatedSeconds, Optional<Instant> newValidUntil) {
    if (newValidUntil.isPresent() && newValidUntil.get().isBefore(validFrom)) {
      throw new IllegalArgumentException("validUntil must not be before validFrom " + validFrom + ", was "
          + newValidUntil.get());
    }
    Builder b = builder(id).assignmentId(assignmentId).customerId(customerId).allocatedSeconds(newAllocatedSeconds)
        .validFrom(validFrom).roundingIncrementSeconds(roundingIncrementSeconds).lowBalancePercent(lowBalancePercent);
    if (did != null) {
      b.did(did);
    }
    if (destination != null) {
      b.destination(destination);
    }
    newValidUntil.ifPresent(b::validUntil);
    return new Grant(b);
  }

  /**
   * A grant id is usually a line key's text, which holds '/' (and '#' for adjustments), so the
   * stricter {@link Ids#require} does not apply: {@link Ids#requireKey}, the same alphabet with them.
   */
  static String requireGrantId(String id) {
    return Ids.requireKey("grantId", id, MAX_ID_LENGTH);
  }
}
