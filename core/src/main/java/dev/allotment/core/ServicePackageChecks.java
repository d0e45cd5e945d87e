package dev.allotment.core;

import java.math.BigDecimal;

/**
 * The whole-package rules {@link ServicePackageBuilder#build()} checks, apart from the builder's
 * setters so that each stays short.
 *
 * <p>Thread-safe (stateless).
 */
final class ServicePackageChecks {
  /** The most days ahead a package may announce a line: a year, leap day included. */
  static final int MAX_NOTIFICATION_DAYS = 366;

  private ServicePackageChecks() {}

  /** Throws an {@link IllegalArgumentException} naming the field and the value of the first rule {@code b} breaks. */
  static void check(ServicePackageBuilder b) {
    if (b.name == null || b.name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank: '" + (b.name == null ? "" : b.name) + "'");
    }
    if (b.currency == null) {
      throw new IllegalArgumentException("currency is required for package '" + b.id + "'");
    }
    if (b.frequency == null) {
      throw new IllegalArgumentException("frequency is required for package '" + b.id + "'");
    }
    nonNegative("retail", b.retail);
    nonNegative("cost", b.cost);
    nonNegative("setupRetail", b.setupRetail);
    nonNegative("setupCost", b.setupCost);
    if (b.minimumDays != null && b.minimumDays < 0) {
      throw new IllegalArgumentException("minimumDays must be >= 0, was " + b.minimumDays);
    }
    checkMatch(b);
    boolean freeMinutes = b.types != null && b.types.contains(PackageType.FREE_MINUTES);
    if (b.destination != null && !freeMinutes) {
      throw new IllegalArgumentException(
          "destination is only allowed on a FREE_MINUTES package, was '" + b.destination + "'");
    }
    if (b.roundingIncrementSeconds != null
        && (b.roundingIncrementSeconds < 1 || b.roundingIncrementSeconds > FreeMinuteRules.MAX_ROUNDING_INCREMENT)) {
      throw new IllegalArgumentException(
          "roundingIncrementSeconds must be within 1.." + FreeMinuteRules.MAX_ROUNDING_INCREMENT + ", was "
              + b.roundingIncrementSeconds);
    }
    if (Boolean.TRUE.equals(b.minimumSpend) && b.frequency == Frequency.NONE) {
      throw new IllegalArgumentException(
          "minimumSpend needs a recurring frequency, was frequency " + b.frequency);
    }
    if (b.notificationDays != null && (b.notificationDays < 0 || b.notificationDays > MAX_NOTIFICATION_DAYS)) {
      throw new IllegalArgumentException("notificationDays must be within 0.." + MAX_NOTIFICATION_DAYS + ", was "
          + b.notificationDays);
    }
    if (b.lowBalancePercent != null && (b.lowBalancePercent < 0 || b.lowBalancePercent > 99)) {
      throw new IllegalArgumentException("lowBalancePercent must be within 0..99, was " + b.lowBalancePercent);
    }
    if (b.lowBalancePercent != null && b.lowBalancePercent > 0 && !freeMinutes) {
      throw new IllegalArgumentException("lowBalancePercent is only allowed on a FREE_MINUTES package, was "
          + b.lowBalancePercent);
    }
  }

  private static void nonNegative(String field, BigDecimal amount) {
    if (amount != null && amount.signum() < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, was " + Limits.shown(amount));
    }
  }

  private static void checkMatch(ServicePackageBuilder b) {
    if (b.frequencyMatch == null || b.frequencyMatch.isEmpty()) {
      return;
    }
    FrequencyMatch.Kind allowed = FrequencyMatch.kindFor(b.frequency);
    if (allowed == null) {
      throw new IllegalArgumentException(
          "frequencyMatch is not allowed for frequency " + b.frequency + ", was '" + b.frequencyMatch + "'");
    }
    if (b.frequencyMatch.kind() != allowed) {
      throw new IllegalArgumentException("frequencyMatch for frequency " + b.frequency + " must list "
          + (allowed == FrequencyMatch.Kind.DAYS_OF_WEEK ? "weekdays" : "days of month")
          + ", was '" + b.frequencyMatch + "'");
    }
  }
}
