package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Destinations are digit patterns only, and the ones the trie does not answer are matched in time
 * linear in the number: the grammar is tested here; linear time is RE2/J's design (no backtracking),
 * so no test times it (the figures live in bench/).
 */
final class DestinationGrammarTest {

  @ParameterizedTest(name = "{0} is a digit pattern")
  @ValueSource(strings = {"^44|^91|^1", "44", "^44$", "^4[4-5]", "^4[^0]", "^[0-9\\d]", "^\\d{3,5}$", "^4.{2}",
      "^(44|91)1", "(?:^44)|(^91)", "^(\\d*4){16}$", "^1?2*3+", "^4{0,}", "^4{32}", "^((((1))))", "^44|", "^()",
      "1$|2$", "^[0-35-9]"})
  void digitPatternsAreAccepted(String pattern) {
    assertEquals(pattern, DestinationPattern.parse(pattern).source());
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
      "^\\+44;          the only escape allowed is '\\d'",
      "^abc;            only digits",
      "^4 4;            only digits",
      "+44;             a repetition repeats nothing",
      "^4**;            a repetition cannot be repeated",
      "^4*?;            a repetition cannot be repeated",
      "^4++;            a repetition cannot be repeated",
      "^4{33};          at most 32",
      "^4{2,1};         n <= m",
      "^4{1;            {n}, {n,} or {n,m}",
      "^4{,3};          {n}, {n,} or {n,m}",
      "^(?=4)4;         only plain",
      "^(?<n>4);        only plain",
      "(?i)44;          only plain",
      "^(4)\\1;         the only escape allowed",
      "^\\w;            the only escape allowed",
      "^[a-z];          digits, ranges of digits",
      "^[];             must not be empty",
      "^[4;             not closed",
      "^[9-0];          backwards",
      "^(44;            not closed",
      "44);             closes no group",
      "^$*;             an anchor cannot be repeated",
      "^４４;           only digits",
      "^44\u200B;       only digits",
      "\\;              the only escape allowed"})
  void everythingElseIsRefusedNamingTheField(String pattern, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServicePackage.builder("p").destination(pattern));
    assertTrue(e.getMessage().startsWith("destination is not a valid pattern: '"), e.getMessage());
    assertTrue(e.getMessage().contains(why), () -> e.getMessage() + " should say " + why);
    assertTrue(e.getMessage().contains(" at index ") || e.getMessage().contains("found the end"), e.getMessage());
  }

  @Test
  void groupsNestOnlySoDeep() {
    String deep = "^" + "(".repeat(17) + "4" + ")".repeat(17);
    assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse(deep));
    assertEquals(1, DestinationPattern.parse("^" + "(".repeat(16) + "4" + ")".repeat(16)).longestMatch("4"));
  }

  /**
   * The pattern that took java.util.regex 18 to 26 seconds per call on a 32-digit number: RE2/J
   * answers it without backtracking, and the answers are those of the regex semantics.
   */
  @Test
  void aCatastrophicBacktrackingPatternIsMatchedByTheLinearEngine() {
    DestinationPattern pattern = DestinationPattern.parse("^(\\d*4){16}$");
    assertFalse(pattern.usesPrefixTrie());
    assertEquals(-1, pattern.longestMatch("4".repeat(31) + "5"));
    assertEquals(-1, pattern.longestMatch("1234".repeat(3) + "9".repeat(20)));
    assertEquals(32, pattern.longestMatch("4".repeat(32)));
    assertEquals(16, pattern.longestMatch("4".repeat(16)));
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}, as java.util.regex's find() says")
  @CsvSource({"44|91, 9144, 2", "^4[4-5], 4530, 2", "^44$, 44, 2", "^44$, 445, -1", "'^\\d{3,5}$', 12345, 5",
      "^(44|4)1, 441, 3", "^(4|44)2|^9, 4420, 3", "1$|2$, 9992, 1", "^$|^7, 7, 1"})
  void nonTriePatternsAnswerAsTheRegexSemanticsSay(String pattern, String number, int expected) {
    assertEquals(expected, DestinationPattern.parse(pattern).longestMatch(number));
    java.util.regex.Matcher reference = java.util.regex.Pattern.compile(pattern).matcher(number);
    assertEquals(expected, reference.find() ? reference.end() - reference.start() : -1, "the reference agrees");
  }
}
