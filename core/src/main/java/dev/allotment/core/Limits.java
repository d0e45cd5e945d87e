package dev.allotment.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The domain every store accepts, in one place: the bounds of dates, instants, quantities, amounts
 * and text that Allotment's value types check when they are built, so that the in-memory, the
 * JDBC and a host's own stores all hold exactly the same values and refuse nothing core accepted.
 * (Identifiers have their alphabet in {@link Ids}.)
 *
 * <ul>
 *   <li><b>Billing dates</b> (starts, ends, run dates) lie within {@link #FIRST_DATE}..{@link
 *       #LAST_DATE}: every period then ends by 9999-12-31 (a yearly period is the longest), the
 *       last day every store's {@code DATE} holds.
 *   <li><b>Instants</b> (calls, grant validity) lie within {@link #FIRST_INSTANT}..{@link
 *       #LAST_INSTANT} (years 1 to 9999 in UTC) and are whole microseconds, what a SQL
 *       {@code TIMESTAMP WITH TIME ZONE} keeps exactly.
 *   <li><b>Quantities</b> lie within 1..{@link #MAX_QUANTITY}.
 *   <li><b>Amounts</b> have at most {@link #MAX_SCALE} fraction digits and {@link
 *       #MAX_INTEGER_DIGITS} integer digits (a SQL {@code NUMERIC(19, 6)}); a package's <b>unit
 *       prices</b> at most {@link #MAX_UNIT_INTEGER_DIGITS} integer digits, so that a price times
 *       the largest quantity, a line's amount, still has at most {@link #MAX_INTEGER_DIGITS}.
 *   <li><b>Text</b> (names, descriptions, features) holds no U+0000 and no unpaired UTF-16
 *       surrogate, which no database text column keeps, and no other control character than tab,
 *       line feed and carriage return.
 * </ul>
 *
 * <p>Every check throws an {@link IllegalArgumentException} naming the field and the value, shown
 * cheaply: an amount such as {@code 1E+999999999} is shown as written, never expanded.
 *
 * <p>Thread-safe (stateless).
 */
public final class Limits {
  /** The first billing date: wide enough for any contract's history. */
  public static final LocalDate FIRST_DATE = LocalDate.of(1900, 1, 1);
  /** The last billing date: a yearly period starting on it ends on 9999-12-31, the last day stores hold. */
  public static final LocalDate LAST_DATE = LocalDate.of(9998, 12, 31);
  /** The first instant stores hold: 0001-01-01T00:00:00Z. */
  public static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
  /** The last instant stores hold: 9999-12-31T23:59:59.999999Z. */
  public static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");
  /** The largest quantity of an assignment. */
  public static final int MAX_QUANTITY = 1_000_000;
  /** The most fraction digits of any amount. */
  public static final int MAX_SCALE = 6;
  /** The most integer digits of any amount: a line's, a credit entry's, a spend figure's. */
  public static final int MAX_INTEGER_DIGITS = 13;
  /** The most integer digits of a package's unit price or cost: times {@link #MAX_QUANTITY}, it still fits. */
  public static final int MAX_UNIT_INTEGER_DIGITS = 7;
  /** The longest package name. */
  public static final int MAX_NAME_LENGTH = 200;
  /** The longest package description. */
  public static final int MAX_DESCRIPTION_LENGTH = 4000;
  /** The longest feature key. */
  public static final int MAX_FEATURE_LENGTH = 100;

  private Limits() {}

  /**
   * Returns {@code date} when it is a billing date ({@link #FIRST_DATE}..{@link #LAST_DATE}).
   *
   * @param field the field's name, for the message
   * @param date the date
   * @return {@code date}
   * @throws IllegalArgumentException naming the field and the date otherwise
   */
  public static LocalDate date(String field, LocalDate date) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(date, field);
    if (date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE)) {
      throw new IllegalArgumentException(field + " must be within " + FIRST_DATE + ".." + LAST_DATE + ", was " + date);
    }
    return date;
  }

  /** The first and last day a store's {@code DATE} holds: what a line's period, due date and grant end may reach. */
  static final LocalDate FIRST_STORED_DATE = LocalDate.of(1, 1, 1);
  static final LocalDate LAST_STORED_DATE = LocalDate.of(9999, 12, 31);

  /** {@code date} when a store's {@code DATE} holds it (years 1 to 9999). */
  static LocalDate storedDate(String field, LocalDate date) {
    if (date.isBefore(FIRST_STORED_DATE) || date.isAfter(LAST_STORED_DATE)) {
      throw new IllegalArgumentException(field + " must be within " + FIRST_STORED_DATE + ".." + LAST_STORED_DATE
          + ", was " + date);
    }
    return date;
  }

  /**
   * Returns {@code instant} when stores hold it exactly: within {@link #FIRST_INSTANT}..{@link
   * #LAST_INSTANT} and a whole number of microseconds.
   *
   * @param field the field's name, for the message
   * @param instant the instant
   * @return {@code instant}
   * @throws IllegalArgumentException naming the field and the instant otherwise
   */
  public static Instant instant(String field, Instant instant) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(instant, field);
    if (instant.isBefore(FIRST_INSTANT) || instant.isAfter(LAST_INSTANT)) {
      throw new IllegalArgumentException(field + " must be within " + FIRST_INSTANT + ".." + LAST_INSTANT
          + ", was " + instant);
    }
    if (instant.getNano() % 1_000 != 0) {
      throw new IllegalArgumentException(field + " must be a whole number of microseconds, was " + instant);
    }
    return instant;
  }

  /**
   * Returns {@code quantity} when it lies within 1..{@link #MAX_QUANTITY}.
   *
   * @param field the field's name, for the message
   * @param quantity the quantity
   * @return {@code quantity}
   * @throws IllegalArgumentException naming the field and the quantity otherwise
   */
  public static int quantity(String field, int quantity) {
    Objects.requireNonNull(field, "field");
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException(field + " must be within 1.." + MAX_QUANTITY + ", was " + quantity);
    }
    return quantity;
  }

  /**
   * Returns {@code amount} when it has at most {@link #MAX_INTEGER_DIGITS} integer and {@link
   * #MAX_SCALE} fraction digits (trailing zeros do not count). Costs nothing for an amount of any
   * exponent: nothing is expanded.
   *
   * @param field the field's name, for the message
   * @param amount the amount
   * @return {@code amount}
   * @throws IllegalArgumentException naming the field and the amount otherwise
   */
  public static BigDecimal amount(String field, BigDecimal amount) {
    return digits(field, amount, MAX_INTEGER_DIGITS);
  }

  /**
   * Returns {@code amount} when it has at most {@link #MAX_UNIT_INTEGER_DIGITS} integer and
   * {@link #MAX_SCALE} fraction digits: a package's unit price or cost.
   *
   * @param field the field's name, for the message
   * @param amount the amount
   * @return {@code amount}
   * @throws IllegalArgumentException naming the field and the amount otherwise
   */
  public static BigDecimal unitAmount(String field, BigDecimal amount) {
    return digits(field, amount, MAX_UNIT_INTEGER_DIGITS);
  }

  /** True when {@link #amount} accepts {@code amount}, without building a message. */
  static boolean fitsAmount(BigDecimal amount) {
    return fits(amount, MAX_INTEGER_DIGITS);
  }

  /** True when {@link #storedDate} accepts {@code date}. */
  static boolean isStoredDate(LocalDate date) {
    return !date.isBefore(FIRST_STORED_DATE) && !date.isAfter(LAST_STORED_DATE);
  }

  private static boolean fits(BigDecimal amount, int integerDigits) {
    if (amount.signum() == 0) {
      return true;
    }
    // precision - scale is the count of integer digits of a non-zero amount, trailing zeros included,
    // whatever its exponent; long arithmetic keeps a scale near Integer.MIN_VALUE from overflowing.
    long integers = (long) amount.precision() - amount.scale();
    return integers <= integerDigits
        && (amount.scale() <= MAX_SCALE || amount.stripTrailingZeros().scale() <= MAX_SCALE);
  }

  private static BigDecimal digits(String field, BigDecimal amount, int integerDigits) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(amount, field);
    if (!fits(amount, integerDigits)) {
      throw new IllegalArgumentException(field + " must have at most " + integerDigits + " integer and " + MAX_SCALE
          + " fraction digits, was " + shown(amount));
    }
    return amount;
  }

  /**
   * Returns {@code value} when it has at most {@code maxLength} characters and is text every store
   * keeps (see the class comment).
   *
   * @param field the field's name, for the message
   * @param value the text
   * @param maxLength the longest text the field takes
   * @return {@code value}
   * @throws IllegalArgumentException naming the field, the offending character and its index
   */
  public static String text(String field, String value, int maxLength) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, field);
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must have at most " + maxLength + " characters, was "
          + value.length() + ": '" + printable(value.substring(0, 40)) + "...'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= ' ' && c < 0x7f) {
        continue;
      }
      boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1));
      if (paired) {
        i++;
        continue;
      }
      if (Character.isSurrogate(c) || (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
        throw new IllegalArgumentException(field + " must not hold " + (c == 0 ? "U+0000"
            : Character.isSurrogate(c) ? String.format("an unpaired surrogate U+%04X", (int) c)
                : String.format("the control character U+%04X", (int) c))
            + ", which stores do not keep; it does at index " + i + ", was '" + printable(value) + "'");
      }
    }
    return value;
  }

  /** {@code amount} for a message: plain when short, as written (scientific) when it would be long. */
  static String shown(BigDecimal amount) {
    long digits = Math.abs((long) amount.precision() - amount.scale());
    return digits > 40 || Math.abs((long) amount.scale()) > 40 ? amount.toString() : amount.toPlainString();
  }

  /** {@code value} for a message, with controls, format characters, spaces beyond ASCII and unpaired surrogates escaped. */
  static String printable(String value) {
    StringBuilder text = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1));
      if (paired) {
        text.append(c).append(value.charAt(++i));
      } else if (c >= ' ' && c < 0x7f) {
        text.append(c);
      } else if (Character.isISOControl(c) || Character.isSurrogate(c) || Character.isSpaceChar(c)
          || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.UNASSIGNED
          || Character.getType(c) == Character.PRIVATE_USE) {
        text.append(String.format("\\u%04X", (int) c));
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }
}
