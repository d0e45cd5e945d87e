package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentSchedule;
import dev.allotment.core.BilledPeriod;
import dev.allotment.core.MinimumDaysException;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.Successor;
import dev.allotment.core.Suspension;
import dev.allotment.engine.EventFactory.AssignmentChange;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.BillingStores;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Plan changes ({@link PackageBilling#change}): the assignment ends the day before the effective
 * date and a successor with the new package and/or quantity starts on it, stored together with
 * their two {@code ASSIGNMENT_CHANGED} events in one unit of work
 * ({@link dev.allotment.spi.AssignmentStore#change}). Every refusal is decided before anything is
 * stored. Asked again after it succeeded, the same change returns the successor it stored.
 *
 * <p>Thread-safe: it holds no state but the stores.
 */
final class PlanChanges {
  private final BillingStores stores;
  private final AssignmentChanges assignments;
  private final EventFeed events;

  PlanChanges(BillingStores stores, AssignmentChanges assignments, EventFeed events) {
    this.stores = stores;
    this.assignments = assignments;
    this.events = events;
  }

  Assignment change(String assignmentId, PlanChange request) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    Objects.requireNonNull(request, "change");
    while (true) {
      Assignment current = stores.assignments().find(assignmentId).orElseThrow(
          () -> new UnknownAssignmentException("no assignment with id '" + assignmentId + "'"));
      ServicePackage oldPackage = assignments.requirePackage(current);
      ServicePackage newPackage = request.packageId().map(id -> assignments.requireNewPackage(id, assignmentId))
          .orElse(oldPackage);
      int newQuantity = request.quantity().orElse(current.quantity());
      LocalDate effective = effective(current, oldPackage, request);
      Optional<Assignment> done = doneAlready(current, newPackage, newQuantity, request.minutes(), effective);
      if (done.isPresent()) {
        return done.get();
      }
      check(current, oldPackage, newPackage, newQuantity, request.minutes(), effective);
      Assignment updated = current.withEndDate(effective.minusDays(1), oldPackage);
      Assignment successor = Successor.of(current, newPackage, newQuantity, request.minutes(), effective);
      successor.checkAgainst(newPackage);
      List<BillingEvent> written = new ArrayList<>(assignments.eventsOf(
          updated.withVersion(current.version() + 1), AssignmentChange.CHANGED));
      written.addAll(assignments.eventsOf(successor, AssignmentChange.SUCCEEDED));
      if (stores.assignments().change(current, updated, successor, written).isPresent()) {
        events.committed(written);
        return successor;
      }
    }
  }

  /** IMMEDIATE: the date given; NEXT_PERIOD: the start of the first period beginning after it. */
  private static LocalDate effective(Assignment current, ServicePackage oldPackage, PlanChange request) {
    if (request.timing() == ChangeTiming.IMMEDIATE) {
      return request.date();
    }
    AssignmentSchedule schedule = AssignmentSchedule.of(oldPackage, current);
    Optional<BilledPeriod> next = schedule.periodOnOrAfter(request.date().plusDays(1));
    if (next.isPresent() && !next.get().period().start().isAfter(request.date())) {
      next = schedule.periodAfter(next.get());
    }
    return next.map(p -> p.period().start()).orElseThrow(() -> new IllegalArgumentException(
        "assignment '" + current.id() + "' has no period beginning after " + request.date() + " (timing NEXT_PERIOD"
            + current.endDate().map(end -> "; it ends on " + end).orElse("") + ")"));
  }

  /** The successor a change asked before stored, when the same change is asked again. */
  private Optional<Assignment> doneAlready(Assignment current, ServicePackage newPackage, int newQuantity,
      OptionalInt newMinutes, LocalDate effective) {
    if (!current.endDate().filter(effective.minusDays(1)::equals).isPresent()) {
      return Optional.empty();
    }
    return assignments.storedSuccessor(current, effective).filter(s -> s.packageId().equals(newPackage.id())
        && s.quantity() == newQuantity && (newMinutes.isEmpty() || newMinutes.equals(s.minutes())));
  }

  private static void check(Assignment current, ServicePackage oldPackage, ServicePackage newPackage, int newQuantity,
      OptionalInt newMinutes, LocalDate effective) {
    String id = current.id();
    if (newPackage.id().equals(current.packageId()) && newQuantity == current.quantity()
        && (newMinutes.isEmpty() || newMinutes.equals(current.minutes()))) {
      throw new IllegalArgumentException("change of assignment '" + id + "' changes nothing: package '"
          + newPackage.id() + "', quantity " + newQuantity + " and minutes are what it has");
    }
    if (!newPackage.currency().equals(oldPackage.currency())) {
      throw new IllegalArgumentException("newPackageId '" + newPackage.id() + "' is in "
          + newPackage.currency().getCurrencyCode() + ", but assignment '" + id + "' is billed in "
          + oldPackage.currency().getCurrencyCode() + ": a change keeps the currency");
    }
    if (!effective.isAfter(current.startDate())) {
      throw new IllegalArgumentException("effective must be after the start date " + current.startDate()
          + " of assignment '" + id + "', was " + effective);
    }
    if (current.endDate().filter(end -> end.isBefore(effective)).isPresent()) {
      throw new IllegalArgumentException("assignment '" + id + "' ends on " + current.endDate().get()
          + ", before effective " + effective);
    }
    LocalDate firstAllowed = current.firstAllowedEndDate(oldPackage);
    if (effective.minusDays(1).isBefore(firstAllowed)) {
      throw new MinimumDaysException(id, effective.minusDays(1), firstAllowed);
    }
    for (Suspension suspension : current.suspensions()) {
      if (suspension.covers(effective) || !suspension.from().isBefore(effective)) {
        throw new IllegalArgumentException("effective " + effective + " falls in or before suspension " + suspension
            + " of assignment '" + id + "': resume it first, or change it from a day it is billed");
      }
    }
  }
}
