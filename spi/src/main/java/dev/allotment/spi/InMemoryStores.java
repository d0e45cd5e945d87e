package dev.allotment.spi;

import dev.allotment.core.Assignment;
import dev.allotment.core.Grant;
import dev.allotment.core.Money;
import dev.allotment.spi.CreditLedger.Posting;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every store in memory, with a unit of work that commits a batch atomically: the embedded default,
 * for tests, demos and single-process hosts. Nothing is persisted.
 *
 * <p>Thread-safe. A batch's checks and writes run under one lock, which assignment changes take
 * too, so no change slips between a batch's version check and its writes. Reads, top-ups and
 * call consumption take no such lock: a read racing a commit may see part of its batch (the
 * engine's plans only ever need lines committed before they read), and a top-up only raises a
 * balance a floor was checked against. The split-store methods of the stores
 * ({@link InMemoryCreditLedger#debit}, {@link InMemoryChargeJournal#commit}, ...) bypass the lock:
 * a host using this bundle writes through the engine.
 */
public final class InMemoryStores implements BillingStores {
  private final Object commitLock = new Object();
  private final InMemoryEventOutbox events = new InMemoryEventOutbox();
  private final InMemoryPackageCatalog catalog = new InMemoryPackageCatalog();
  private final InMemoryAssignmentStore assignments = new InMemoryAssignmentStore(commitLock, events);
  private final InMemoryChargeJournal journal = new InMemoryChargeJournal();
  private final InMemoryCreditLedger creditLedger = new InMemoryCreditLedger();
  private final InMemorySpendSource spend = new InMemorySpendSource();
  private final InMemoryFreeMinuteStore freeMinutes;
  private final UnitOfWork unitOfWork = this::commit;
  private final InMemoryRunLeases runLeases = new InMemoryRunLeases();

  /** Empty stores. */
  public InMemoryStores() {
    this(new InMemoryFreeMinuteStore());
  }

  /**
   * Empty stores whose free-minute store is {@code freeMinutes} (one sized for many calls, say).
   *
   * @param freeMinutes the free-minute store to use, new: its consumptions write their events to
   *     this bundle's outbox
   * @throws IllegalStateException when the store already writes its events to another bundle's outbox
   */
  public InMemoryStores(InMemoryFreeMinuteStore freeMinutes) {
    this.freeMinutes = Objects.requireNonNull(freeMinutes, "freeMinutes");
    freeMinutes.writeEventsTo(events);
  }

  /** The leases of fleet runs, for the engines sharing these stores. */
  @Override
  public Optional<RunLeases> runLeases() {
    return Optional.of(runLeases);
  }

  @Override
  public InMemoryPackageCatalog catalog() {
    return catalog;
  }

  @Override
  public InMemoryAssignmentStore assignments() {
    return assignments;
  }

  @Override
  public InMemoryChargeJournal journal() {
    return journal;
  }

  @Override
  public InMemoryCreditLedger creditLedger() {
    return creditLedger;
  }

  /** The spend source; record customers' spend here for minimum-spend packages. */
  @Override
  public InMemorySpendSource spend() {
    return spend;
  }

  @Override
  public InMemoryFreeMinuteStore freeMinutes() {
    return freeMinutes;
  }

  @Override
  public UnitOfWork unitOfWork() {
    return unitOfWork;
  }

  @Override
  public InMemoryEventOutbox events() {
    return events;
  }

  /**
   * Checks, then writes: journal (lines and watermarks), grants and their revisions, postings, reprice markers, events.
   * Every write below accepts any well-formed value, so once the checks pass nothing can fail half-way.
   */
  private BatchResult commit(ChargeBatch batch) {
    Objects.requireNonNull(batch, "batch");
    synchronized (commitLock) {
      Set<String> changed = new LinkedHashSet<>();
      for (Map.Entry<String, Long> expected : batch.expectedVersions().entrySet()) {
        Optional<Assignment> held = assignments.find(expected.getKey());
        if (held.isEmpty() || held.get().version() != expected.getValue()) {
          changed.add(expected.getKey());
        }
      }
      Set<String> shortOfCredit = new LinkedHashSet<>();
      for (CreditFloor floor : batch.floors()) {
        Money minimum = floor.minimum();
        if (creditLedger.balance(floor.customerId(), minimum.currency()).compareTo(minimum) < 0) {
          shortOfCredit.add(floor.customerId());
        }
      }
      if (!changed.isEmpty() || !shortOfCredit.isEmpty()) {
        return BatchResult.refused(changed, shortOfCredit);
      }
      // Refuses a revision its grant cannot take, a grant of this batch's included, before any write.
      Map<String, Grant> adding = new HashMap<>();
      batch.grants().forEach(grant -> adding.putIfAbsent(grant.id(), grant));
      freeMinutes.revised(batch.revisions(), adding);
      int added = journal.commit(batch.lines(), batch.watermarks());
      freeMinutes.addIfAbsent(batch.grants());
      freeMinutes.reviseGrants(batch.revisions());
      CreditCrossings crossings = new CreditCrossings();
      for (Posting posting : batch.postings()) {
        Money[] moved = creditLedger.post(posting);
        if (moved != null) {
          crossings.moved(posting.entry().customerId(), posting.entry().key(), moved[0], moved[1]);
        }
      }
      for (String id : batch.repriced()) {
        Assignment held = assignments.find(id).orElseThrow();
        assignments.replace(held, held.withRepricingDone());
      }
      InMemoryEventOutbox.appendIfAny(events, batch.events());
      batch.creditLow().ifPresent(rule -> InMemoryEventOutbox.appendIfAny(events, crossings.events(rule)));
      return BatchResult.committed(added);
    }
  }

  @Override
  public String toString() {
    return "InMemoryStores[" + freeMinutes + "]";
  }
}
