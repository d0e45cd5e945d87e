package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentPlan;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.Planner;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.SpendLookup;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: pages through the assignments in scope, plans each page with the core {@link Planner}
 * from one snapshot (histories loaded in one call per page), and, for CHARGE, commits exactly the
 * planned lines.
 *
 * <p>The commit protocol, per batch of about {@code batchSize} due lines (whole assignments; an
 * assignment with more lines is split, in order, across batches):
 * <ol>
 *   <li>lines with side effects (grants, credit postings) are recorded as pending
 *       ({@link dev.allotment.spi.ChargeJournal#intend});
 *   <li>FREE_MINUTES lines go to the {@link GrantWriter};
 *   <li>auto-decrement lines post their credit effect under their line key ({@link CreditPoster});
 *   <li>last, the journal commit of the lines and each assignment's watermark
 *       ({@link AssignmentPlan#watermarkAfter(int)}).
 * </ol>
 * Grants and postings are keyed and come before the journal entry, so a crash anywhere leaves
 * either nothing or keyed side effects of pending lines: the next run plans those lines again,
 * its keyed writes turn into no-ops (a posting made at another amount is corrected), and for a
 * pending line no plan holds any more (its inputs changed before the rerun) it undoes them
 * ({@link #resolvePending}). Under {@link CreditPolicy#ONLY_IF_COVERED}
 * the debits of a batch run one by one first, since each decides whether the assignment goes on:
 * the first refusal stops the assignment, and its remaining due lines are SKIPPED_NO_CREDIT, so
 * its journal stays a prefix of its plan. After the page is committed, assignments whose end-date
 * change has been fully repriced get their marker cleared by compare-and-set.
 *
 * <p>Read-ahead: while a page is planned and committed, a thread of the run's own (a daemon,
 * started on the first full page, ended with the run) reads the next page of assignments and their
 * histories, so the database's reads overlap its writes instead of waiting for them. Pages are
 * disjoint sets of assignments, so committing one page never changes what the next page's plan
 * reads (another engine may commit any time, read-ahead or not: its lines turn into no-ops). The
 * read-ahead holds at most one page besides the one in hand, and touches no state of the run but
 * the page it returns; its failure is rethrown to the caller when the page is needed.
 *
 * <p>Not thread-safe; one instance per call of {@link PackageBilling#run}.
 */
final class RunExecution {
  private static final Logger LOG = LoggerFactory.getLogger(PackageBilling.class);
  private static final AtomicInteger READ_AHEAD_COUNT = new AtomicInteger();
  /** Daemon threads: a read-ahead never keeps a JVM alive. */
  private static final ThreadFactory READ_AHEAD_THREADS = task -> {
    Thread thread = new Thread(task, "allotment-run-read-ahead-" + READ_AHEAD_COUNT.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  };

  private final PackageBilling billing;
  private final RunRequest request;
  private final Consumer<PlannedLine> sink;
  private final boolean charge;
  private final boolean onlyIfCovered;
  private final SpendLookup spend;
  private final CreditPoster poster;
  private final Map<String, ServicePackage> packages = new HashMap<>();

  private long assignmentsPlanned;
  private final RunSummary.Tally tally;
  /**
   * The keys pending when the page in hand was read: an earlier attempt may have left side effects
   * under them, so only a commit or {@link #resolvePending} may end their pending entries.
   */
  private Set<LineKey> pendingAtRead = Set.of();

  RunExecution(PackageBilling billing, RunRequest request, Consumer<PlannedLine> sink) {
    this.billing = billing;
    this.request = request;
    this.sink = sink;
    this.charge = request.mode() == RunMode.CHARGE;
    this.tally = new RunSummary.Tally(request.mode());
    this.onlyIfCovered = billing.creditPolicy() == CreditPolicy.ONLY_IF_COVERED;
    this.spend = billing.spendSource()::spend;
    if (charge) {
      poster = new CreditPoster(billing.creditLedger());
    } else if (onlyIfCovered) {
      poster = new CreditPoster(new SimulatedCreditLedger(billing.creditLedger()));
    } else {
      poster = null; // a simulation under the default policy never skips, so it needs no credit at all
    }
  }

  RunSummary execute() {
    int pageSize = billing.pageSize();
    ExecutorService readAhead = null;
    try {
      Page page = read(Optional.empty(), pageSize);
      while (page != null) {
        CompletableFuture<Page> next = null;
        if (page.full() && billing.readAhead()) {
          if (readAhead == null) {
            readAhead = Executors.newSingleThreadExecutor(READ_AHEAD_THREADS);
          }
          Optional<String> after = Optional.of(page.lastId());
          next = CompletableFuture.supplyAsync(() -> read(after, pageSize), readAhead);
        }
        if (!page.inScope().isEmpty()) {
          runPage(page);
        }
        if (next != null) {
          page = await(next);
        } else {
          page = page.full() ? read(Optional.of(page.lastId()), pageSize) : null;
        }
      }
    } finally {
      if (readAhead != null) {
        // A read still in flight (this run failed) only reads: let it end by itself and give its
        // connection back. Never interrupt it: an interrupt closes an embedded database's file channel.
        readAhead.shutdown();
      }
    }
    RunSummary summary = tally.summary(request, assignmentsPlanned);
    LOG.info("run {} {} scope={}: {} assignments, {} due, {} charged, {} already charged, {} skipped (no credit), "
        + "{} grants ({} s); totals {}", request.mode(), request.date(), request.scope(), assignmentsPlanned,
        summary.count(LineStatus.DUE), summary.count(LineStatus.CHARGED), summary.count(LineStatus.ALREADY_CHARGED),
        summary.count(LineStatus.SKIPPED_NO_CREDIT), summary.grants(), summary.grantSeconds(),
        ReportText.totalsInline(summary.totals()));
    return summary;
  }

  /**
   * Reads a page of assignments and the histories of those in scope: everything a page's plan needs
   * from the stores. Runs on the read-ahead thread for every page but the first; it touches no state
   * of this execution.
   *
   * @return null when there are no assignments after {@code after}
   */
  private Page read(Optional<String> after, int pageSize) {
    List<Assignment> page = billing.assignments().page(request.customerId(), after, pageSize);
    if (page.isEmpty()) {
      return null;
    }
    List<Assignment> inScope = page.stream().filter(a -> request.covers(a.customerId())).toList();
    Map<String, ChargeHistory> histories = Map.of();
    Map<String, List<ChargeLine>> pending = Map.of();
    if (!inScope.isEmpty()) {
      List<HistoryRequest> historyRequests = new ArrayList<>(inScope.size());
      for (Assignment assignment : inScope) {
        historyRequests.add(HistoryRequest.of(assignment));
      }
      histories = billing.journal().histories(historyRequests);
      if (poster != null) {
        // A simulation that checks credit needs them too: the charge credits back the pending lines
        // no plan holds before it posts anything, and that credit may cover lines it would skip.
        pending = billing.journal().pending(inScope.stream().map(Assignment::id).toList());
      }
    }
    return new Page(inScope, histories, pending, page.size() == pageSize, page.get(page.size() - 1).id());
  }

  /** The read-ahead's page, or its failure rethrown as the store threw it. */
  private static Page await(CompletableFuture<Page> next) {
    try {
      return next.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void runPage(Page page) {
    List<Assignment> inScope = page.inScope();
    Map<String, ChargeHistory> histories = page.histories();
    List<AssignmentRun> runs = new ArrayList<>(inScope.size());
    for (Assignment assignment : inScope) {
      ChargeHistory history = histories.getOrDefault(assignment.id(), ChargeHistory.EMPTY);
      runs.add(new AssignmentRun(Planner.plan(servicePackage(assignment), assignment, history, spend,
          request.date())));
    }
    assignmentsPlanned += runs.size();
    if (charge) {
      pendingAtRead = new HashSet<>();
      page.pending().values().forEach(lines -> lines.forEach(line -> pendingAtRead.add(line.key())));
      resolvePending(runs, page.pending());
      commit(runs);
      clearRepricing(runs);
    } else if (onlyIfCovered) {
      resolvePending(runs, page.pending());
      for (AssignmentRun run : runs) {
        postInOrder(run, 0, run.due.size());
      }
    } else {
      runs.forEach(run -> run.committed = run.due.size());
    }
    runs.forEach(this::emit);
  }

  private ServicePackage servicePackage(Assignment assignment) {
    return packages.computeIfAbsent(assignment.packageId(), id -> billing.requirePackage(id, assignment.id()));
  }

  /** Cuts the page's due lines into batches and commits them. */
  private void commit(List<AssignmentRun> runs) {
    int batchSize = billing.batchSize();
    Batch batch = new Batch();
    for (AssignmentRun run : runs) {
      if (run.due.isEmpty()) {
        // Nothing due, but the planner may have decided periods that charge nothing; recording
        // that keeps the next run O(new periods).
        run.plan.decidedThrough().filter(run::advances).ifPresent(w -> batch.watermarks.put(run.id(), w));
        continue;
      }
      int from = 0;
      while (from < run.due.size()) {
        int remaining = run.due.size() - from;
        if (batch.lineCount > 0 && remaining > batchSize - batch.lineCount) {
          flush(batch); // keep an assignment's lines together when they fit in one batch
        }
        int to = from + Math.min(remaining, batchSize - batch.lineCount);
        batch.slices.add(new Slice(run, from, to));
        batch.lineCount += to - from;
        from = to;
        if (batch.lineCount >= batchSize) {
          flush(batch);
        }
      }
    }
    flush(batch);
  }

  /**
   * Lines an earlier attempt intended but never committed: one this plan commits again is finished
   * by the commit (its credit brought to the new amount; a grant it left keeps its terms); one the
   * journal holds meanwhile is simply forgotten; one no plan holds any more (an end date moved, a
   * price went to zero) has its side effects undone: its postings brought back to zero, its grant
   * revoked. Then the pending entries of the last two are abandoned. A pending line due after this
   * run's date is none of these: no plan for this date can hold it, so it stays pending for a run
   * that reaches its due date (undoing it here would revoke the grant of a line another run may be
   * about to journal, or has just journaled). A simulation only gives the credit back, in its simulated ledger, so that
   * it skips exactly the lines the charge would.
   */
  private void resolvePending(List<AssignmentRun> runs, Map<String, List<ChargeLine>> pending) {
    if (pending.isEmpty()) {
      return;
    }
    List<LineKey> abandoned = new ArrayList<>();
    List<ChargeLine> revoked = new ArrayList<>();
    for (AssignmentRun run : runs) {
      List<ChargeLine> lines = pending.get(run.id());
      if (lines == null) {
        continue;
      }
      Set<LineKey> due = new HashSet<>();
      run.due.forEach(line -> due.add(line.key()));
      Set<LineKey> planned = new HashSet<>();
      run.plan.lines().forEach(line -> planned.add(line.line().key()));
      for (ChargeLine line : lines) {
        if (due.contains(line.key())) {
          continue;
        }
        if (!planned.contains(line.key())) {
          if (line.dueDate().isAfter(request.date())) {
            continue;
          }
          poster.undo(line);
          if (!charge) {
            continue;
          }
          if (line.kind() == LineKind.FREE_MINUTES) {
            revoked.add(line);
          }
          LOG.info("undid the side effects of {}, which an unfinished attempt left and no plan holds", line.key());
        }
        abandoned.add(line.key());
      }
    }
    if (!charge) {
      return;
    }
    if (!revoked.isEmpty()) {
      billing.grantWriter().revoke(revoked);
    }
    if (!abandoned.isEmpty()) {
      billing.journal().abandon(abandoned);
    }
  }

  /** True for lines whose commit writes something before the journal: a grant or a credit posting. */
  private static boolean hasSideEffects(ChargeLine line) {
    return line.autoDecrement() || line.kind() == LineKind.FREE_MINUTES;
  }

  /**
   * Intents, then grants, then credit, then the journal: see the class comment. Lines with side
   * effects are recorded as pending first, so an attempt that never reaches its journal commit
   * leaves a trace the next run finishes or undoes ({@link #resolvePending}).
   */
  private void flush(Batch batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<ChargeLine> intended = new ArrayList<>();
    for (Slice slice : batch.slices) {
      if (!slice.run.stopped) {
        for (ChargeLine line : slice.run.due.subList(slice.from, slice.to)) {
          if (hasSideEffects(line)) {
            intended.add(line);
          }
        }
      }
    }
    if (!intended.isEmpty()) {
      billing.journal().intend(intended);
    }
    List<ChargeLine> lines = new ArrayList<>(batch.lineCount);
    for (Slice slice : batch.slices) {
      AssignmentRun run = slice.run;
      if (onlyIfCovered) {
        postInOrder(run, slice.from, slice.to);
      } else {
        run.committed = slice.to;
      }
      if (run.committed > slice.from) {
        lines.addAll(run.due.subList(slice.from, run.committed));
        run.plan.watermarkAfter(run.committed).filter(run::advances)
            .ifPresent(w -> batch.watermarks.put(run.id(), w));
      }
    }
    List<ChargeLine> freeMinutes = lines.stream().filter(l -> l.kind() == LineKind.FREE_MINUTES).toList();
    if (!freeMinutes.isEmpty()) {
      billing.grantWriter().write(freeMinutes);
    }
    if (!onlyIfCovered) {
      poster.postAll(lines);
    }
    if (!lines.isEmpty() || !batch.watermarks.isEmpty()) {
      billing.journal().commit(List.copyOf(lines), new LinkedHashMap<>(batch.watermarks));
    }
    if (onlyIfCovered && !intended.isEmpty()) {
      // Lines the credit policy stopped had no side effect in this attempt: forget them now. One
      // that was pending when the page was read may still hold an earlier attempt's debit or grant,
      // so it stays pending until a run commits it or finds no plan holding it and undoes it.
      Set<ChargeLine> committed = new HashSet<>(lines);
      List<LineKey> uncommitted = intended.stream().filter(line -> !committed.contains(line))
          .map(ChargeLine::key).filter(key -> !pendingAtRead.contains(key)).toList();
      if (!uncommitted.isEmpty()) {
        billing.journal().abandon(uncommitted);
      }
    }
    batch.clear();
  }

  /** Posts due lines [from, to) one by one, stopping the assignment at the first refusal. */
  private void postInOrder(AssignmentRun run, int from, int to) {
    if (run.stopped) {
      return;
    }
    for (int i = from; i < to; i++) {
      if (!poster.post(run.due.get(i), true)) {
        run.stopped = true;
        return;
      }
      run.committed = i + 1;
    }
  }

  /**
   * Clears the reprice marker of every assignment whose plan is fully committed. The
   * compare-and-set loses against a concurrent end-date change, which is right: the next run
   * reprices again. The marker also stays when the journal holds an adjustment under one of our
   * keys with another amount (a concurrent run planned it from other terms): repricing again sees
   * what was really charged.
   */
  private void clearRepricing(List<AssignmentRun> runs) {
    for (AssignmentRun run : runs) {
      Assignment assignment = run.plan.assignment();
      if (assignment.repriceFrom().isEmpty() || run.committed < run.due.size() || !run.plan.repricingComplete()) {
        continue;
      }
      boolean asPlanned = run.due.stream().filter(l -> l.kind() == LineKind.ADJUSTMENT)
          .allMatch(l -> billing.journal().find(l.key()).filter(l::equals).isPresent());
      if (asPlanned && !billing.assignments().replace(assignment, assignment.withRepricingDone())) {
        LOG.debug("reprice marker of {} kept: the assignment changed during the run", assignment.id());
      }
    }
  }

  private void emit(AssignmentRun run) {
    int dueIndex = 0;
    for (PlannedLine planned : run.plan.lines()) {
      PlannedLine line = planned;
      if (planned.status() == LineStatus.DUE) {
        boolean done = dueIndex++ < run.committed;
        line = planned.withStatus(!done ? LineStatus.SKIPPED_NO_CREDIT : charge ? LineStatus.CHARGED : LineStatus.DUE);
      }
      tally.add(line);
      if (LOG.isDebugEnabled()) {
        LOG.debug("{} {} {} {} retail {} cost {}{}", request.mode(), line.status(), line.line().key(),
            line.line().customerId(), line.line().retail(), line.line().cost(),
            line.line().grantSeconds() > 0 ? " grant " + line.line().grantSeconds() + " s" : "");
      }
      sink.accept(line);
    }
  }

  /** One assignment's plan and how far its due lines got. */
  private static final class AssignmentRun {
    final AssignmentPlan plan;
    final List<ChargeLine> due;
    /** Due lines [0, committed) are committed (or, simulating, would be). */
    int committed;
    /** The credit policy refused a line; nothing more of this assignment is committed this run. */
    boolean stopped;

    AssignmentRun(AssignmentPlan plan) {
      this.plan = plan;
      this.due = plan.due();
    }

    String id() {
      return plan.assignment().id();
    }

    /** True when {@code watermark} is past the one the plan started from. */
    boolean advances(LocalDate watermark) {
      return plan.previousWatermark().map(watermark::isAfter).orElse(true);
    }
  }

  /** Due lines [from, to) of one assignment. */
  private record Slice(AssignmentRun run, int from, int to) {}

  /**
   * A page as read: the assignments in scope, their histories and (for CHARGE, and for simulations
   * that check credit) their pending lines; whether the page was full (so a next one may follow) and
   * its last id (where the next one starts).
   */
  private record Page(List<Assignment> inScope, Map<String, ChargeHistory> histories,
      Map<String, List<ChargeLine>> pending, boolean full, String lastId) {}

  /** Slices and watermarks committed together. */
  private static final class Batch {
    final List<Slice> slices = new ArrayList<>();
    final Map<String, LocalDate> watermarks = new LinkedHashMap<>();
    int lineCount;

    boolean isEmpty() {
      return slices.isEmpty() && watermarks.isEmpty();
    }

    void clear() {
      slices.clear();
      watermarks.clear();
      lineCount = 0;
    }
  }
}
