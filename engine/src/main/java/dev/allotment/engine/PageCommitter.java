package dev.allotment.engine;

import dev.allotment.core.AllotmentException;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.LineKind;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a page of planned assignments: cuts their due lines into batches of about
 * {@code batchSize} lines (whole assignments when they fit; a longer one is split, in order), and
 * hands each batch to the {@link UnitOfWork} with everything it implies: the lines and watermarks,
 * the grants of FREE_MINUTES lines, the credit postings of auto-decrement lines (keyed by the line
 * key: a debit for a charge, a credit for an adjustment that gives money back), the reprice
 * markers it clears, and its checks: the version each assignment was planned from and, under
 * {@link CreditPolicy#ONLY_IF_COVERED}, the balances its debits need.
 *
 * <p>A refused batch wrote nothing. Its assignments that changed since they were read are left
 * out (the run plans them again from what is stored now); the balances of its customers are read
 * again, its credit decisions taken again, and the batch retried.
 *
 * <p>Not thread-safe; one per run.
 */
final class PageCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(PackageBilling.class);
  /** Refusals of one batch before the run gives up: each needs another writer to win a race. */
  static final int MAX_ATTEMPTS = 16;

  private final UnitOfWork unitOfWork;
  private final PackageCache packages;
  private final ZoneId zone;
  private final int batchSize;
  /** Null under {@link CreditPolicy#ALLOW_NEGATIVE}, which never skips a line. */
  private final CreditDecision credit;

  PageCommitter(UnitOfWork unitOfWork, PackageCache packages, ZoneId zone, int batchSize, CreditDecision credit) {
    this.unitOfWork = unitOfWork;
    this.packages = packages;
    this.zone = zone;
    this.batchSize = batchSize;
    this.credit = credit;
  }

  /** Due lines [from, to) of one assignment. */
  private record Slice(AssignmentRun run, int from, int to) {}

  /**
   * Commits every run's due lines (as far as the credit policy lets them go) and watermarks.
   *
   * @return the ids of assignments that changed since they were planned; nothing of theirs was
   *     committed after the batch that found them changed
   */
  Set<String> commit(List<AssignmentRun> runs) {
    Set<String> changed = new LinkedHashSet<>();
    List<Slice> batch = new ArrayList<>();
    int lines = 0;
    for (AssignmentRun run : runs) {
      if (run.due.isEmpty()) {
        // Nothing due, but the planner may have decided periods that charge nothing, or finished a
        // repricing: recording that keeps the next run O(new periods).
        if (run.newWatermark().isPresent() || run.clearsRepricing()) {
          batch.add(new Slice(run, 0, 0));
        }
        continue;
      }
      int from = 0;
      while (from < run.due.size()) {
        int remaining = run.due.size() - from;
        if (lines > 0 && remaining > batchSize - lines) {
          flush(batch, changed); // keep an assignment's lines together when they fit in one batch
          lines = 0;
        }
        int to = from + Math.min(remaining, batchSize - lines);
        batch.add(new Slice(run, from, to));
        lines += to - from;
        from = to;
        if (lines >= batchSize) {
          flush(batch, changed);
          lines = 0;
        }
      }
    }
    flush(batch, changed);
    return changed;
  }

  private void flush(List<Slice> slices, Set<String> changed) {
    slices.removeIf(slice -> changed.contains(slice.run().id()));
    for (int attempt = 1; !slices.isEmpty(); attempt++) {
      int[] committedBefore = new int[slices.size()];
      boolean[] stoppedBefore = new boolean[slices.size()];
      for (int i = 0; i < slices.size(); i++) {
        committedBefore[i] = slices.get(i).run().committed;
        stoppedBefore[i] = slices.get(i).run().stopped;
        decide(slices.get(i));
      }
      ChargeBatch batch = build(slices);
      BatchResult result = batch.isEmpty() ? BatchResult.committed(0) : unitOfWork.commit(batch);
      if (result.isCommitted()) {
        break;
      }
      if (attempt == MAX_ATTEMPTS) {
        throw new AllotmentException("a batch was refused " + attempt + " times in a row (assignments changed: "
            + result.changedAssignments() + ", customers short of credit: " + result.shortOfCredit()
            + "); another writer keeps changing them: run again");
      }
      LOG.debug("batch refused: assignments changed {}, customers short of credit {}; deciding again",
          result.changedAssignments(), result.shortOfCredit());
      Set<String> customers = new HashSet<>();
      for (int i = 0; i < slices.size(); i++) {
        slices.get(i).run().committed = committedBefore[i];
        slices.get(i).run().stopped = stoppedBefore[i];
        customers.add(slices.get(i).run().customerId());
      }
      if (credit != null) {
        credit.forget(customers); // nothing of the batch was written: what it decided is void
      }
      changed.addAll(result.changedAssignments());
      slices.removeIf(slice -> changed.contains(slice.run().id()));
    }
    slices.clear();
  }

  private void decide(Slice slice) {
    if (credit != null) {
      credit.decide(slice.run(), slice.from(), slice.to());
    } else {
      slice.run().committed = slice.to();
    }
  }

  private ChargeBatch build(List<Slice> slices) {
    Map<String, Long> versions = new LinkedHashMap<>();
    List<ChargeLine> lines = new ArrayList<>();
    Map<String, LocalDate> watermarks = new LinkedHashMap<>();
    Set<String> repriced = new LinkedHashSet<>();
    List<Grant> grants = new ArrayList<>();
    List<Posting> postings = new ArrayList<>();
    for (Slice slice : slices) {
      AssignmentRun run = slice.run();
      List<ChargeLine> committed = run.due.subList(slice.from(), Math.max(slice.from(), run.committed));
      boolean clearsRepricing = slice.to() == run.due.size() && run.clearsRepricing();
      if (committed.isEmpty() && run.newWatermark().isEmpty() && !clearsRepricing) {
        continue; // a credit refusal stopped it before this slice: nothing to write, nothing to check
      }
      versions.put(run.id(), run.assignment().version());
      for (ChargeLine line : committed) {
        lines.add(line);
        if (line.kind() == LineKind.FREE_MINUTES) {
          grants.add(Grant.of(line, packages.get(line.packageId(), line.assignmentId()), zone));
        }
        if (line.autoDecrement() && !line.retail().isZero()) {
          boolean debit = line.retail().signum() > 0;
          postings.add(new Posting(new CreditEntry(line.key().toString(), line.customerId(),
              debit ? line.retail() : line.retail().negate()), debit));
        }
      }
      run.newWatermark().ifPresent(w -> watermarks.put(run.id(), w));
      if (clearsRepricing) {
        repriced.add(run.id());
      }
    }
    return ChargeBatch.builder().expectedVersions(versions).lines(lines).watermarks(watermarks).grants(grants)
        .postings(postings).floors(credit == null ? List.of() : CreditDecision.floors(postings)).repriced(repriced)
        .build();
  }
}
