package dev.allotment.engine;

import java.util.Objects;

/**
 * An assignment a run could not bill, and why: its planning failed, or the store refused to write
 * its lines as data it cannot keep. The run went on without it (every other assignment was charged,
 * a refused batch committed again without it), nothing of it was committed after the failure, and
 * the next run tries it again, from what the journal holds: a failed assignment is never charged
 * twice, and is charged once whatever made it fail is fixed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param assignmentId the assignment
 * @param customerId its customer
 * @param packageId its package
 * @param stage where it failed
 * @param error the error: its type and message, at most {@value #MAX_ERROR_LENGTH} characters
 */
public record RunFailure(String assignmentId, String customerId, String packageId, Stage stage, String error) {
  /** The longest error kept: a message is for people, and a report must stay small. */
  public static final int MAX_ERROR_LENGTH = 1000;

  /** Where an assignment failed. */
  public enum Stage {
    /** Its plan could not be made: a bound broken, a spend figure refused, a rule that cannot apply. */
    PLANNING,
    /** The store refused its lines as data it cannot keep; its batch was committed without it. */
    WRITING
  }

  /**
   * Checks that every component is present and cuts the error to {@value #MAX_ERROR_LENGTH} characters.
   *
   * @param assignmentId the assignment
   * @param customerId its customer
   * @param packageId its package
   * @param stage where it failed
   * @param error the error
   */
  public RunFailure {
    Objects.requireNonNull(assignmentId, "assignmentId");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(packageId, "packageId");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(error, "error");
    if (error.length() > MAX_ERROR_LENGTH) {
      error = error.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }
  }

  /** The error of {@code failure} as a report keeps it: its type, then its message. */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
