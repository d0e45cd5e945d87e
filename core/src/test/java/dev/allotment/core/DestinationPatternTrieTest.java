package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class DestinationPatternTrieTest {

  @ParameterizedTest(name = "{0} is a prefix alternation")
  @ValueSource(strings = {"^44|^91|^1", "(^44|^91|^1)", "(?:^44|^91|^1)", "^(44|91|1)", "^(?:44|91|1)", "^44",
      "^", "^44|^44|^1", "^4|^44|^441"})
  void prefixAlternationsUseTheTrie(String pattern) {
    assertTrue(DestinationPattern.parse(pattern).usesPrefixTrie(), pattern);
  }

  @ParameterizedTest(name = "{0} falls back to the RE2/J matcher")
  @ValueSource(strings = {"44|91", "^44|91", "^4[4-5]", "^44$", "^44|", "((^44|^91))", "^(44)|^(91)", "^(44|91)1",
      "^(44|)", "^()", "^\\d+", "(^44)(^91)"})
  void otherPatternsFallBackToRegex(String pattern) {
    assertFalse(DestinationPattern.parse(pattern).usesPrefixTrie(), pattern);
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource({
      "^44|^91|^1,   4420,   2",
      "^44|^91|^1,   9120,   2",
      "^44|^91|^1,   1212,   1",
      "^44|^91|^1,   3312,  -1",
      "^44|^91|^1,   4,     -1",
      "^4|^44|^441,  4412,   3",
      "^441|^44|^4,  4412,   3",
      "^4|^44|^441,  4499,   2",
      "^4|^44|^441,  49,     1",
      "^44|^44,      449,    2",
      "^,            123,    0",
      "^44|^,        449,    2",
      "^44|^,        91,     0",
      "^(44|91),     913,    2",
      "(?:^44|^91),  913,    2",
      "^44,          044,   -1",
  })
  void longestMatchIsTheLongestMatchingPrefix(String pattern, String number, int expected) {
    assertEquals(expected, DestinationPattern.parse(pattern).longestMatch(number));
  }

  @Test
  void aNonDigitEndsTheWalkAsInARegex() {
    DestinationPattern pattern = DestinationPattern.parse("^44|^4412");
    assertEquals(2, pattern.longestMatch("44a12"));
    assertEquals(-1, pattern.longestMatch("+4412"));
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource({
      "44,         1440,  2",
      "^4[4-5],    4512,  2",
      "^44$,       44,    2",
      "^44$,       441,  -1",
      "^\\d{3},    12345, 3",
  })
  void regexFallbackGivesTheLengthOfTheFirstMatch(String pattern, String number, int expected) {
    assertEquals(expected, DestinationPattern.parse(pattern).longestMatch(number));
  }

  @ParameterizedTest(name = "''{0}'' is rejected")
  @ValueSource(strings = {"^(44", "^44|^[9", "*44", " ", ""})
  void invalidPatternsAreRejectedNamingThePattern(String pattern) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse(pattern));
    assertTrue(e.getMessage().startsWith("destination"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + pattern + "'"), e.getMessage());
  }

  @Test
  void aPackageWithAnInvalidDestinationIsNotCreated() {
    ServicePackageBuilder builder = ServicePackage.builder("p").name("Bundle").currency("EUR")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.destination("^44|^(9"));
    assertTrue(e.getMessage().contains("^44|^(9"), e.getMessage());
  }

  @Test
  void duplicatesCountOnce() {
    assertEquals(2, DigitPrefixTrie.of(List.of("44", "91", "44")).size());
  }

  @Test
  void theTrieRejectsNonDigitPrefixes() {
    assertThrows(IllegalArgumentException.class, () -> DigitPrefixTrie.of(List.of("4a")));
  }

  @Test
  void equalityIsTheSourceText() {
    assertEquals(DestinationPattern.parse("^44|^91"), DestinationPattern.parse("^44|^91"));
    assertFalse(DestinationPattern.parse("^44|^91").equals(DestinationPattern.parse("^91|^44")));
  }
}
