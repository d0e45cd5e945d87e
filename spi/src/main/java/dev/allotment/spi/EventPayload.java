package dev.allotment.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the payload of a {@link BillingEvent}: one flat JSON object whose values are strings
 * (amounts as decimal strings such as {@code "12.50"}, dates and instants in ISO-8601), whole
 * numbers (seconds, percents) or booleans, in the order they are put. Kept flat and written here,
 * without a JSON library, so that every store can write payloads (the JDBC stores' credit
 * thresholds among them) and every reader can parse them with any JSON parser.
 *
 * <p>Not thread-safe; one per payload.
 */
public final class EventPayload {
  // Sized for a line's payload (about 400 characters), the most frequent.
  private final StringBuilder json = new StringBuilder(512).append('{');
  private final Set<String> names = new HashSet<>();

  private EventPayload() {}

  /** {@return an empty payload} */
  public static EventPayload builder() {
    return new EventPayload();
  }

  /**
   * Adds a text field.
   *
   * @param name the field's name
   * @param value the text
   * @return this payload
   * @throws IllegalArgumentException when the name was put before
   */
  public EventPayload put(String name, String value) {
    name(name);
    quote(Objects.requireNonNull(value, name));
    return this;
  }

  /**
   * Adds a text field when the value is present.
   *
   * @param name the field's name
   * @param value the text, if any
   * @return this payload
   */
  public EventPayload put(String name, Optional<String> value) {
    Objects.requireNonNull(name, "name");
    value.ifPresent(v -> put(name, v));
    return this;
  }

  /**
   * Adds an amount as a decimal string, as written (never in exponent form).
   *
   * @param name the field's name
   * @param value the amount
   * @return this payload
   */
  public EventPayload put(String name, BigDecimal value) {
    return put(name, Objects.requireNonNull(value, name).toPlainString());
  }

  /**
   * Adds a date as an ISO-8601 string ({@code 2026-07-01}).
   *
   * @param name the field's name
   * @param value the date
   * @return this payload
   */
  public EventPayload put(String name, LocalDate value) {
    return put(name, Objects.requireNonNull(value, name).toString());
  }

  /**
   * Adds an instant as an ISO-8601 string in UTC ({@code 2026-07-01T10:00:00Z}).
   *
   * @param name the field's name
   * @param value the instant
   * @return this payload
   */
  public EventPayload put(String name, Instant value) {
    return put(name, Objects.requireNonNull(value, name).toString());
  }

  /**
   * Adds a whole number.
   *
   * @param name the field's name
   * @param value the number
   * @return this payload
   */
  public EventPayload put(String name, long value) {
    name(name);
    json.append(value);
    return this;
  }

  /**
   * Adds a boolean.
   *
   * @param name the field's name
   * @param value the boolean
   * @return this payload
   */
  public EventPayload put(String name, boolean value) {
    name(name);
    json.append(value);
    return this;
  }

  /** {@return the payload's JSON text} */
  public String build() {
    return json + "}";
  }

  private void name(String name) {
    Objects.requireNonNull(name, "name");
    if (!names.add(name)) {
      throw new IllegalArgumentException("payload field '" + name + "' was put twice");
    }
    if (json.length() > 1) {
      json.append(',');
    }
    quote(name);
    json.append(':');
  }

  private void quote(String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
