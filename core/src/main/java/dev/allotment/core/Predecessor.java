package dev.allotment.core;

import java.util.Objects;

/**
 * The assignment a plan change replaced, as its successor remembers it: the successor charges no
 * setup when its package is the predecessor's, and its first period is never free.
 *
 * <p>Immutable and thread-safe.
 *
 * @param assignmentId the replaced assignment's id
 * @param packageId the replaced assignment's package
 */
public record Predecessor(String assignmentId, String packageId) {
  /**
   * Validates both ids.
   *
   * @param assignmentId the replaced assignment's id
   * @param packageId the replaced assignment's package
   */
  public Predecessor {
    Ids.require("previousAssignmentId", assignmentId);
    Ids.require("previousPackageId", packageId);
  }

  /**
   * The predecessor {@code assignment} makes.
   *
   * @param assignment the replaced assignment
   * @return its id and package
   */
  public static Predecessor of(Assignment assignment) {
    Objects.requireNonNull(assignment, "assignment");
    return new Predecessor(assignment.id(), assignment.packageId());
  }
}
