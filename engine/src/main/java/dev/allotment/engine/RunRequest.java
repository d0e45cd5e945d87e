package dev.allotment.engine;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run: the run date, the mode, and the scope (every customer, one customer, and/or one
 * partition of the customers).
 *
 * <p>Partitions let several hosts share one run safely: partition {@code i} of {@code n} takes the
 * customers with {@code Math.floorMod(customerId.hashCode(), n) == i}. {@link String#hashCode()} is
 * specified by the JDK, so every host computes the same partitions; partitions 0..n-1 are disjoint
 * and together cover every customer.
 *
 * <p>Immutable and thread-safe.
 *
 * @param date the run date: lines due on or before it are planned
 * @param mode simulate or charge
 * @param customerId only this customer's assignments, when present
 * @param partition only the customers of this partition, when present
 */
public record RunRequest(LocalDate date, RunMode mode, Optional<String> customerId, Optional<Partition> partition) {

  /**

   * Checks the customer id, when given, is not blank; every component is required.

   *

   * @param date the run date: lines due on or before it are planned

   * @param mode simulate or charge

   * @param customerId only this customer's assignments, when present

   * @param partition only the customers of this partition, when present

   */
  public RunRequest {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(partition, "partition");
    customerId.ifPresent(c -> {
      if (c.isBlank()) {
        throw new IllegalArgumentException("customerId must not be blank, was '" + c + "'");
      }
    });
  }

  /**
   * Every customer's assignments.
   *
   * @param date the run date
   * @param mode SIMULATE or CHARGE
   * @return the request
   */
  public static RunRequest of(LocalDate date, RunMode mode) {
    return new RunRequest(date, mode, Optional.empty(), Optional.empty());
  }

  /**
   * This request limited to one customer.
   *
   * @param customerId the customer
   * @return the request
   */
  public RunRequest forCustomer(String customerId) {
    return new RunRequest(date, mode, Optional.of(Objects.requireNonNull(customerId, "customerId")), partition);
  }

  /**
   * This request limited to partition {@code index} of {@code count}.
   *
   * @param index the partition, 0..count-1
   * @param count how many partitions share the run, at least 1
   * @return the request
   */
  public RunRequest inPartition(int index, int count) {
    return new RunRequest(date, mode, customerId, Optional.of(new Partition(index, count)));
  }

  /**
   * The same scope and date in another mode.
   *
   * @param newMode SIMULATE or CHARGE
   * @return the request
   */
  public RunRequest withMode(RunMode newMode) {
    return new RunRequest(date, newMode, customerId, partition);
  }

  /**
   * True when the customer lies in this request's scope.
   *
   * @param customer a customer id
   * @return true when the run covers the customer
   */
  public boolean covers(String customer) {
    return customerId.map(customer::equals).orElse(true) && partition.map(p -> p.contains(customer)).orElse(true);
  }

  /** {@return the scope in words: {@code all}, {@code customer c-1}, {@code partition 2/4}, or both} */
  public String scope() {
    if (customerId.isEmpty() && partition.isEmpty()) {
      return "all";
    }
    StringBuilder scope = new StringBuilder();
    customerId.ifPresent(c -> scope.append("customer ").append(c));
    partition.ifPresent(p -> scope.append(scope.length() == 0 ? "" : ", ").append("partition ").append(p));
    return scope.toString();
  }

  /**
   * Partition {@code index} of {@code count}.
   *
   * <p>Immutable and thread-safe.
   *
   * @param index 0..count-1
   * @param count how many partitions share the run, at least 1
   */
  public record Partition(int index, int count) {
    /**
     * Checks {@code 0 <= index < count}.
     *
     * @param index index
     * @param count count
     */
    public Partition {
      if (count < 1) {
        throw new IllegalArgumentException("partition count must be >= 1, was " + count);
      }
      if (index < 0 || index >= count) {
        throw new IllegalArgumentException("partition index must be within 0.." + (count - 1) + ", was " + index);
      }
    }

    /**
     * True when the customer falls into this partition.
     *
     * @param customerId a customer id
     * @return true when the customer's id hashes to this partition
     */
    public boolean contains(String customerId) {
      return Math.floorMod(customerId.hashCode(), count) == index;
    }

    @Override
    public String toString() {
      return index + "/" + count;
    }
  }
}
