package dev.allotment.core;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ChargeLine} as a journal row or a report's JSON holds it: every field flat. Readers turn
 * it back into a line with {@link #toLine()}, which builds the line with its kind's factory and
 * refuses a row whose fields disagree with what that factory derives (a corrupted or hand-edited
 * row is reported, never silently repaired).
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the line's key
 * @param subject whose line it is
 * @param period the period billed
 * @param dueDate the due date
 * @param unitPrice the unit retail price
 * @param unitCost the unit cost
 * @param proration the share of the period billed
 * @param retail the amount charged
 * @param cost the amount the provider pays
 * @param grantSeconds seconds granted (FREE_MINUTES), else 0
 * @param grantValidUntil the grant's end (FREE_MINUTES), else empty
 */
public record StoredLine(LineKey key, LineSubject subject, BillingPeriod period, LocalDate dueDate, Money unitPrice,
    Money unitCost, Proration proration, Money retail, Money cost, long grantSeconds,
    Optional<LocalDate> grantValidUntil) {

  /**

   * Every component is required.

   *

   * @param key the line's key

   * @param subject whose line it is

   * @param period the period billed

   * @param dueDate the due date

   * @param unitPrice the unit retail price

   * @param unitCost the unit cost

   * @param proration the share of the period billed

   * @param retail the amount charged

   * @param cost the amount the provider pays

   * @param grantSeconds seconds granted (FREE_MINUTES), else 0

   * @param grantValidUntil the grant's end (FREE_MINUTES), else empty

   */
  public StoredLine {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(dueDate, "dueDate");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(unitCost, "unitCost");
    Objects.requireNonNull(proration, "proration");
    Objects.requireNonNull(retail, "retail");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(grantValidUntil, "grantValidUntil");
  }

  /**
   * The fields of {@code line}.
   *
   * @param line the line
   * @return its fields
   */
  public static StoredLine of(ChargeLine line) {
    return new StoredLine(line.key(), line.subject(), line.period(), line.dueDate(), line.unitPrice(),
        line.unitCost(), line.proration(), line.retail(), line.cost(), line.grantSeconds(), line.grantValidUntil());
  }

  /**
   * The line these fields describe.
   *
   * @return the line, built by its kind's factory
   * @throws IllegalArgumentException naming the first field that is not what the line's kind gives
   */
  public ChargeLine toLine() {
    if (!key.assignmentId().equals(subject.assignmentId())) {
      throw new IllegalArgumentException("key " + key + " is not of assignment '" + subject.assignmentId() + "'");
    }
    ChargeLine line = switch (key.kind()) {
      case SETUP -> ChargeLine.setup(subject, period.start(), unitPrice, unitCost);
      case RECURRING -> ChargeLine.recurring(subject, period, unitPrice, unitCost, proration);
      case MINIMUM_SPEND -> ChargeLine.minimumSpend(subject, period, unitPrice, proration, retail);
      case FREE_MINUTES -> ChargeLine.freeMinutes(subject, period, retail.currency(), proration, grantSeconds,
          grantValidUntil);
      case ADJUSTMENT -> ChargeLine.adjustment(subject, period, key.sequence(), dueDate, unitPrice, unitCost,
          proration, retail, cost);
      case GRANT_ADJUSTMENT -> ChargeLine.grantAdjustment(subject, period, retail.currency(), key.sequence(), dueDate,
          proration, grantSeconds, grantValidUntil);
    };
    StoredLine derived = of(line);
    if (!derived.equals(this)) {
      throw new IllegalArgumentException("line " + key + " is not a valid " + key.kind() + " line: "
          + firstDifference(derived));
    }
    return line;
  }

  private String firstDifference(StoredLine derived) {
    Object[][] fields = {
        {"key", key, derived.key}, {"period", period, derived.period}, {"dueDate", dueDate, derived.dueDate},
        {"unitPrice", unitPrice, derived.unitPrice}, {"unitCost", unitCost, derived.unitCost},
        {"proration", proration, derived.proration}, {"retail", retail, derived.retail},
        {"cost", cost, derived.cost}, {"grantSeconds", grantSeconds, derived.grantSeconds},
        {"grantValidUntil", grantValidUntil, derived.grantValidUntil}};
    for (Object[] field : fields) {
      if (!Objects.equals(field[1], field[2])) {
        return field[0] + " must be " + field[2] + ", was " + field[1];
      }
    }
    return "subject";
  }
}
