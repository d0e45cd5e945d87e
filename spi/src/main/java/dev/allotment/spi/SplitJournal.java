package dev.allotment.spi;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A journal that lives apart from the credit ledger and the free-minute store, for the engine's
 * {@code SplitStores} adapter: besides committing lines, it records the lines an attempt intends to
 * commit before it writes their grants and credit postings elsewhere, so a crash between those
 * writes leaves a trace the next commit repairs.
 *
 * <p>Contract for implementations (beyond {@link ChargeJournal}'s):
 * <ul>
 *   <li>A key is stored at most once; committing a held key is a no-op, never an error.
 *   <li>A watermark only moves forward.
 *   <li>{@link #commit} is atomic per assignment at least: an assignment's lines, its watermark
 *       and the removal of its pending entries are stored together or not at all.
 *   <li>{@link #intend} is atomic per call; a key already pending or committed is left as it is.
 * </ul>
 */
public interface SplitJournal extends ChargeJournal {
  /**
   * Stores the lines not held yet, raises watermarks, and forgets the pending entries of the
   * lines' keys.
   *
   * @param lines the lines, in commit order
   * @param watermarks the new watermark per assignment id (a later one held stays)
   * @return how many lines were newly stored
   */
  int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks);

  /**
   * Records lines an attempt is about to commit, before their side effects.
   *
   * @param lines the lines, keyed
   */
  void intend(List<ChargeLine> lines);

  /**
   * The pending lines (intended, neither committed nor abandoned) of the given assignments, by assignment id.
   *
   * @param assignmentIds the assignment ids
   * @return assignment id to its pending lines, for the assignments that have any
   */
  Map<String, List<ChargeLine>> pending(Collection<String> assignmentIds);

  /**
   * Forgets pending lines whose side effects were undone; unknown keys are ignored.
   *
   * @param keys the keys of the lines abandoned
   */
  void abandon(Collection<LineKey> keys);

  /**
   * The line stored under {@code key}.
   *
   * @param key the key
   * @return the line, or empty when the key is not held
   */
  Optional<ChargeLine> find(LineKey key);
}
