package dev.allotment.cli;

import dev.allotment.core.Assignment;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * An assignment store that tells a listener how many assignments each page holds: a run reads its
 * assignments page by page (one page ahead of the one it commits), so the count read is its
 * progress, known without the engine reporting any. Thread-safe: the run's read-ahead thread pages
 * too.
 */
final class CountingAssignments implements AssignmentStore {
  private static final LongConsumer NOBODY = n -> {};

  private final AssignmentStore store;
  private final AtomicReference<LongConsumer> listener = new AtomicReference<>(NOBODY);

  CountingAssignments(AssignmentStore store) {
    this.store = store;
  }

  /** Sends page sizes to {@code pages} until the returned handle is closed. */
  Listening listen(LongConsumer pages) {
    listener.set(pages);
    return () -> listener.set(NOBODY);
  }

  /** A listener's registration; closing it ends it. */
  interface Listening extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  public boolean add(Assignment assignment, List<BillingEvent> events) {
    return store.add(assignment, events);
  }

  @Override
  public Optional<Assignment> find(String assignmentId) {
    return store.find(assignmentId);
  }

  @Override
  public Optional<Assignment> replace(Assignment expected, Assignment updated, List<BillingEvent> events) {
    return store.replace(expected, updated, events);
  }

  @Override
  public Optional<Assignment> change(Assignment expected, Assignment updated, Assignment successor,
      List<BillingEvent> events) {
    return store.change(expected, updated, successor, events);
  }

  @Override
  public List<Assignment> page(Optional<String> customerId, Optional<String> afterId, int limit) {
    List<Assignment> page = store.page(customerId, afterId, limit);
    listener.get().accept(page.size());
    return page;
  }
}
