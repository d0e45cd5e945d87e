package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class DestinationPatternTest {

  /** The length of the most specific match: the longest matching prefix of an alternation, -1 for none. */
  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(delimiter = ';', value = {
      "^44|^91|^1;   4420712345;  2",
      "^44|^91|^1;   919812345;   2",
      "^44|^91|^1;   12125551234; 1",
      "^44|^91|^1;   3312345678;  -1",
      // the longest prefix wins whatever the order of the alternatives
      "^44|^4420;    4420712345;  4",
      "^4420|^44;    4420712345;  4",
      "^44|^4420;    4499;        2",
      "^1|^1212;     12125551234; 4",
      "^(44|4420);   4420712345;  4",
      // anchors only anchor at the number's start and end
      "^44;          9144;        -1",
      "44;           9144;        2",
      "^1$;          1;           1",
      "^1$;          12;          -1",
      "1$;           221;         1",
      "^44\\d*;      44207;       5",
  })
  void longestMatch(String pattern, String number, int expected) {
    DestinationPattern destination = DestinationPattern.parse(pattern);

    assertEquals(expected, destination.longestMatch(number));
    assertEquals(expected >= 0, destination.matches(number));
    assertEquals(pattern, destination.source());
  }

  @org.junit.jupiter.api.Test
  void patternsLongerThanEveryStoreKeepsAreRefused() {
    StringBuilder prefixes = new StringBuilder("^1000");
    for (int i = 1001; prefixes.length() <= DestinationPattern.MAX_LENGTH; i++) {
      prefixes.append("|^").append(i);
    }
    String tooLong = prefixes.toString();
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> DestinationPattern.parse(tooLong));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("destination must have at most " + DestinationPattern.MAX_LENGTH + " characters, was "
        + tooLong.length()), e.getMessage());
    String longest = tooLong.substring(0, tooLong.lastIndexOf('|', DestinationPattern.MAX_LENGTH));
    assertEquals(4, DestinationPattern.parse(longest).longestMatch("10999"));
    assertEquals(16_000, DestinationPattern.MAX_LENGTH, "2,000 prefixes of up to 6 digits and their ^| fit");
  }
}
