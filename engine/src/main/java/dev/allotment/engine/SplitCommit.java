package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.SplitFreeMinuteStore;
import dev.allotment.spi.SplitJournal;
import dev.allotment.spi.UnitOfWork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unit of work of {@link SplitStores}: writes a batch across stores that share no transaction
 * with intent before side effects, so that a crash between any two writes is repaired by the next
 * commit that touches the same assignments.
 *
 * <ol>
 *   <li>Checks the assignments' versions (a read, not a lock: see {@link SplitStores}).
 *   <li>Resolves the leftovers of earlier attempts on the batch's assignments: a pending line the
 *       journal holds is forgotten; one this batch does not hold has its side effects undone (its
 *       postings brought back to zero, its grant revoked) and is forgotten. A pending line the
 *       batch holds again is finished by the steps below.
 *   <li>Records the lines with side effects (a grant or a posting) as pending.
 *   <li>Adds the grants (a held one takes the batch's terms), then posts credit: each posting
 *       brings the net under its key to its amount ({@link CreditPoster}), checking coverage for
 *       customers with a floor; a refusal stops here, leaving the lines pending for the retry.
 *   <li>Commits the journal (lines, watermarks, and the end of their pending entries), last.
 *   <li>Clears the reprice markers of assignments still at their expected version.
 * </ol>
 * Every write is keyed, so repeating any prefix of these steps is harmless.
 *
 * <p>Thread-safe as far as the stores are; two engines on the same assignments are not supported.
 */
final class SplitCommit implements UnitOfWork {
  private static final Logger LOG = LoggerFactory.getLogger(SplitStores.class);

  private final AssignmentStore assignments;
  private final SplitJournal journal;
  private final CreditPoster poster;
  private final SplitFreeMinuteStore freeMinutes;

  SplitCommit(AssignmentStore assignments, SplitJournal journal, CreditPoster poster,
      SplitFreeMinuteStore freeMinutes) {
    this.assignments = assignments;
    this.journal = journal;
    this.poster = poster;
    this.freeMinutes = freeMinutes;
  }

  @Override
  public BatchResult commit(ChargeBatch batch) {
    Set<String> changed = new LinkedHashSet<>();
    batch.expectedVersions().forEach((id, version) -> {
      if (assignments.find(id).map(Assignment::version).filter(v -> v == (long) version).isEmpty()) {
        changed.add(id);
      }
    });
    if (!changed.isEmpty()) {
      return BatchResult.refused(changed, Set.of());
    }
    Map<LineKey, ChargeLine> lines = new HashMap<>();
    batch.lines().forEach(line -> lines.put(line.key(), line));
    Set<String> touched = new LinkedHashSet<>(batch.expectedVersions().keySet());
    batch.lines().forEach(line -> touched.add(line.assignmentId()));
    Set<LineKey> finished = resolveLeftovers(touched, lines);

    Map<String, Posting> postings = new HashMap<>();
    batch.postings().forEach(posting -> postings.put(posting.entry().key(), posting));
    Set<String> grantIds = new HashSet<>();
    batch.grants().forEach(grant -> grantIds.add(grant.id()));
    List<ChargeLine> intended = new ArrayList<>();
    for (ChargeLine line : batch.lines()) {
      String key = line.keyText();
      if (postings.containsKey(key) || grantIds.contains(key)) {
        intended.add(line);
      }
    }
    if (!intended.isEmpty()) {
      journal.intend(intended);
    }
    if (!batch.grants().isEmpty()) {
      freeMinutes.addGrants(batch.grants());
    }
    if (!batch.revisions().isEmpty()) {
      freeMinutes.reviseGrants(batch.revisions()); // setting a grant to a revision again changes nothing
    }
    Set<String> checked = new HashSet<>();
    batch.floors().forEach(floor -> checked.add(floor.customerId()));
    for (Posting posting : batch.postings()) {
      String customer = posting.entry().customerId();
      if (!poster.post(posting, posting.debit() && checked.contains(customer))) {
        return BatchResult.refused(Set.of(), Set.of(customer));
      }
    }
    for (LineKey key : finished) {
      // A line finished again without a posting (its amount is zero now): undo what the earlier attempt posted.
      ChargeLine line = lines.get(key);
      if (line.autoDecrement() && !postings.containsKey(key.toString())) {
        poster.undo(key.toString(), line.customerId(), Money.zero(line.retail().currency()));
      }
    }
    int added = journal.commit(batch.lines(), batch.watermarks());
    for (String id : batch.repriced()) {
      assignments.find(id).filter(held -> held.version() == batch.expectedVersions().get(id))
          .ifPresent(held -> assignments.replace(held, held.withRepricingDone()));
    }
    return BatchResult.committed(added);
  }

  /**
   * Ends the pending entries of the assignments' earlier attempts that this batch does not finish.
   *
   * @return the keys pending from an earlier attempt that this batch holds again
   */
  private Set<LineKey> resolveLeftovers(Set<String> assignmentIds, Map<LineKey, ChargeLine> batchLines) {
    Set<LineKey> finished = new HashSet<>();
    List<LineKey> abandoned = new ArrayList<>();
    for (List<ChargeLine> pending : journal.pending(assignmentIds).values()) {
      for (ChargeLine line : pending) {
        if (batchLines.containsKey(line.key())) {
          finished.add(line.key());
          continue;
        }
        if (journal.find(line.key()).isEmpty()) {
          undo(line);
        }
        abandoned.add(line.key());
      }
    }
    if (!abandoned.isEmpty()) {
      journal.abandon(abandoned);
    }
    return finished;
  }

  private void undo(ChargeLine line) {
    String key = line.keyText();
    if (line.autoDecrement()) {
      poster.undo(key, line.customerId(), Money.zero(line.retail().currency()));
    }
    if (line.kind() == LineKind.FREE_MINUTES) {
      freeMinutes.revokeGrant(key);
    }
    LOG.info("undid the side effects of {}, which an unfinished attempt left and no batch holds", key);
  }
}
