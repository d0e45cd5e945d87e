package dev.allotment.spi;

import dev.allotment.core.Grant;
import dev.allotment.core.GrantRevision;
import java.util.Collection;

/**
 * A free-minute store that lives apart from the journal, for the engine's {@code SplitStores}
 * adapter: it adds grants on their own, and revokes the grant of a line whose attempt crashed and
 * that no plan holds any more.
 */
public interface SplitFreeMinuteStore extends FreeMinuteStore {
  /**
   * Adds each grant whose id the store does not hold, with nothing used. A held id takes the given
   * grant's terms (an attempt that crashed before its journal commit may have granted other terms
   * than the plan that finishes it) and keeps its used seconds, at most the new allocation; a held
   * id that was revoked serves calls again. All or none.
   *
   * @param grants the grants
   */
  void addGrants(Collection<Grant> grants);

  /**
   * Sets each held grant named by a revision to it: its allocation becomes the revision's seconds,
   * but never less than the seconds it has used, and its validity ends at the revision's end. An
   * unknown id is ignored; applying a revision twice leaves the grant as once. All or none.
   *
   * @param revisions the revisions
   */
  void reviseGrants(Collection<GrantRevision> revisions);

  /**
   * Revokes a grant: once this returns, no call takes seconds from it and refunds give it nothing
   * back; seconds taken before stay taken, and it is no longer listed. Idempotent; an unknown id is
   * ignored.
   *
   * @param grantId the grant id
   * @return true when the grant was held and not revoked before
   */
  boolean revokeGrant(String grantId);
}
