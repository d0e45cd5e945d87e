package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class UsageRecordTest {
  private static final Instant START = Instant.parse("2026-03-05T10:00:00Z");

  @ParameterizedTest(name = "duration {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "-1          | durationSeconds must be within 0..86400, was -1",
      "86401       | durationSeconds must be within 0..86400, was 86401",
      "9223372036854775807 | durationSeconds must be within 0..86400, was 9223372036854775807",
  })
  void negativeAndAbsurdDurationsAreRejected(long duration, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> UsageRecord.of("u-1", "c-1", "4420", START, duration)).getMessage());
  }

  @ParameterizedTest(name = "number ''{0}'' -> {1}")
  @CsvSource(delimiter = '|', value = {
      "''                 | number must have 1..32 digits, was ''",
      "+4420              | number must contain digits only, was '+4420'",
      "44 20              | number must contain digits only, was '44 20'",
      "44２0              | number must contain digits only, was '44２0'",
      "123456789012345678901234567890123 | number must have 1..32 digits, was '123456789012345678901234567890123'",
  })
  void emptyAndNonDigitNumbersAreRejected(String number, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> UsageRecord.of("u-1", "c-1", number, START, 60)).getMessage());
  }

  @Test
  void idsAndDidAreValidated() {
    assertEquals("usageId must have 1..100 characters, was ''",
        assertThrows(IllegalArgumentException.class, () -> UsageRecord.of("", "c-1", "44", START, 1)).getMessage());
    assertEquals("customerId must not contain U+0020 at index 1 (ids hold letters, digits, marks, punctuation and symbols:"
        + " no spaces, control, format, private-use or unassigned characters), was 'c 1'",
        assertThrows(IllegalArgumentException.class, () -> UsageRecord.of("u", "c 1", "44", START, 1)).getMessage());
    assertEquals("usageId must not contain '/' or '#' (they separate the parts of a line key), was 'u/1'",
        assertThrows(IllegalArgumentException.class, () -> UsageRecord.of("u/1", "c", "44", START, 1)).getMessage());
    assertEquals("usageId must not contain '/' or '#' (they separate the parts of a line key), was 'u#1'",
        assertThrows(IllegalArgumentException.class, () -> UsageRecord.of("u#1", "c", "44", START, 1)).getMessage());
    assertEquals("usageId must not contain U+2003 at index 1 (ids hold letters, digits, marks, punctuation and symbols:"
        + " no spaces, control, format, private-use or unassigned characters), was 'u\\u20031'",
        assertThrows(IllegalArgumentException.class, () -> UsageRecord.of("u\u20031", "c", "44", START, 1)).getMessage());
    assertEquals("did must contain digits only, was 'x'",
        assertThrows(IllegalArgumentException.class, () -> UsageRecord.onDid("u", "c", "x", "44", START, 1)).getMessage());
    assertThrows(NullPointerException.class, () -> UsageRecord.of("u", "c", "44", null, 1));
  }

  @Test
  void theBoundsThemselvesAreAccepted() {
    assertEquals(0, UsageRecord.of("u", "c", "4", START, 0).durationSeconds());
    assertEquals(86_400, UsageRecord.of("u", "c", "12345678901234567890123456789012", START, 86_400).durationSeconds());
    assertEquals(Optional.of("100"), UsageRecord.onDid("u", "c", "100", "44", START, 1).did());
  }
}
