package dev.allotment.core;

import java.util.Objects;

/**
 * A line and its status in a plan or a run report.
 *
 * <p>Immutable and thread-safe.
 *
 * @param line the line
 * @param status DUE or ALREADY_CHARGED in a plan; a run may turn DUE into CHARGED or SKIPPED_NO_CREDIT
 */
public record PlannedLine(ChargeLine line, LineStatus status) {
  /**
   * Every component is required.
   *
   * @param line the line
   * @param status DUE or ALREADY_CHARGED in a plan; a run may turn DUE into CHARGED or SKIPPED_NO_CREDIT
   */
  public PlannedLine {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(status, "status");
  }

  /**
   * The same line with another status.
   *
   * @param newStatus the status
   * @return this line with that status
   */
  public PlannedLine withStatus(LineStatus newStatus) {
    return newStatus == status ? this : new PlannedLine(line, newStatus);
  }
}
