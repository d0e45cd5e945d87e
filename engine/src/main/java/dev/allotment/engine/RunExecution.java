package dev.allotment.engine;

import dev.allotment.core.AllotmentException;
import dev.allotment.core.AssignmentPlan;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PlannedLine;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: reads and plans the assignments in scope page by page ({@link PagePlanner}), and for
 * CHARGE commits exactly the planned lines ({@link PageCommitter}); an assignment that changed
 * between its read and its commit is read and planned again. Then it hands the page's lines, with
 * their final status, to the sink. An assignment whose planning or writing fails is counted as a
 * {@link RunFailure} and the run goes on without it.
 *
 * <p>Not thread-safe; one instance per call of {@link PackageBilling#run}.
 */
final class RunExecution {
  private static final Logger LOG = LoggerFactory.getLogger(PackageBilling.class);
  /** Times one page's changed assignments are planned again before the run gives up. */
  private static final int MAX_REPLANS = 16;

  private final PackageBilling billing;
  private final RunRequest request;
  private final Consumer<PlannedLine> sink;
  private final boolean charge;
  private final PackageCache packages;
  /** Null under {@link CreditPolicy#ALLOW_NEGATIVE}. */
  private final CreditDecision credit;
  private final RunSummary.Tally tally;
  /** Asked after every page whether to go on: a fleet run renews its lease there. */
  private final BooleanSupplier afterPage;
  private long assignmentsPlanned;

  RunExecution(PackageBilling billing, RunRequest request, Consumer<PlannedLine> sink) {
    this(billing, request, sink, () -> true);
  }

  /** A run that stops after the first page for which {@code afterPage} answers false. */
  RunExecution(PackageBilling billing, RunRequest request, Consumer<PlannedLine> sink, BooleanSupplier afterPage) {
    this.afterPage = afterPage;
    this.billing = billing;
    this.request = request;
    this.sink = sink;
    this.charge = request.mode() == RunMode.CHARGE;
    this.packages = new PackageCache(billing.stores().catalog());
    this.credit = billing.runSettings().creditPolicy() == CreditPolicy.ONLY_IF_COVERED
        ? new CreditDecision(billing.stores().creditLedger(), billing.stores() instanceof SplitStores split
            ? split::held : CreditDecision.NOTHING_HELD) : null;
    this.tally = new RunSummary.Tally(request.mode(), billing.events().enabled());
  }

  RunSummary execute() {
    try (PageCommitter committer = new PageCommitter(billing.stores().unitOfWork(), packages,
        billing.clock().zone(), billing.runSettings().batchSize(), credit, billing.events(),
        billing.runSettings().commitsInFlight());
        PagePlanner pages = new PagePlanner(billing.stores(), request, packages, billing.runSettings().pageSize(),
            billing.runSettings().readAhead(), charge && billing.events().enabled())) {
      for (PagePlanner.Page page = pages.next(); page != null; page = pages.next()) {
        page.failures().forEach(tally::addFailure);
        List<AssignmentRun> runs = runs(page);
        if (charge) {
          runs = commit(runs, committer, pages);
        } else {
          runs.forEach(this::decide);
        }
        assignmentsPlanned += runs.size();
        runs.forEach(this::emit);
        if (!afterPage.getAsBoolean()) {
          break;
        }
      }
    }
    announceFailures(tally.failures());
    RunSummary summary = tally.summary(request, assignmentsPlanned);
    LOG.info("run {} {} scope={}: {} assignments, {} due, {} charged, {} already charged, {} skipped (no credit), "
        + "{} grants ({} s), {} failed; totals {}", request.mode(), request.date(), request.scope(),
        assignmentsPlanned, summary.count(LineStatus.DUE), summary.count(LineStatus.CHARGED),
        summary.count(LineStatus.ALREADY_CHARGED), summary.count(LineStatus.SKIPPED_NO_CREDIT), summary.grants(),
        summary.grantSeconds(), summary.failures().size(), ReportText.totalsInline(summary.totals()));
    return summary;
  }

  /**
   * Writes an {@code ASSIGNMENT_FAILED} event for each failed assignment of a CHARGE, in a unit of
   * work of its own after the last page (a SIMULATE counts them and writes none). The failures are
   * in the report and the log whatever happens here: a store that cannot take the events is logged.
   */
  private void announceFailures(List<RunFailure> failures) {
    if (failures.isEmpty() || !billing.events().enabled()) {
      return;
    }
    tally.addEvents(EventType.ASSIGNMENT_FAILED, failures.size());
    if (!charge) {
      return;
    }
    List<BillingEvent> events = new ArrayList<>(failures.size());
    for (RunFailure failure : failures) {
      events.add(EventFactory.assignmentFailed(failure, request.date(), billing.events().now()));
    }
    try {
      billing.stores().unitOfWork().commit(ChargeBatch.builder().events(events).build());
      billing.events().committed(events);
    } catch (RuntimeException e) {
      LOG.warn("run {} {}: the ASSIGNMENT_FAILED events of {} assignments could not be written; the report and"
          + " this log name them", request.mode(), request.date(), failures.size(), e);
    }
  }

  private static List<AssignmentRun> runs(PagePlanner.Page page) {
    List<AssignmentRun> runs = new ArrayList<>(page.plans().size());
    for (AssignmentPlan plan : page.plans()) {
      AssignmentRun run = new AssignmentRun(plan);
      run.upcoming = page.upcoming().getOrDefault(run.id(), List.of());
      run.lineChargedPayloads = page.lineChargedPayloads().get(run.id());
      runs.add(run);
    }
    return runs;
  }

  /**
   * Commits the page; assignments that changed meanwhile are read and planned again (and take
   * their place in the page's report) until every one is committed or left the run's scope.
   */
  private List<AssignmentRun> commit(List<AssignmentRun> runs, PageCommitter committer, PagePlanner pages) {
    Set<String> changed = committer.commit(runs);
    for (int replans = 1; !changed.isEmpty(); replans++) {
      if (replans > MAX_REPLANS) {
        throw new AllotmentException("assignments " + changed + " changed " + MAX_REPLANS
            + " times while this run committed them: run again");
      }
      PagePlanner.Page reread = pages.reread(changed);
      reread.failures().forEach(tally::addFailure);
      List<AssignmentRun> replanned = runs(reread);
      Map<String, AssignmentRun> byId = new HashMap<>();
      replanned.forEach(run -> byId.put(run.id(), run));
      List<AssignmentRun> updated = new ArrayList<>(runs.size());
      for (AssignmentRun run : runs) {
        if (!changed.contains(run.id())) {
          updated.add(run);
        } else if (byId.containsKey(run.id())) {
          // What this run committed under the plan it replaces stays this run's charge in its report.
          AssignmentRun again = byId.get(run.id());
          again.chargedEarlier = run.chargedInThisRun();
          updated.add(again);
        }
      }
      runs = updated;
      changed = committer.commit(replanned);
    }
    return runs;
  }

  /** A simulation decides as the charge would, without writing. */
  private void decide(AssignmentRun run) {
    if (credit != null) {
      credit.decide(run, 0, run.due.size());
    } else {
      run.committed = run.due.size();
    }
  }

  private void emit(AssignmentRun run) {
    if (run.failure != null) {
      tally.addFailure(run.reportedFailure());
    } else {
      tally.addEvents(EventType.CHARGE_UPCOMING, run.upcoming.size());
    }
    int dueIndex = 0;
    for (PlannedLine planned : run.plan.lines()) {
      PlannedLine line = run.withFinalStatus(planned, dueIndex, charge);
      if (planned.status() == LineStatus.DUE) {
        dueIndex++;
      }
      if (line == null) {
        continue; // not committed: the assignment's failure stands for it
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
}
