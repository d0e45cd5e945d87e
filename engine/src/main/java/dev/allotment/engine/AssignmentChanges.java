package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.Limits;
import dev.allotment.core.MinimumDaysException;
import dev.allotment.core.ServicePackage;
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
 * {@link PackageBilling} documents each operation.
 *
 * <p>Thread-safe: it holds no state but the stores.
 */
final class AssignmentChanges {
  private final BillingStores stores;
  private final int pageSize;

  AssignmentChanges(BillingStores stores, int pageSize) {
    this.stores = stores;
    this.pageSize = pageSize;
  }

  boolean assign(Assignment assignment) {
    Objects.requireNonNull(assignment, "assignment");
    assignment.checkAgainst(requirePackage(assignment));
    return stores.assignments().add(assignment);
  }

  Assignment unassign(String assignmentId, LocalDate endDate) {
    Limits.date("endDate", endDate); // a date no store holds is refused as such, before any rule about it
    return change(assignmentId, current -> {
      ServicePackage servicePackage = requirePackage(current);
      LocalDate firstAllowed = current.firstAllowedEndDate(servicePackage);
      if (endDate.isBefore(firstAllowed)) {
        throw new MinimumDaysException(assignmentId, endDate, firstAllowed);
      }
      return current.withEndDate(endDate, servicePackage);
    });
  }

  Assignment reinstate(String assignmentId) {
    return change(assignmentId, current -> current.withoutEndDate(requirePackage(current)));
  }

  /**
   * Stores {@code change} of the assignment as stored now; when another change wins the race (the
   * version moved), decides again on what is stored then.
   */
  private Assignment change(String assignmentId, UnaryOperator<Assignment> change) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    while (true) {
      Assignment current = stores.assignments().find(assignmentId).orElseThrow(
          () -> new UnknownAssignmentException("no assignment with id '" + assignmentId + "'"));
      Assignment updated = change.apply(current);
      Optional<Assignment> stored = updated.equals(current) ? Optional.of(current)
          : stores.assignments().replace(current, updated);
      if (stored.isPresent()) {
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

  private ServicePackage requirePackage(Assignment assignment) {
    return new PackageCache(stores.catalog()).get(assignment.packageId(), assignment.id());
  }
}
