package dev.allotment.core;

/**
 * The one atomic step free-minute consumption needs: take up to {@code seconds} from a grant, never
 * leaving it below zero, and say how many were taken. A store implements it (one compare-and-set
 * in memory, one conditional {@code UPDATE} in SQL); {@link FreeMinuteRules} decides what to ask.
 *
 * <p>Implementations must be safe to call concurrently with other takers on the same grant.
 */
@FunctionalInterface
public interface GrantTaker {
  /**
   * Takes up to {@code seconds} from {@code grant}.
   *
   * @param grant the grant
   * @param seconds the seconds wanted, positive
   * @return the seconds taken, within {@code 0..seconds}: 0 when the grant is used up
   */
  long take(Grant grant, long seconds);
}
