package dev.allotment.core;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link LineKind#GRANT_ADJUSTMENT} line does to a grant: its allocation becomes
 * {@code allocatedSeconds}, but never less than the seconds already used, and its validity ends at
 * {@code validUntil} (exclusive; empty = no expiry). Setting a grant to a revision twice leaves it
 * as once, so a store applies a batch's revisions however often the batch is committed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param grantId the grant revised: the text of the key of the FREE_MINUTES line that issued it
 * @param allocatedSeconds the seconds the grant now holds at most, not negative
 * @param validUntil the new end of its validity
 */
public record GrantRevision(String grantId, long allocatedSeconds, Optional<Instant> validUntil) {
  /**
   * Validates the fields.
   *
   * @param grantId the grant revised
   * @param allocatedSeconds the seconds the grant now holds at most, not negative
   * @param validUntil the new end of its validity
   */
  public GrantRevision {
    Grant.requireGrantId(grantId);
    if (allocatedSeconds < 0) {
      throw new IllegalArgumentException("allocatedSeconds must be >= 0, was " + allocatedSeconds);
    }
    Objects.requireNonNull(validUntil, "validUntil");
    validUntil.ifPresent(until -> Limits.instant("validUntil", until));
  }

  /**
   * The revision a charged GRANT_ADJUSTMENT line asks for, with its dates taken at midnight in
   * {@code zone} (the provider's billing zone), as {@link Grant#of} takes them.
   *
   * @param line the GRANT_ADJUSTMENT line
   * @param zone the billing zone
   * @return the revision of the grant its FREE_MINUTES line issued
   * @throws IllegalArgumentException when the line is not a GRANT_ADJUSTMENT line
   */
  public static GrantRevision of(ChargeLine line, ZoneId zone) {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(zone, "zone");
    if (line.kind() != LineKind.GRANT_ADJUSTMENT) {
      throw new IllegalArgumentException("line must be a GRANT_ADJUSTMENT line, was " + line.key());
    }
    return new GrantRevision(line.key().adjusted().toString(), line.grantSeconds(),
        line.grantValidUntil().map(until -> until.atStartOfDay(zone).toInstant()));
  }

  /**
   * The grant as revised, given the seconds it has used.
   *
   * @param grant the grant this revision names
   * @param usedSeconds the seconds it has used
   * @return the grant with the new allocation (at least {@code usedSeconds}) and validity
   * @throws IllegalArgumentException when the grant is another one
   */
  public Grant applyTo(Grant grant, long usedSeconds) {
    if (!grant.id().equals(grantId)) {
      throw new IllegalArgumentException("revision of grant '" + grantId + "' applied to grant '" + grant.id() + "'");
    }
    return grant.revised(Math.max(allocatedSeconds, usedSeconds), validUntil);
  }
}
