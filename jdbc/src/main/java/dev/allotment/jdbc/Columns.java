package dev.allotment.jdbc;

import dev.allotment.core.Money;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.List;

/**
 * The column types of the schema, and the checks that keep a value from being truncated, rounded
 * or refused by them. Checking here, before any statement runs, gives an error that names the
 * field and the value; PostgreSQL would silently round a seventh fraction digit.
 */
final class Columns {
  /** Money columns are {@code NUMERIC(19, 6)}. */
  static final int MONEY_PRECISION = 19;
  static final int MONEY_SCALE = 6;
  static final String MONEY_TYPE = "NUMERIC(" + MONEY_PRECISION + "," + MONEY_SCALE + ")";

  /** Identifiers (customer, assignment, package) are {@code VARCHAR(100)}, as core allows. */
  static final int ID_LENGTH = 100;
  /** DIDs are {@code VARCHAR(32)}, as core allows. */
  static final int DID_LENGTH = 32;
  /** Credit entry and spend keys are {@code VARCHAR(200)}, as {@code CreditEntry} allows. */
  static final int KEY_LENGTH = 200;

  /** Free-minute grant ids are {@code VARCHAR(200)}: a line key's text, as core allows. */
  static final int GRANT_ID_LENGTH = 200;
  /** Free-minute grants' destination patterns are {@code VARCHAR(16000)} (schema V9); longer ones are refused. */
  static final int DESTINATION_LENGTH = 16_000;
  /** Dialed numbers are {@code VARCHAR(32)}, as core allows. */
  static final int NUMBER_LENGTH = 32;

  /** The dates both databases store in a {@code DATE} and render as four-digit years. */
  static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);
  static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

  /**
   * The instants stored in a {@code TIMESTAMP WITH TIME ZONE}: the years of {@link #MIN_DATE} ..
   * {@link #MAX_DATE} in UTC, to the microsecond (the precision of both databases' column).
   */
  static final Instant MIN_INSTANT = MIN_DATE.atStartOfDay(ZoneOffset.UTC).toInstant();
  static final Instant MAX_INSTANT = MAX_DATE.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1_000);

  private Columns() {}

  /**
   * The amount of {@code money} if it fits a money column.
   *
   * @throws IllegalArgumentException naming the field and the value when it does not
   */
  static BigDecimal amount(String field, Money money) {
    return amount(field, money.amount(), money.currency());
  }

  static BigDecimal amount(String field, BigDecimal amount, Currency currency) {
    BigDecimal stripped = amount.stripTrailingZeros();
    long fractionDigits = Math.max(stripped.scale(), 0);
    long integerDigits = Math.max((long) stripped.precision() - stripped.scale(), 0);
    if (amount.signum() != 0 && (fractionDigits > MONEY_SCALE || integerDigits > MONEY_PRECISION - MONEY_SCALE)) {
      // Core's Limits keep such amounts out; shown as written, never expanded (1E+999999999).
      throw new IllegalArgumentException(field + " does not fit the money column " + MONEY_TYPE + " (at most "
          + (MONEY_PRECISION - MONEY_SCALE) + " integer and " + MONEY_SCALE + " fraction digits), was "
          + (integerDigits > 40 || fractionDigits > 40 ? amount.toString() : amount.toPlainString()) + " "
          + currency.getCurrencyCode());
    }
    return amount;
  }

  /** {@code value} if it has 1..maxLength characters and is {@linkplain #storable(String, String) storable}. */
  static String text(String field, String value, int maxLength) {
    if (value.isEmpty() || value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must have 1.." + maxLength + " characters to be stored, was '"
          + printable(value) + "'");
    }
    return storable(field, value);
  }

  /**
   * {@code value} if every database the stores speak can hold it exactly: no U+0000 (PostgreSQL
   * refuses it in text, SQL state 22021, even as a query parameter) and no unpaired UTF-16
   * surrogate (PostgreSQL's driver sends one as {@code '?'}, so it would be stored as another
   * string). Checked in Java, before any statement, so both databases refuse the same strings
   * with the same message.
   *
   * @throws IllegalArgumentException naming the field, the offending character and its index
   */
  static String storable(String field, String value) {
    int at = unstorableAt(value);
    if (at >= 0) {
      throw new IllegalArgumentException(field + " cannot be stored: it holds "
          + (value.charAt(at) == 0 ? "U+0000" : String.format("an unpaired surrogate U+%04X", (int) value.charAt(at)))
          + " at index " + at + ", which a database text column does not keep; was '" + printable(value) + "'");
    }
    return value;
  }

  /**
   * True when {@code value} is {@linkplain #storable(String, String) storable}. A key that is not
   * can be held by no store, so a lookup by it finds nothing without asking the database.
   */
  static boolean storable(String value) {
    return unstorableAt(value) < 0;
  }

  /** The index of the first U+0000 or unpaired surrogate of {@code value}; -1 when it has none. */
  static int unstorableAt(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= ' ' && c < Character.MIN_SURROGATE) {
        continue; // the common case, checked for every id bound, so kept cheap
      }
      if (c == 0 || Character.isLowSurrogate(c)) {
        return i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** {@code value} for a message, with U+0000, other controls and unpaired surrogates as Java escapes. */
  static String printable(String value) {
    if (storable(value) && value.chars().noneMatch(Character::isISOControl)) {
      return value;
    }
    StringBuilder text = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1));
      if (paired) {
        text.append(c).append(value.charAt(++i));
      } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        text.append(String.format("\\u%04X", (int) c));
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  /** Dates as text in ISO order with a four-digit year at least and no sign: 10000-01-01, not +10000-01-01. */
  private static final java.time.format.DateTimeFormatter DATE_TEXT = new java.time.format.DateTimeFormatterBuilder()
      .appendValue(java.time.temporal.ChronoField.YEAR, 4, 10, java.time.format.SignStyle.NORMAL).appendLiteral('-')
      .appendValue(java.time.temporal.ChronoField.MONTH_OF_YEAR, 2).appendLiteral('-')
      .appendValue(java.time.temporal.ChronoField.DAY_OF_MONTH, 2).toFormatter(java.util.Locale.ROOT);

  /**
   * {@code date} (year 1 or later) as text both databases read as a {@code DATE}, also past year
   * 9999, where {@link LocalDate#toString()} writes a {@code '+'} sign that PostgreSQL refuses.
   */
  static String dateText(LocalDate date) {
    if (date.getYear() < 1) {
      throw new IllegalArgumentException("a date as text must be in year 1 or later, was " + date);
    }
    return DATE_TEXT.format(date);
  }

  /** {@code date} if a {@code DATE} column holds it. */
  static LocalDate date(String field, LocalDate date) {
    if (date.isBefore(MIN_DATE) || date.isAfter(MAX_DATE)) {
      throw new IllegalArgumentException(field + " must be within " + MIN_DATE + ".." + MAX_DATE
          + " to be stored, was " + date);
    }
    return date;
  }

  /**
   * {@code instant} as the value a {@code TIMESTAMP WITH TIME ZONE} column stores exactly. Both
   * databases keep microseconds and would round a finer instant, which then reads back unequal
   * (a grant replayed with its own content would look like a conflict), so that is refused.
   *
   * @throws IllegalArgumentException naming the field and the value when it is out of range or finer
   *     than a microsecond
   */
  static OffsetDateTime instant(String field, Instant instant) {
    if (instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
      throw new IllegalArgumentException(field + " must be within " + MIN_INSTANT + ".." + MAX_INSTANT
          + " to be stored, was " + instant);
    }
    if (instant.getNano() % 1_000 != 0) {
      throw new IllegalArgumentException(field + " must be a whole number of microseconds to be stored"
          + " (TIMESTAMP WITH TIME ZONE keeps 6 fraction digits), was " + instant);
    }
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** The instant in {@code column}, or null. */
  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** The date in {@code column}, or null. */
  static LocalDate getDate(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, LocalDate.class);
  }

  /** The money in {@code column}, at the currency's scale (see {@link Money#atCurrencyScale}). */
  static Money getMoney(ResultSet rs, String column, Currency currency) throws SQLException {
    return money(rs.getBigDecimal(column), currency);
  }

  /** The money of an amount read from a money column, at the currency's scale (see {@link Money#atCurrencyScale}). */
  static Money money(BigDecimal stored, Currency currency) {
    // The column keeps 6 fraction digits whatever was written: 5.00 comes back 5.000000.
    return Money.of(stored, currency).atCurrencyScale();
  }

  static Currency getCurrency(ResultSet rs, String column) throws SQLException {
    return Money.currency(rs.getString(column).trim());
  }

  /**
   * A set of strings as one text column: joined by commas, with backslash escaping so any string
   * (commas included) comes back unchanged. Sorted, so equal sets store equal text. Elements must
   * not be empty (the set holding only "" would read back as the empty set); package types and
   * features never are.
   */
  static String encodeSet(Collection<String> values) {
    StringBuilder text = new StringBuilder();
    boolean first = true;
    for (String value : new java.util.TreeSet<>(values)) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("a stored set must not contain an empty string: " + values);
      }
      if (!first) {
        text.append(',');
      }
      first = false;
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\\' || c == ',') {
          text.append('\\');
        }
        text.append(c);
      }
    }
    return text.toString();
  }

  /** The inverse of {@link #encodeSet}. */
  static List<String> decodeSet(String text) {
    List<String> values = new ArrayList<>();
    if (text.isEmpty()) {
      return values;
    }
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        current.append(text.charAt(++i));
      } else if (c == ',') {
        values.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    values.add(current.toString());
    return values;
  }
}
