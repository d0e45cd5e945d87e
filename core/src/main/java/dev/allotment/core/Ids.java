package dev.allotment.core;

/** Validation shared by every host-supplied identifier. */
final class Ids {
  static final int MAX_LENGTH = 100;

  private Ids() {}

  /**
   * Returns {@code value} when it is a usable identifier: not blank, at most {@value #MAX_LENGTH}
   * characters, no whitespace or control characters, and no {@code '/'} or {@code '#'} (they
   * separate the parts of a {@link LineKey}).
   */
  static String require(String field, String value) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          field + " must have 1.." + MAX_LENGTH + " characters, was '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c > ' ' && c < 0x7f && c != '/' && c != '#') {
        continue; // printable ASCII: checked on every call the ledger consumes, so kept cheap
      }
      if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '/' || c == '#') {
        throw new IllegalArgumentException(
            field + " must not contain whitespace, control characters, '/' or '#', was '" + value + "'");
      }
    }
    return value;
  }

  /** Returns {@code value} when it is a non-empty string of ASCII digits of at most 32. */
  static String requireDigits(String field, String value) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (value.isEmpty() || value.length() > 32) {
      throw new IllegalArgumentException(field + " must have 1..32 digits, was '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(field + " must contain digits only, was '" + value + "'");
      }
    }
    return value;
  }
}
