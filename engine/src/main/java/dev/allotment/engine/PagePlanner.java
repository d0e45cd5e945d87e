package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.AssignmentPlan;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.Money;
import dev.allotment.core.Planner;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.SpendQuery;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the assignments in scope page by page, with their histories and the spend figures their
 * minimum-spend true-ups need (each in one store call per page), and plans each page with the core
 * {@link Planner}. The assignments are read before their histories, so a history holds every line
 * committed under the version read.
 *
 * <p>Read-ahead: while the run commits one page, a thread of the planner's own (a daemon, started
 * on the first full page, ended by {@link #close()}, which waits for a read in flight) reads and
 * plans the next, so the database's reads and the planning overlap its writes. Pages are disjoint
 * sets of assignments, so committing one page never changes what the next page's plan reads. The
 * read-ahead touches no state but the page it returns (the package cache is thread-safe); its
 * failure is rethrown when that page is needed.
 *
 * <p>Not thread-safe; one per run.
 */
final class PagePlanner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PackageBilling.class);
  private static final AtomicInteger READ_AHEAD_COUNT = new AtomicInteger();
  /** Daemon threads: a read-ahead never keeps a JVM alive. */
  private static final ThreadFactory READ_AHEAD_THREADS = task -> {
    Thread thread = new Thread(task, "allotment-run-read-ahead-" + READ_AHEAD_COUNT.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  };

  private final BillingStores stores;
  private final RunRequest request;
  private final PackageCache packages;
  private final int pageSize;
  private final boolean readAhead;
  private final boolean preparesEvents;
  private ExecutorService executor;
  private CompletableFuture<Page> next;
  private Page last;

  PagePlanner(BillingStores stores, RunRequest request, PackageCache packages, int pageSize, boolean readAhead,
      boolean preparesEvents) {
    this.stores = stores;
    this.request = request;
    this.packages = packages;
    this.pageSize = pageSize;
    this.readAhead = readAhead;
    this.preparesEvents = preparesEvents;
  }

  /**
   * A page planned: the plans of its assignments in scope, in id order; the assignments whose
   * planning failed; whether the page of assignments was full (so another may follow) and its last
   * id; and, by assignment id, the lines coming due within the package's notification days and,
   * for a CHARGE that writes events, the {@code LINE_CHARGED} payloads of the due lines, in their
   * order: prepared here, on the read-ahead thread, so the committing thread does not build them.
   */
  record Page(List<AssignmentPlan> plans, List<RunFailure> failures, boolean full, String lastId,
      Map<String, List<ChargeLine>> upcoming, Map<String, List<String>> lineChargedPayloads) {
    Page(List<AssignmentPlan> plans, List<RunFailure> failures, boolean full, String lastId) {
      this(plans, failures, full, lastId, Map.of(), Map.of());
    }
  }

  /** The next page, or null after the last. */
  Page next() {
    Page page;
    if (last == null) {
      page = read(Optional.empty());
    } else if (!last.full()) {
      return null;
    } else if (next != null) {
      page = Futures.join(next); // its failure rethrown as the store threw it
      next = null;
    } else {
      page = read(Optional.of(last.lastId()));
    }
    last = page;
    if (page != null && page.full() && readAhead) {
      if (executor == null) {
        executor = Executors.newSingleThreadExecutor(READ_AHEAD_THREADS);
      }
      Optional<String> after = Optional.of(page.lastId());
      next = CompletableFuture.supplyAsync(() -> read(after), executor);
    }
    return page;
  }

  /** The plans of the assignments with these ids as stored now, those in scope. */
  Page reread(Collection<String> assignmentIds) {
    List<Assignment> found = new ArrayList<>();
    for (String id : assignmentIds) {
      stores.assignments().find(id).filter(a -> request.covers(a.customerId())).ifPresent(found::add);
    }
    return planned(found, false, "");
  }

  /**
   * Reads the next page of assignments in scope. A partition of a run reads a page's worth of its
   * own assignments ({@link dev.allotment.spi.AssignmentStore#pageInPartition}), so it commits
   * batches as full as a whole run's, and renews its lease as often, instead of sixteen times as many
   * of a sixteenth each. A customer's page is one customer's, wholly in a partition or wholly out.
   */
  private Page read(Optional<String> after) {
    List<Assignment> page;
    if (request.customerId().isEmpty() && request.partition().isPresent()) {
      RunRequest.Partition partition = request.partition().get();
      page = stores.assignments().pageInPartition(partition.index(), partition.count(), after, pageSize);
    } else {
      page = stores.assignments().page(request.customerId(), after, pageSize);
    }
    if (page.isEmpty()) {
      return null;
    }
    List<Assignment> inScope = page.stream().filter(a -> request.covers(a.customerId())).toList();
    return planned(inScope, page.size() == pageSize, page.get(page.size() - 1).id());
  }

  private Page planned(List<Assignment> inScope, boolean full, String lastId) {
    if (inScope.isEmpty()) {
      return new Page(List.of(), List.of(), full, lastId);
    }
    List<HistoryRequest> requests = new ArrayList<>(inScope.size());
    for (Assignment assignment : inScope) {
      requests.add(HistoryRequest.of(assignment));
    }
    Map<String, ChargeHistory> histories = stores.journal().histories(requests);
    Set<SpendQuery> queries = new LinkedHashSet<>();
    Map<String, RunFailure> failed = new LinkedHashMap<>();
    for (Assignment assignment : inScope) {
      ServicePackage servicePackage = packages.get(assignment.packageId(), assignment.id());
      try {
        ChargeHistory history = histories.getOrDefault(assignment.id(), ChargeHistory.EMPTY);
        queries.addAll(Planner.spendQueries(servicePackage, assignment, history, request.date()));
        if (UpcomingLines.announces(servicePackage)) {
          queries.addAll(Planner.spendQueries(servicePackage, assignment, history,
              UpcomingLines.horizon(servicePackage, request.date())));
        }
      } catch (RuntimeException e) {
        failed.put(assignment.id(), failure(assignment, e));
      }
    }
    Map<SpendQuery, Money> spend = queries.isEmpty() ? Map.of() : stores.spend().spend(queries);
    List<AssignmentPlan> plans = new ArrayList<>(inScope.size());
    Map<String, List<ChargeLine>> upcoming = new HashMap<>();
    Map<String, List<String>> payloads = preparesEvents ? new HashMap<>() : Map.of();
    for (Assignment assignment : inScope) {
      if (failed.containsKey(assignment.id())) {
        continue;
      }
      ServicePackage servicePackage = packages.get(assignment.packageId(), assignment.id());
      try {
        ChargeHistory history = histories.getOrDefault(assignment.id(), ChargeHistory.EMPTY);
        AssignmentPlan plan = Planner.plan(servicePackage, assignment, history, spend, request.date());
        plans.add(plan);
        if (preparesEvents && !plan.due().isEmpty()) {
          payloads.put(assignment.id(), plan.due().stream().map(EventFactory::lineChargedPayload).toList());
        }
        if (UpcomingLines.announces(servicePackage)) {
          List<ChargeLine> coming = UpcomingLines.of(servicePackage, assignment, history, spend, request.date());
          if (!coming.isEmpty()) {
            upcoming.put(assignment.id(), coming);
          }
        }
      } catch (RuntimeException e) {
        failed.put(assignment.id(), failure(assignment, e));
      }
    }
    return new Page(plans, List.copyOf(failed.values()), full, lastId, upcoming, payloads);
  }

  /**
   * Planning is pure: whatever it throws is this assignment's (its terms, its package, a spend
   * figure the store gave for it), so the assignment fails alone and the page goes on.
   */
  private RunFailure failure(Assignment assignment, RuntimeException e) {
    LOG.warn("run {} {}: assignment '{}' of customer '{}' cannot be planned; it is reported FAILED and tried"
        + " again by the next run", request.mode(), request.date(), assignment.id(), assignment.customerId(), e);
    return new RunFailure(assignment.id(), assignment.customerId(), assignment.packageId(),
        RunFailure.Stage.PLANNING, RunFailure.describe(e));
  }

  /**
   * Ends the read-ahead thread, after waiting for a read still in flight (the run failed or stopped
   * before it needed that page): a run never returns while one of its reads still uses the host's
   * stores, which the host may close or empty once the run has returned.
   */
  @Override
  public void close() {
    if (executor == null) {
      return;
    }
    if (next != null) {
      try {
        next.join();
      } catch (CompletionException | CancellationException e) {
        // The run ends without that page, so its failure matters no more: the run's own failure, if
        // any, is what the caller gets.
      }
      next = null;
    }
    // Never interrupt the read: an interrupt closes an embedded database's file channel.
    executor.shutdown();
  }
}
