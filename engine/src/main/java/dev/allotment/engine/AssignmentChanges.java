package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.Limits;
import dev.allotment.core.MinimumDaysException;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.Successor;
import dev.allotment.core.Suspension;
import dev.allotment.engine.EventFactory.AssignmentChange;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.BillingStores;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The life of assignments in the stores: adding them, moving their end dates with a compare-and-set
 * on the version (retried when another change wins), and the features of a customer's active ones.
 * {@link PackageBilling} documents each operation. Each change that stores something writes its
 * {@code ASSIGNMENT_CHANGED} event in the same unit of work (when the engine writes events), and the
 * feed hands it to the listeners after.
 *
 * <p>Thread-safe: it holds no state but the stores.
 */
final class AssignmentChanges {
  private final BillingStores stores;
  private final int pageSize;
  private final EventFeed events;

  AssignmentChanges(BillingStores stores, int pageSize, EventFeed events) {
    this.stores = stores;
    this.pageSize = pageSize;
    this.events = events;
  }

  boolean assign(Assignment assignment) {
    Objects.requireNonNull(assignment, "assignment");
    assignment.checkAgainst(requirePackage(assignment));
    List<BillingEvent> written = eventsOf(assignment.withVersion(0), AssignmentChange.ASSIGNED);
    boolean added = stores.assignments().add(assignment, written);
    if (added) {
      events.committed(written);
    }
    return added;
  }

  List<BillingEvent> eventsOf(Assignment stored, AssignmentChange change) {
    return events.enabled() ? List.of(EventFactory.assignmentChanged(stored, change, events.now())) : List.of();
  }

  Assignment unassign(String assignmentId, LocalDate endDate) {
    Limits.date("endDate", endDate); // a date no store holds is refused as such, before any rule about it
    return change(assignmentId, AssignmentChange.UNASSIGNED, current -> {
      ServicePackage servicePackage = requirePackage(current);
      LocalDate firstAllowed = current.firstAllowedEndDate(servicePackage);
      if (endDate.isBefore(firstAllowed)) {
        throw new MinimumDaysException(assignmentId, endDate, firstAllowed);
      }
      refuseReopeningReplaced(current, Optional.of(endDate));
      return current.withEndDate(endDate, servicePackage);
    });
  }

  Assignment reinstate(String assignmentId) {
    return change(assignmentId, AssignmentChange.REINSTATED, current -> {
      refuseReopeningReplaced(current, Optional.empty());
      return current.withoutEndDate(requirePackage(current));
    });
  }

  Assignment setOwnPrices(String assignmentId, OwnPrices prices) {
    Objects.requireNonNull(prices, "prices");
    return change(assignmentId, AssignmentChange.PRICES_CHANGED, current -> current.withOwnPrices(prices));
  }

  Assignment suspend(String assignmentId, LocalDate from) {
    Limits.date("from", from);
    return change(assignmentId, AssignmentChange.SUSPENDED, current -> {
      boolean asked = current.openSuspension().filter(s -> s.from().equals(from)).isPresent();
      return asked ? current : current.withSuspension(from, requirePackage(current)); // asked again: done already
    });
  }

  Assignment resume(String assignmentId, LocalDate on) {
    Limits.date("on", on);
    return change(assignmentId, AssignmentChange.RESUMED, current -> {
      List<Suspension> held = current.suspensions();
      boolean asked = current.openSuspension().isEmpty() && !held.isEmpty()
          && held.get(held.size() - 1).resumeOn().filter(on::equals).isPresent();
      return asked ? current : current.withResume(on, requirePackage(current)); // asked again: done already
    });
  }

  /** The successor a plan change effective on {@code effective} made of {@code current}, if stored. */
  Optional<Assignment> storedSuccessor(Assignment current, LocalDate effective) {
    return stores.assignments().find(Successor.id(current.id(), effective))
        .filter(s -> s.previous().filter(p -> p.assignmentId().equals(current.id())).isPresent());
  }

  /**
   * Refuses to move the end of an assignment a plan change replaced past the day before its
   * successor starts (or to remove it): both would bill the same days twice.
   */
  private void refuseReopeningReplaced(Assignment current, Optional<LocalDate> newEnd) {
    if (current.endDate().isEmpty() || newEnd.filter(end -> !end.isAfter(current.endDate().get())).isPresent()) {
      return;
    }
    LocalDate successorStart = current.endDate().get().plusDays(1);
    Optional<Assignment> successor = storedSuccessor(current, successorStart);
    if (successor.isPresent()) {
      throw new IllegalArgumentException("endDate of assignment '" + current.id() + "' cannot move past "
          + current.endDate().get() + " nor be removed (was " + newEnd.map(LocalDate::toString).orElse("none")
          + "): a plan change replaced it by '" + successor.get().id() + "' from " + successorStart
          + "; change or end the successor instead");
    }
  }

  /**
   * Stores {@code change} of the assignment as stored now; when another change wins the race (the
   * version moved), decides again on what is stored then.
   */
  private Assignment change(String assignmentId, AssignmentChange kind, UnaryOperator<Assignment> change) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    while (true) {
      Assignment current = stores.assignments().find(assignmentId).orElseThrow(
          () -> new UnknownAssignmentException("no assignment with id '" + assignmentId + "'"));
      Assignment updated = change.apply(current);
      if (updated.equals(current)) {
        return current; // nothing changes, so nothing is written and no event is due
      }
      List<BillingEvent> written = eventsOf(updated.withVersion(current.version() + 1), kind);
      Optional<Assignment> stored = stores.assignments().replace(current, updated, written);
      if (stored.isPresent()) {
        events.committed(written);
        return stored.get();
      }
    }
  }

  SortedSet<String> entitlements(String customerId, LocalDate date) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(date, "date");
    SortedSet<String> features = new TreeSet<>();
    PackageCache packages = new PackageCache(stores.catalog());
    Optional<String> after = Optional.empty();
    while (true) {
      List<Assignment> page = stores.assignments().page(Optional.of(customerId), after, pageSize);
      for (Assignment assignment : page) {
        if (assignment.isActiveOn(date)) {
          features.addAll(packages.get(assignment.packageId(), assignment.id()).features());
        }
      }
      if (page.size() < pageSize) {
        return Collections.unmodifiableSortedSet(features);
      }
      after = Optional.of(page.get(page.size() - 1).id());
    }
  }

  /** The package a plan change of {@code assignmentId} moves to; {@link UnknownPackageException} naming the field. */
  ServicePackage requireNewPackage(String packageId, String assignmentId) {
    return stores.catalog().find(packageId).orElseThrow(() -> new UnknownPackageException("newPackageId '"
        + packageId + "' of the change of assignment '" + assignmentId + "' is not in the catalog"));
  }

  ServicePackage requirePackage(Assignment assignment) {
    return new PackageCache(stores.catalog()).get(assignment.packageId(), assignment.id());
  }
}
