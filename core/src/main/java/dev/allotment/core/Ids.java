package dev.allotment.core;

import java.text.Normalizer;
import java.util.Objects;

/**
 * The one alphabet of every identifier a host gives Allotment (customers, assignments, packages,
 * usage ids) and of every key built from them (line keys, credit entry keys, grant ids), so that
 * every store accepts exactly the same ids and two ids that look alike on a screen are never two
 * different ids.
 *
 * <p>An identifier has 1..{@value #MAX_LENGTH} characters, each of them
 *
 * <ul>
 *   <li>printable ASCII ({@code '!'} to {@code '~'}) other than {@code '/'} and {@code '#'} (they
 *       separate the parts of a {@link LineKey}), or
 *   <li>beyond ASCII, a letter, a mark, a digit or other number, a punctuation mark or a symbol
 *       (Unicode general categories L, M, N, P and S),
 * </ul>
 *
 * <p>and the whole is in Unicode normalisation form NFC. Refused, so: spaces of every kind (the
 * no-break space U+00A0 included), control characters, format characters (the zero-width space
 * U+200B, joiners, bidirectional overrides such as U+202E, the byte-order mark), unpaired
 * surrogates, private-use and unassigned code points, and a decomposed {@code e} + U+0301 where
 * {@code é} is meant. A key ({@link #requireKey}) follows the same alphabet with {@code '/'} and
 * {@code '#'} allowed.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} naming the field, the offending
 * character (as {@code U+XXXX}) and its index, with the value shown with invisible characters
 * escaped.
 *
 * <p>Thread-safe (stateless).
 */
public final class Ids {
  /** The longest identifier: what every store keeps. */
  public static final int MAX_LENGTH = 100;

  private Ids() {}

  /**
   * Returns {@code value} when it is an identifier of the alphabet above.
   *
   * @param field the field's name, for the message
   * @param value the identifier
   * @return {@code value}
   * @throws NullPointerException naming the field when value is null
   * @throws IllegalArgumentException naming the field and the value otherwise
   */
  public static String require(String field, String value) {
    return check(field, value, MAX_LENGTH, false);
  }

  /**
   * Returns {@code value} when it is a key of 1..{@code maxLength} characters of the alphabet,
   * {@code '/'} and {@code '#'} allowed.
   *
   * @param field the field's name, for the message
   * @param value the key
   * @param maxLength the longest key the field takes
   * @return {@code value}
   * @throws NullPointerException naming the field when value is null
   * @throws IllegalArgumentException naming the field and the value otherwise
   */
  public static String requireKey(String field, String value, int maxLength) {
    return check(field, value, maxLength, true);
  }

  /**
   * True when {@code value} is an identifier of the alphabet: a lookup by any other value finds
   * nothing in any store.
   *
   * @param value a candidate identifier
   * @return whether {@link #require} would accept it
   */
  public static boolean isValid(String value) {
    Objects.requireNonNull(value, "value");
    return !value.isEmpty() && value.length() <= MAX_LENGTH && invalidAt(value, false) < 0
        && normalized(value);
  }

  private static String check(String field, String value, int maxLength, boolean key) {
    Objects.requireNonNull(field, "field");
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (value.isEmpty() || value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must have 1.." + maxLength + " characters, was "
          + (value.length() > maxLength ? value.length() + ": '" + Limits.printable(value.substring(0, 40)) + "...'"
              : "''"));
    }
    int at = invalidAt(value, key);
    if (at >= 0) {
      int c = value.codePointAt(at);
      if (c == '/' || c == '#') {
        throw new IllegalArgumentException(field + " must not contain '/' or '#' (they separate the parts of a line"
            + " key), was '" + Limits.printable(value) + "'");
      }
      throw new IllegalArgumentException(field + " must not contain " + (Character.isSurrogate((char) c)
          ? "an unpaired surrogate " : "") + String.format("U+%04X", c) + " at index " + at
          + " (ids hold letters, digits, marks, punctuation and symbols: no spaces, control, format, private-use"
          + " or unassigned characters), was '" + Limits.printable(value) + "'");
    }
    if (!normalized(value)) {
      throw new IllegalArgumentException(field + " must be in Unicode normalisation form NFC (a letter and its"
          + " accent as one character), was '" + Limits.printable(value) + "'");
    }
    return value;
  }

  private static boolean normalized(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 0x80) {
        return Normalizer.isNormalized(value, Normalizer.Form.NFC);
      }
    }
    return true; // ASCII is NFC: checked on every call the ledger consumes, so kept cheap
  }

  /** The index of the first character outside the alphabet, or -1. */
  private static int invalidAt(String value, boolean key) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (c > ' ' && c < 0x7f) {
        if (!key && (c == '/' || c == '#')) {
          return i;
        }
      } else if (c < 0x80 || Character.isSurrogate((char) c) || !allowedBeyondAscii(c)) {
        return i;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  private static boolean allowedBeyondAscii(int c) {
    switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER,
          Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }

  /**
   * Returns {@code value} when it is a non-empty string of at most 32 ASCII digits (a DID or a
   * dialed number).
   *
   * @param field the field's name, for the message
   * @param value the digits
   * @return {@code value}
   * @throws NullPointerException naming the field when value is null
   * @throws IllegalArgumentException naming the field and the value otherwise
   */
  public static String requireDigits(String field, String value) {
    Objects.requireNonNull(field, "field");
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (value.isEmpty() || value.length() > 32) {
      throw new IllegalArgumentException(field + " must have 1..32 digits, was '" + Limits.printable(
          value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(field + " must contain digits only, was '" + Limits.printable(value) + "'");
      }
    }
    return value;
  }
}
