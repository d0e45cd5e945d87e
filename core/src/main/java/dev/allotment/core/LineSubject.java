package dev.allotment.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Whose line it is: the assignment a line bills, with the terms of that assignment every line
 * repeats (customer, DID, package, quantity and whether it debits the customer's credit).
 *
 * <p>Immutable and thread-safe.
 *
 * @param assignmentId the assignment billed
 * @param customerId the customer billed
 * @param did the DID of a DID-level assignment
 * @param packageId the package
 * @param quantity the assignment's quantity, at least 1
 * @param autoDecrement whether the line debits the customer's credit
 */
public record LineSubject(String assignmentId, String customerId, Optional<String> did, String packageId,
    int quantity, boolean autoDecrement) {

  /**

   * Checks the ids, the DID's digits and that the quantity lies within 1..{@link Limits#MAX_QUANTITY}.

   *

   * @param assignmentId the assignment billed

   * @param customerId the customer billed

   * @param did the DID of a DID-level assignment

   * @param packageId the package

   * @param quantity the assignment's quantity, at least 1

   * @param autoDecrement whether the line debits the customer's credit

   */
  public LineSubject {
    Ids.require("assignmentId", assignmentId);
    Ids.require("customerId", customerId);
    Objects.requireNonNull(did, "did");
    did.ifPresent(d -> Ids.requireDigits("did", d));
    Ids.require("packageId", packageId);
    Limits.quantity("quantity", quantity);
  }

  /**
   * The subject of every line of {@code assignment}.
   *
   * @param assignment the assignment
   * @return its lines' subject
   */
  public static LineSubject of(Assignment assignment) {
    Objects.requireNonNull(assignment, "assignment");
    return new LineSubject(assignment.id(), assignment.customerId(), assignment.did(), assignment.packageId(),
        assignment.quantity(), assignment.autoDecrementCredit());
  }
}
