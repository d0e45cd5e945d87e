package dev.allotment.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values as the engine takes them, each refusal one sentence naming the value and the form
 * expected (picocli prefixes the option's name).
 */
final class Converters {
  private Converters() {}

  static LocalDate date(String text) {
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + text + "' is not a date (expected YYYY-MM-DD, e.g. 2026-07-01)");
    }
  }

  /** An instant with its offset, {@code 2026-07-02T09:15:00Z} or {@code 2026-07-02T10:15:00+01:00}. */
  static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + text + "' is not a date and time with an offset (expected e.g."
          + " 2026-07-02T09:15:00Z)");
    }
  }

  static BigDecimal amount(String text) {
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not an amount (expected a decimal number, e.g. 25.00)");
    }
  }
}
