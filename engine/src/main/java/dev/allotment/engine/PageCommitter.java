package dev.allotment.engine;

import dev.allotment.core.AllotmentException;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.LineKind;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.UnitOfWork;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
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
 * markers it clears, the events of all these (when the engine writes events: see {@link EventFactory};
 * and the {@code CHARGE_UPCOMING} events of lines coming due, see {@link AssignmentRun#upcoming}), and
 * its checks: the version each assignment was planned from and, under
 * {@link CreditPolicy#ONLY_IF_COVERED}, the balances its debits need. After a commit the feed hands
 * the batch's events to the listeners.
 *
 * <p>A refused batch wrote nothing. Its assignments that changed since they were read are left
 * out (the run plans them again from what is stored now); the balances of its customers are read
 * again, its credit decisions taken again, and the batch retried.
 *
 * <p>A batch that fails because of its values (the store throws an {@link IllegalArgumentException}:
 * a value it cannot keep) also wrote nothing: its assignments are committed again in halves until
 * the one that fails alone is found, which is marked failed ({@link AssignmentRun#failure}) and left
 * out of every later batch of the run; the others are committed. Any other failure ends the run.
 *
 * <p>Up to {@code commitsInFlight} batches commit at once, each on a thread of its own (see
 * {@link CommitPipeline}): batches sharing an assignment one after the other, each batch's events
 * handed to the listeners on the thread that committed it, as it committed, and {@link #commit}
 * returns once every batch of the page ended. The runs of a batch in flight are that batch's alone
 * until it ends.
 *
 * <p>Not thread-safe; one per run, called from the run's thread; {@link #close} it at the end.
 */
final class PageCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PackageBilling.class);
  /** Refusals of one batch before the run gives up: each needs another writer to win a race. */
  static final int MAX_ATTEMPTS = 16;

  private final UnitOfWork unitOfWork;
  private final PackageCache packages;
  private final ZoneId zone;
  private final int batchSize;
  /** Null under {@link CreditPolicy#ALLOW_NEGATIVE}, which never skips a line. */
  private final CreditDecision credit;
  private final EventFeed events;
  private final CommitPipeline pipeline;

  /**
   * @param commitsInFlight how many batches may commit at once; 1 under
   *     {@link CreditPolicy#ONLY_IF_COVERED} ({@code credit} not null), whose decisions follow the
   *     order of a customer's lines
   */
  PageCommitter(UnitOfWork unitOfWork, PackageCache packages, ZoneId zone, int batchSize, CreditDecision credit,
      EventFeed events, int commitsInFlight) {
    if (credit != null && commitsInFlight != 1) {
      throw new IllegalArgumentException("credit decisions need one batch in flight, not " + commitsInFlight);
    }
    this.unitOfWork = unitOfWork;
    this.packages = packages;
    this.zone = zone;
    this.batchSize = batchSize;
    this.credit = credit;
    this.events = events;
    this.pipeline = new CommitPipeline(commitsInFlight);
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
    // Batches in flight add the assignments they found changed from their own threads.
    Set<String> changed = Collections.synchronizedSet(new LinkedHashSet<>());
    List<Slice> batch = new ArrayList<>();
    int lines = 0;
    for (AssignmentRun run : runs) {
      if (run.due.isEmpty()) {
        // Nothing due, but the planner may have decided periods that charge nothing, or finished a
        // repricing: recording that keeps the next run O(new periods).
        if (run.newWatermark().isPresent() || run.clearsRepricing() || announces(run)) {
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
    pipeline.drain();
    return changed;
  }

  /** Waits for the batches still committing (a run that failed elsewhere leaves some in flight). */
  @Override
  public void close() {
    pipeline.close();
  }

  /** True when the run's batch carries CHARGE_UPCOMING events of its own. */
  private boolean announces(AssignmentRun run) {
    return events.enabled() && !run.upcoming.isEmpty();
  }

  private void flush(List<Slice> slices, Set<String> changed) {
    Set<String> assignments = new HashSet<>();
    slices.forEach(slice -> assignments.add(slice.run().id()));
    // An assignment split over batches: its earlier batch ends first, and this one sees its outcome.
    pipeline.awaitSharing(assignments);
    slices.removeIf(slice -> changed.contains(slice.run().id()) || slice.run().failure != null);
    if (!slices.isEmpty()) {
      List<Slice> batch = new ArrayList<>(slices);
      pipeline.submit(assignments, () -> commitIsolating(batch, changed));
    }
    slices.clear();
  }

  /**
   * Commits the slices; when the store refuses them as data it cannot keep (see
   * {@link #isDataFailure}), commits each half of their assignments apart, down to the one
   * assignment that fails alone, which is marked failed: every other assignment of the batch is
   * committed, in at most about 2 log2(n) more units of work per failing assignment.
   */
  private void commitIsolating(List<Slice> slices, Set<String> changed) {
    try {
      commitWithRetries(slices, changed);
    } catch (RuntimeException e) {
      if (!isDataFailure(e)) {
        throw e;
      }
      List<AssignmentRun> runs = new ArrayList<>(new LinkedHashSet<>(slices.stream().map(Slice::run).toList()));
      if (runs.size() == 1) {
        AssignmentRun run = runs.get(0);
        run.failure = e;
        LOG.warn("assignment '{}' of customer '{}': the store refused its lines ({}); the rest of its batch is"
            + " committed without it, and it is reported FAILED and tried again by the next run", run.id(),
            run.customerId(), RunFailure.describe(e), e);
        return;
      }
      Set<AssignmentRun> firstHalf = new HashSet<>(runs.subList(0, runs.size() / 2));
      List<Slice> first = new ArrayList<>();
      List<Slice> second = new ArrayList<>();
      for (Slice slice : slices) {
        (firstHalf.contains(slice.run()) ? first : second).add(slice);
      }
      LOG.debug("a batch of {} assignments was refused ({}); committing its halves apart", runs.size(),
          RunFailure.describe(e));
      for (List<Slice> half : List.of(first, second)) {
        half.removeIf(slice -> changed.contains(slice.run().id()));
        if (!half.isEmpty()) {
          commitIsolating(half, changed);
        }
      }
    }
  }

  /**
   * True for failures caused by the values of a batch, which the same batch would meet again: a
   * store refusing a value it cannot keep ({@link IllegalArgumentException}, as the JDBC stores
   * report a value the database rejected), arithmetic or date limits. Any other failure is the
   * store's (unreachable, crashed) and ends the run.
   */
  static boolean isDataFailure(RuntimeException e) {
    return e instanceof IllegalArgumentException || e instanceof ArithmeticException
        || e instanceof java.time.DateTimeException;
  }

  /**
   * Commits the slices as one unit of work, deciding them again after each refusal (changed
   * assignments left out) until it commits. A failure leaves every run as it was before.
   */
  private void commitWithRetries(List<Slice> slices, Set<String> changed) {
    for (int attempt = 1; !slices.isEmpty(); attempt++) {
      int[] committedBefore = new int[slices.size()];
      boolean[] stoppedBefore = new boolean[slices.size()];
      for (int i = 0; i < slices.size(); i++) {
        committedBefore[i] = slices.get(i).run().committed;
        stoppedBefore[i] = slices.get(i).run().stopped;
      }
      BatchResult result;
      try {
        slices.forEach(this::decide);
        ChargeBatch batch = build(slices);
        result = batch.isEmpty() ? BatchResult.committed(0) : unitOfWork.commit(batch);
        if (result.isCommitted()) {
          events.committed(batch.events());
          return;
        }
      } catch (RuntimeException e) {
        restore(slices, committedBefore, stoppedBefore); // nothing of the batch was written
        throw e;
      }
      if (attempt == MAX_ATTEMPTS) {
        throw new AllotmentException("a batch was refused " + attempt + " times in a row (assignments changed: "
            + result.changedAssignments() + ", customers short of credit: " + result.shortOfCredit()
            + "); another writer keeps changing them: run again");
      }
      LOG.debug("batch refused: assignments changed {}, customers short of credit {}; deciding again",
          result.changedAssignments(), result.shortOfCredit());
      restore(slices, committedBefore, stoppedBefore);
      changed.addAll(result.changedAssignments());
      slices.removeIf(slice -> changed.contains(slice.run().id()));
    }
  }

  /** Puts the slices' runs back as they were before a batch that wrote nothing; what it decided of credit is void. */
  private void restore(List<Slice> slices, int[] committedBefore, boolean[] stoppedBefore) {
    Set<String> customers = new HashSet<>();
    for (int i = 0; i < slices.size(); i++) {
      slices.get(i).run().committed = committedBefore[i];
      slices.get(i).run().stopped = stoppedBefore[i];
      customers.add(slices.get(i).run().customerId());
    }
    if (credit != null) {
      credit.forget(customers);
    }
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
    List<GrantRevision> revisions = new ArrayList<>();
    List<Posting> postings = new ArrayList<>();
    List<BillingEvent> batchEvents = new ArrayList<>();
    Instant now = events.now();
    for (Slice slice : slices) {
      AssignmentRun run = slice.run();
      List<ChargeLine> committed = run.due.subList(slice.from(), Math.max(slice.from(), run.committed));
      boolean last = slice.to() == run.due.size();
      boolean clearsRepricing = last && run.clearsRepricing();
      boolean announces = last && announces(run);
      if (committed.isEmpty() && run.newWatermark().isEmpty() && !clearsRepricing && !announces) {
        continue; // a credit refusal stopped it before this slice: nothing to write, nothing to check
      }
      versions.put(run.id(), run.assignment().version());
      for (int index = slice.from(); index < slice.from() + committed.size(); index++) {
        ChargeLine line = run.due.get(index);
        lines.add(line);
        Grant grant = null;
        Posting posting = null;
        if (line.kind() == LineKind.FREE_MINUTES) {
          grant = Grant.of(line, packages.get(line.packageId(), line.assignmentId()), zone);
          grants.add(grant);
        }
        GrantRevision revision = null;
        if (line.kind() == LineKind.GRANT_ADJUSTMENT) {
          revision = GrantRevision.of(line, zone);
          revisions.add(revision);
        }
        if (line.autoDecrement() && !line.retail().isZero()) {
          boolean debit = line.retail().signum() > 0;
          posting = new Posting(new CreditEntry(line.keyText(), line.customerId(),
              debit ? line.retail() : line.retail().negate()), debit);
          postings.add(posting);
        }
        if (events.enabled()) {
          batchEvents.add(run.lineCharged(index, now));
          if (grant != null) {
            batchEvents.add(EventFactory.grantIssued(grant, now));
          }
          if (revision != null) {
            batchEvents.add(EventFactory.grantCut(line, revision, now));
          }
          if (posting != null) {
            batchEvents.add(EventFactory.creditPosted(posting, now));
          }
        }
      }
      if (announces) {
        int days = packages.get(run.assignment().packageId(), run.id()).notificationDays();
        run.upcoming.forEach(line -> batchEvents.add(EventFactory.chargeUpcoming(line, days, now)));
      }
      run.newWatermark().ifPresent(w -> watermarks.put(run.id(), w));
      if (clearsRepricing) {
        repriced.add(run.id());
      }
    }
    ChargeBatch.Builder batch = ChargeBatch.builder().expectedVersions(versions).lines(lines).watermarks(watermarks)
        .grants(grants).revisions(revisions).postings(postings).floors(credit == null ? List.of() : CreditDecision.floors(postings))
        .repriced(repriced).events(batchEvents);
    if (!postings.isEmpty()) {
      events.settings().creditLow(now).ifPresent(batch::creditLow);
    }
    return batch.build();
  }
}
