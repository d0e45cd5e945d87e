package dev.allotment.spi;

import java.util.Objects;
import java.util.Set;

/**
 * What a {@link UnitOfWork} did with a batch: committed it, adding {@code linesAdded} new lines, or
 * wrote nothing because assignments had changed or customers were short of credit.
 *
 * <p>Immutable and thread-safe.
 *
 * @param linesAdded lines stored by this commit (0 when refused; lines held before do not count)
 * @param changedAssignments assignments not stored at their expected version
 * @param shortOfCredit customers whose balance was below a floor of the batch
 */
public record BatchResult(int linesAdded, Set<String> changedAssignments, Set<String> shortOfCredit) {
  /**
   * Checks that a refused batch added no line and names why it was refused; copies the sets.
   *
   * @param linesAdded lines stored by this commit (0 when refused; lines held before do not count)
   * @param changedAssignments assignments not stored at their expected version
   * @param shortOfCredit customers whose balance was below a floor of the batch
   */
  public BatchResult {
    if (linesAdded < 0) {
      throw new IllegalArgumentException("linesAdded must be >= 0, was " + linesAdded);
    }
    changedAssignments = Set.copyOf(Objects.requireNonNull(changedAssignments, "changedAssignments"));
    shortOfCredit = Set.copyOf(Objects.requireNonNull(shortOfCredit, "shortOfCredit"));
    if (linesAdded > 0 && !(changedAssignments.isEmpty() && shortOfCredit.isEmpty())) {
      throw new IllegalArgumentException("a refused batch adds no lines, was " + linesAdded);
    }
  }

  /**
   * A committed batch.
   *
   * @param linesAdded how many of the batch's lines were new
   * @return the result
   */
  public static BatchResult committed(int linesAdded) {
    return new BatchResult(linesAdded, Set.of(), Set.of());
  }

  /**
   * A batch refused by its checks: nothing was written.
   *
   * @param changedAssignments the assignments whose stored version differed from the expected one
   * @param shortOfCredit the customers whose balance fell below their floor
   * @return the result
   */
  public static BatchResult refused(Set<String> changedAssignments, Set<String> shortOfCredit) {
    if (changedAssignments.isEmpty() && shortOfCredit.isEmpty()) {
      throw new IllegalArgumentException("a refused batch names a changed assignment or a customer short of credit");
    }
    return new BatchResult(0, changedAssignments, shortOfCredit);
  }

  /** {@return true when the batch was written} */
  public boolean isCommitted() {
    return changedAssignments.isEmpty() && shortOfCredit.isEmpty();
  }
}
