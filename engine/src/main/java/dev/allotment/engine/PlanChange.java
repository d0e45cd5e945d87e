package dev.allotment.engine;

import dev.allotment.core.Ids;
import dev.allotment.core.Limits;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A plan change asked of {@link PackageBilling#change}: an upgrade or downgrade to another package
 * and/or a new quantity, {@link ChangeTiming#IMMEDIATE} on a date or at the
 * {@link ChangeTiming#NEXT_PERIOD next period} after it. Built as
 * {@code PlanChange.immediate(date).toPackage("gold").toQuantity(5)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PlanChange {
  private final ChangeTiming timing;
  private final LocalDate date;
  private final String packageId;
  private final Integer quantity;
  private final Integer minutes;

  private PlanChange(ChangeTiming timing, LocalDate date, String packageId, Integer quantity, Integer minutes) {
    this.timing = timing;
    this.date = date;
    this.packageId = packageId;
    this.quantity = quantity;
    this.minutes = minutes;
  }

  /**
   * A change effective on {@code effective}: the assignment's last day is the day before.
   *
   * @param effective the successor's first day
   * @return the change, with package and quantity unchanged until set
   * @throws IllegalArgumentException if the date is not a billing date
   */
  public static PlanChange immediate(LocalDate effective) {
    return new PlanChange(ChangeTiming.IMMEDIATE, Limits.date("effective", effective), null, null, null);
  }

  /**
   * A change effective at the start of the assignment's first period beginning after {@code requested}.
   *
   * @param requested the day the change is asked for
   * @return the change, with package and quantity unchanged until set
   * @throws IllegalArgumentException if the date is not a billing date
   */
  public static PlanChange nextPeriod(LocalDate requested) {
    return new PlanChange(ChangeTiming.NEXT_PERIOD, Limits.date("requested", requested), null, null, null);
  }

  /**
   * A copy changing to package {@code newPackageId} (same currency; its setup fee is charged).
   *
   * @param newPackageId the new package
   * @return the copy
   * @throws IllegalArgumentException naming the field when the id is not an identifier
   */
  public PlanChange toPackage(String newPackageId) {
    return new PlanChange(timing, date, Ids.require("newPackageId", newPackageId), quantity, minutes);
  }

  /**
   * A copy changing to {@code newQuantity} units.
   *
   * @param newQuantity 1..{@link Limits#MAX_QUANTITY}
   * @return the copy
   * @throws IllegalArgumentException naming the field when out of bounds
   */
  public PlanChange toQuantity(int newQuantity) {
    return new PlanChange(timing, date, packageId, Limits.quantity("newQuantity", newQuantity), minutes);
  }

  /**
   * A copy giving the successor {@code newMinutes} free minutes per period and unit; without it a
   * successor on a free-minutes package carries the assignment's minutes over.
   *
   * @param newMinutes the minutes, positive (the new package must grant free minutes)
   * @return the copy
   * @throws IllegalArgumentException naming the field when not positive
   */
  public PlanChange toMinutes(int newMinutes) {
    if (newMinutes <= 0) {
      throw new IllegalArgumentException("newMinutes must be > 0, was " + newMinutes);
    }
    return new PlanChange(timing, date, packageId, quantity, newMinutes);
  }

  /** {@return when the change takes effect} */
  public ChangeTiming timing() {
    return timing;
  }

  /** {@return the effective date (IMMEDIATE) or the day the change is asked for (NEXT_PERIOD)} */
  public LocalDate date() {
    return date;
  }

  /** {@return the new package; empty to keep the assignment's} */
  public Optional<String> packageId() {
    return Optional.ofNullable(packageId);
  }

  /** {@return the new quantity; empty to keep the assignment's} */
  public OptionalInt quantity() {
    return quantity == null ? OptionalInt.empty() : OptionalInt.of(quantity);
  }

  /** {@return the successor's free minutes per period and unit; empty to carry the assignment's} */
  public OptionalInt minutes() {
    return minutes == null ? OptionalInt.empty() : OptionalInt.of(minutes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlanChange c && timing == c.timing && date.equals(c.date)
        && Objects.equals(packageId, c.packageId) && Objects.equals(quantity, c.quantity)
        && Objects.equals(minutes, c.minutes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timing, date, packageId, quantity, minutes);
  }

  @Override
  public String toString() {
    return "PlanChange[" + timing + " " + date + (packageId == null ? "" : " to " + packageId)
        + (quantity == null ? "" : " x" + quantity) + (minutes == null ? "" : " " + minutes + " min") + "]";
  }
}
