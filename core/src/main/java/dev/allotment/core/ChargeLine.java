package dev.allotment.core;

import java.time.LocalDate;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a plan, and the record a journal keeps once it is charged. Built with one factory
 * per {@link LineKind}, each taking exactly what that kind carries.
 *
 * <p>{@code retail} and {@code cost} are the line's amounts, each computed exactly from unit
 * price, quantity and proration and rounded once. An {@link LineKind#ADJUSTMENT} line carries the
 * difference to what was charged (negative for a credit) and the period of the line it adjusts.
 * A {@link LineKind#FREE_MINUTES} line carries no money and grants {@link #grantSeconds()}, valid
 * from the period's start until {@link #grantValidUntil()} (exclusive; empty = no expiry).
 *
 * <p>Immutable and thread-safe; equal when every field is equal.
 */
public final class ChargeLine {
  private final LineKey key;
  private final LineSubject subject;
  private final BillingPeriod period;
  private final LocalDate dueDate;
  private final Money unitPrice;
  private final Money unitCost;
  private final Proration proration;
  private final Money retail;
  private final Money cost;
  private final long grantSeconds;
  private final LocalDate grantValidUntil;
  /** {@code key.toString()}, once asked for; see {@link #keyText()}. */
  private String keyText;

  private ChargeLine(LineKey key, LineSubject subject, BillingPeriod period, LocalDate dueDate, Money unitPrice,
      Money unitCost, Proration proration, Money retail, Money cost, long grantSeconds, LocalDate grantValidUntil) {
    this.key = key;
    this.subject = subject;
    this.period = Objects.requireNonNull(period, "period");
    this.dueDate = Objects.requireNonNull(dueDate, "dueDate");
    this.unitPrice = Objects.requireNonNull(unitPrice, "unitPrice");
    this.unitCost = Objects.requireNonNull(unitCost, "unitCost");
    this.proration = Objects.requireNonNull(proration, "proration");
    this.retail = Objects.requireNonNull(retail, "retail");
    this.cost = Objects.requireNonNull(cost, "cost");
    this.grantSeconds = grantSeconds;
    this.grantValidUntil = grantValidUntil;
    Currency currency = retail.currency();
    if (!currency.equals(cost.currency()) || !currency.equals(unitPrice.currency())
        || !currency.equals(unitCost.currency())) {
      throw new IllegalArgumentException("line " + key + " mixes currencies: retail " + retail + ", cost " + cost
          + ", unit price " + unitPrice + ", unit cost " + unitCost);
    }
    if (!retail.isRounded() || !cost.isRounded()) {
      throw new IllegalArgumentException("line " + key + " amounts must be rounded to the currency, were retail "
          + Limits.shown(retail.amount()) + ", cost " + Limits.shown(cost.amount()));
    }
    // Messages only when a check fails: building them costs more than the checks, on every line planned or read.
    checkAmount(key, "unitPrice", unitPrice);
    checkAmount(key, "unitCost", unitCost);
    checkAmount(key, "retail", retail);
    checkAmount(key, "cost", cost);
    checkDate(key, "period start", period.start());
    checkDate(key, "period end", period.endExclusive());
    checkDate(key, "dueDate", dueDate);
    if (grantValidUntil != null) {
      checkDate(key, "grantValidUntil", grantValidUntil);
    }
    if (key.kind() != LineKind.ADJUSTMENT && (retail.isNegative() || cost.isNegative())) {
      throw new IllegalArgumentException("line " + key + " amounts must be >= 0, were retail " + retail + ", cost " + cost);
    }
  }

  /**
   * The SETUP line on {@code day} (the assignment's start): the unit prices times the quantity.
   *
   * @param subject the assignment billed and its terms
   * @param day the assignment's start, the day the fee falls due
   * @param unitPrice the setup fee of one unit
   * @param unitCost the setup cost of one unit
   * @return the line, with retail and cost rounded once
   */
  public static ChargeLine setup(LineSubject subject, LocalDate day, Money unitPrice, Money unitCost) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(day, "day");
    return priced(LineKey.of(subject.assignmentId(), LineKind.SETUP, day), subject, BillingPeriod.ofDay(day), day,
        unitPrice, unitCost, Proration.WHOLE);
  }

  /**
   * The RECURRING line of {@code period}, due at its start: the unit prices times quantity and proration.
   *
   * @param subject the assignment billed and its terms
   * @param period the period billed, possibly a stub or cut by an end date
   * @param unitPrice the retail price of one unit for a whole period
   * @param unitCost the cost of one unit for a whole period
   * @param proration the share of the whole period billed
   * @return the line, with retail and cost rounded once
   */
  public static ChargeLine recurring(LineSubject subject, BillingPeriod period, Money unitPrice, Money unitCost,
      Proration proration) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(period, "period");
    return priced(LineKey.of(subject.assignmentId(), LineKind.RECURRING, period.start()), subject, period,
        period.start(), unitPrice, unitCost, proration);
  }

  private static ChargeLine priced(LineKey key, LineSubject subject, BillingPeriod period, LocalDate due,
      Money unitPrice, Money unitCost, Proration proration) {
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(unitCost, "unitCost");
    Objects.requireNonNull(proration, "proration");
    return new ChargeLine(key, subject, period, due, unitPrice, unitCost, proration,
        proration.apply(unitPrice, subject.quantity()), proration.apply(unitCost, subject.quantity()), 0, null);
  }

  /**
   * The MINIMUM_SPEND true-up of {@code period}, due at its end: the {@code shortfall} of the
   * customer's spend below the commitment (unit price times quantity and proration), with no cost.
   *
   * @param subject the assignment billed and its terms
   * @param period the period whose spend is trued up
   * @param unitPrice the commitment of one unit for a whole period
   * @param proration the share of the whole period the commitment covers
   * @param shortfall the amount charged, already rounded
   * @return the line
   * @throws IllegalArgumentException when the shortfall is not positive
   */
  public static ChargeLine minimumSpend(LineSubject subject, BillingPeriod period, Money unitPrice,
      Proration proration, Money shortfall) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(shortfall, "shortfall");
    if (shortfall.signum() <= 0) {
      throw new IllegalArgumentException("shortfall must be > 0, was " + shortfall);
    }
    Money zero = Money.zero(shortfall.currency());
    return new ChargeLine(LineKey.of(subject.assignmentId(), LineKind.MINIMUM_SPEND, period.start()), subject,
        period, period.endExclusive(), unitPrice, zero, proration, shortfall, zero, 0, null);
  }

  /**
   * The FREE_MINUTES grant of {@code period}, due at its start: {@code seconds} (already prorated)
   * valid until {@code validUntil} (exclusive; empty = no expiry), carrying no money in
   * {@code currency}.
   *
   * @param subject the assignment billed and its terms
   * @param period the period the grant belongs to
   * @param currency the currency of the package (the line's amounts are zero in it)
   * @param proration the share of the whole period granted
   * @param seconds the seconds granted, already prorated and rounded down
   * @param validUntil the end of the grant's validity (exclusive); empty for no expiry
   * @return the line
   * @throws IllegalArgumentException when seconds is negative or validUntil is not after the period's start
   */
  public static ChargeLine freeMinutes(LineSubject subject, BillingPeriod period, Currency currency,
      Proration proration, long seconds, Optional<LocalDate> validUntil) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(validUntil, "validUntil");
    if (seconds < 0) {
      throw new IllegalArgumentException("grantSeconds must be >= 0, was " + seconds);
    }
    if (validUntil.isPresent() && !validUntil.get().isAfter(period.start())) {
      throw new IllegalArgumentException("grantValidUntil must be after " + period.start() + ", was "
          + validUntil.get());
    }
    Money zero = Money.zero(Objects.requireNonNull(currency, "currency"));
    return new ChargeLine(LineKey.of(subject.assignmentId(), LineKind.FREE_MINUTES, period.start()), subject,
        period, period.start(), zero, zero, proration, zero, zero, seconds, validUntil.orElse(null));
  }

  /**
   * The {@code sequence}-th ADJUSTMENT of the RECURRING line of {@code period}, due on {@code due}:
   * the difference {@code retail}/{@code cost} to what was charged, at the charged unit prices and
   * the {@code proration} the period now has. Stores reading a journal back use this; the planner
   * uses {@link #adjustment(int, LocalDate, Proration, Money, Money)}.
   *
   * @param subject the assignment billed and its terms
   * @param period the period of the RECURRING line adjusted
   * @param sequence the adjustment's number among those of that line, from 1
   * @param due the billing date the adjustment falls due on
   * @param unitPrice the unit price the adjusted line was charged at
   * @param unitCost the unit cost the adjusted line was charged at
   * @param proration the share of the whole period the period now has
   * @param retail the retail difference, negative for a credit
   * @param cost the cost difference, negative for a credit
   * @return the line
   */
  public static ChargeLine adjustment(LineSubject subject, BillingPeriod period, int sequence, LocalDate due,
      Money unitPrice, Money unitCost, Proration proration, Money retail, Money cost) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(period, "period");
    return new ChargeLine(LineKey.adjustment(subject.assignmentId(), period.start(), sequence), subject, period,
        due, unitPrice, unitCost, proration, retail, cost, 0, null);
  }

  /**
   * The {@code sequence}-th ADJUSTMENT of this RECURRING line: see
   * {@link #adjustment(LineSubject, BillingPeriod, int, LocalDate, Money, Money, Proration, Money, Money)}.
   *
   * @param sequence the adjustment's number among those of this line, from 1
   * @param due the billing date the adjustment falls due on
   * @param newProration the share of the whole period the period now has
   * @param retailDifference the retail difference to what this line charged, negative for a credit
   * @param costDifference the cost difference to what this line charged, negative for a credit
   * @return the adjustment line, at this line's unit prices
   * @throws IllegalArgumentException when this is not a RECURRING line
   */
  public ChargeLine adjustment(int sequence, LocalDate due, Proration newProration, Money retailDifference,
      Money costDifference) {
    if (kind() != LineKind.RECURRING) {
      throw new IllegalArgumentException("only RECURRING lines are adjusted, was " + key);
    }
    return adjustment(subject, period, sequence, due, unitPrice, unitCost, newProration, retailDifference,
        costDifference);
  }

  /**
   * The {@code sequence}-th GRANT_ADJUSTMENT of the FREE_MINUTES grant of {@code period}, due on
   * {@code due}: the grant now holds {@code seconds} (the store keeps at least the seconds already
   * used) valid until {@code validUntil} (exclusive; empty = no expiry; the period's start when the
   * period no longer exists). It carries no money.
   *
   * @param subject the assignment billed and its terms
   * @param period the period of the FREE_MINUTES line adjusted
   * @param currency the currency of the package (the line's amounts are zero in it)
   * @param sequence the adjustment's number among those of that grant, from 1
   * @param due the billing date the adjustment falls due on
   * @param proration the share of the whole period the grant now covers
   * @param seconds the seconds the grant now holds, already prorated
   * @param validUntil the new end of the grant's validity
   * @return the line
   * @throws IllegalArgumentException when seconds is negative or validUntil lies before the period's start
   */
  public static ChargeLine grantAdjustment(LineSubject subject, BillingPeriod period, Currency currency, int sequence,
      LocalDate due, Proration proration, long seconds, Optional<LocalDate> validUntil) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(validUntil, "validUntil");
    if (seconds < 0) {
      throw new IllegalArgumentException("grantSeconds must be >= 0, was " + seconds);
    }
    if (validUntil.isPresent() && validUntil.get().isBefore(period.start())) {
      throw new IllegalArgumentException("grantValidUntil must not be before " + period.start() + ", was "
          + validUntil.get());
    }
    Money zero = Money.zero(Objects.requireNonNull(currency, "currency"));
    return new ChargeLine(LineKey.grantAdjustment(subject.assignmentId(), period.start(), sequence), subject, period,
        due, zero, zero, proration, zero, zero, seconds, validUntil.orElse(null));
  }

  private static void checkAmount(LineKey key, String name, Money amount) {
    if (!Limits.fitsAmount(amount.amount())) {
      Limits.amount("line " + key + " " + name, amount.amount());
    }
  }

  private static void checkDate(LineKey key, String name, LocalDate date) {
    if (!Limits.isStoredDate(date)) {
      Limits.storedDate("line " + key + " " + name, date);
    }
  }

  /**
   * {@return the key's text, {@code key().toString()}, computed once} The engine and the stores use
   * it several times per line (event ids and payloads, posting keys, messages).
   */
  public String keyText() {
    String text = keyText;
    if (text == null) {
      // A benign race: every thread computes the same immutable String.
      text = key.toString();
      keyText = text;
    }
    return text;
  }

  /** {@return the idempotency key; {@code key().kind()} is the line's kind} */
  public LineKey key() {
    return key;
  }

  /** {@return the line's kind, from its key} */
  public LineKind kind() {
    return key.kind();
  }

  /** {@return the assignment billed, and its terms every line repeats} */
  public LineSubject subject() {
    return subject;
  }

  /** {@return the assignment billed, from the key} */
  public String assignmentId() {
    return key.assignmentId();
  }

  /** {@return the customer billed} */
  public String customerId() {
    return subject.customerId();
  }

  /** {@return the DID of a DID-level assignment} */
  public Optional<String> did() {
    return subject.did();
  }

  /** {@return the package billed} */
  public String packageId() {
    return subject.packageId();
  }

  /** {@return the assignment's quantity} */
  public int quantity() {
    return subject.quantity();
  }

  /** {@return whether the line debits the customer's credit} */
  public boolean autoDecrement() {
    return subject.autoDecrement();
  }

  /** {@return the period the line bills (SETUP: the start day)} */
  public BillingPeriod period() {
    return period;
  }

  /** {@return the billing date on which the line falls due} */
  public LocalDate dueDate() {
    return dueDate;
  }

  /** {@return the retail price of one unit for a whole period} */
  public Money unitPrice() {
    return unitPrice;
  }

  /** {@return the cost of one unit for a whole period} */
  public Money unitCost() {
    return unitCost;
  }

  /** {@return the share of the whole period billed} */
  public Proration proration() {
    return proration;
  }

  /** {@return the amount charged to the customer} */
  public Money retail() {
    return retail;
  }

  /** {@return the amount the provider pays} */
  public Money cost() {
    return cost;
  }

  /** {@return the seconds granted (FREE_MINUTES; GRANT_ADJUSTMENT: the grant's new seconds; otherwise 0)} */
  public long grantSeconds() {
    return grantSeconds;
  }

  /** {@return the end of the grant's validity, exclusive (FREE_MINUTES and GRANT_ADJUSTMENT); empty = no expiry} */
  public Optional<LocalDate> grantValidUntil() {
    return Optional.ofNullable(grantValidUntil);
  }

  /** {@return the margin: retail minus cost} */
  public Money margin() {
    return retail.minus(cost);
  }

  /** {@return the latest of the due date and the period's end: a history needs the line while the plan looks that far back} */
  public LocalDate reach() {
    return dueDate.isAfter(period.endExclusive()) ? dueDate : period.endExclusive();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChargeLine l
        && key.equals(l.key)
        && subject.equals(l.subject)
        && period.equals(l.period)
        && dueDate.equals(l.dueDate)
        && unitPrice.equals(l.unitPrice)
        && unitCost.equals(l.unitCost)
        && proration.equals(l.proration)
        && retail.equals(l.retail)
        && cost.equals(l.cost)
        && grantSeconds == l.grantSeconds
        && Objects.equals(grantValidUntil, l.grantValidUntil);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + retail.hashCode();
  }

  @Override
  public String toString() {
    return "ChargeLine[" + key + " " + subject.customerId() + subject.did().map(d -> "/" + d).orElse("") + " "
        + subject.packageId() + " x" + subject.quantity() + " " + period + " due " + dueDate + " retail " + retail
         + " cost " + cost + (kind().adjusted() == LineKind.FREE_MINUTES ? " grant " + grantSeconds + " s until "
        + (grantValidUntil == null ? "-" : grantValidUntil) : "") + (subject.autoDecrement() ? " auto" : "") + "]";
  }
}
