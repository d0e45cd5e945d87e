package dev.allotment.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One call as the switch reports it to the free-minute ledger.
 *
 * <p>Validated on construction, so a ledger never sees a bad record: ids as every Allotment id
 * (1..100 characters, no whitespace, '/' or '#'); the DID and the dialed number ASCII digits only,
 * 1..32 of them (no {@code +}); the duration within {@code 0..}{@value #MAX_DURATION_SECONDS}
 * seconds (a call over 24 hours is a switch fault, not a call); the start an instant stores hold
 * ({@link Limits#instant}: years 1 to 9999, whole microseconds). Each breach throws an
 * {@link IllegalArgumentException} naming the field and the value.
 *
 * <p>Immutable and thread-safe. Equal records are the same call: a ledger treats a record with a
 * known usage id but different content as a conflict.
 *
 * @param usageId the switch's unique id of the call: the ledger's idempotency key
 * @param customerId the calling customer
 * @param did the customer's DID the call was made on, if any
 * @param number the dialed number, digits only
 * @param start when the call started; decides which grants are valid for it
 * @param durationSeconds the call's length in seconds, before any rounding
 */
public record UsageRecord(String usageId, String customerId, Optional<String> did, String number, Instant start,
    long durationSeconds) {

  /** 24 hours: the longest call a record may report. */
  public static final long MAX_DURATION_SECONDS = 86_400;

  /**

   * Validates every component, as the class comment says.

   *

   * @param usageId the switch's unique id of the call: the ledger's idempotency key

   * @param customerId the calling customer

   * @param did the customer's DID the call was made on, if any

   * @param number the dialed number, digits only

   * @param start when the call started; decides which grants are valid for it

   * @param durationSeconds the call's length in seconds, before any rounding

   */
  public UsageRecord {
    Ids.require("usageId", usageId);
    Ids.require("customerId", customerId);
    Objects.requireNonNull(did, "did");
    did.ifPresent(d -> Ids.requireDigits("did", d));
    Ids.requireDigits("number", number);
    Limits.instant("start", start);
    if (durationSeconds < 0 || durationSeconds > MAX_DURATION_SECONDS) {
      throw new IllegalArgumentException(
          "durationSeconds must be within 0.." + MAX_DURATION_SECONDS + ", was " + durationSeconds);
    }
  }

  /**
   * A call not made on a DID.
   *
   * @param usageId the switch's unique id of the call
   * @param customerId the calling customer
   * @param number the dialed number, digits only
   * @param start when the call started
   * @param durationSeconds the call's length in seconds, before any rounding
   * @return the record
   */
  public static UsageRecord of(String usageId, String customerId, String number, Instant start, long durationSeconds) {
    return new UsageRecord(usageId, customerId, Optional.empty(), number, start, durationSeconds);
  }

  /**
   * A call made on one of the customer's DIDs.
   *
   * @param usageId the switch's unique id of the call
   * @param customerId the calling customer
   * @param did the customer's DID the call was made on, digits only
   * @param number the dialed number, digits only
   * @param start when the call started
   * @param durationSeconds the call's length in seconds, before any rounding
   * @return the record
   */
  public static UsageRecord onDid(String usageId, String customerId, String did, String number, Instant start,
      long durationSeconds) {
    return new UsageRecord(usageId, customerId, Optional.of(did), number, start, durationSeconds);
  }
}
