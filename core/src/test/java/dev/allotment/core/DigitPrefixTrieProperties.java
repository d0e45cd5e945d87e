package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The prefix trie against {@link java.util.regex} on the very same patterns. */
final class DigitPrefixTrieProperties {

  @Provide
  Arbitrary<Set<String>> prefixSets() {
    Arbitrary<String> prefix = Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(6)
        .edgeCases(edges -> edges.add(""));
    return prefix.set().ofMinSize(1).ofMaxSize(200);
  }

  @Provide
  Arbitrary<List<String>> suffixes() {
    return Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(14).list().ofMinSize(1).ofMaxSize(40);
  }

  /** Numbers that share prefixes with the set (every other one), so matches of every length happen. */
  private static List<String> numbers(List<String> prefixes, List<String> suffixes) {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < suffixes.size(); i++) {
      String prefix = i % 2 == 0 ? prefixes.get(i % prefixes.size()) : "";
      String number = prefix + suffixes.get(i);
      // Also the number cut inside its prefix: walks that stop in the middle of the trie.
      numbers.add(number);
      numbers.add(number.substring(0, number.length() / 2));
    }
    return numbers;
  }

  private static int regexLongestMatch(Pattern regex, String number) {
    Matcher m = regex.matcher(number);
    return m.find() ? m.end() - m.start() : -1;
  }

  /**
   * Alternatives written longest first, as a careful author writes them: then the regex's
   * leftmost-first alternation also yields the longest prefix, and both must agree exactly.
   */
  @Property(tries = 300)
  void trieEqualsRegexOnTheSamePattern(@ForAll("prefixSets") Set<String> prefixes,
      @ForAll("suffixes") List<String> suffixes) {
    List<String> longestFirst = prefixes.stream()
        .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
        .toList();
    String source = longestFirst.stream().map(p -> "^" + p).collect(Collectors.joining("|"));
    DestinationPattern pattern = DestinationPattern.parse(source);
    Pattern regex = Pattern.compile(source);
    assertTrue(pattern.usesPrefixTrie(), source);
    for (String number : numbers(longestFirst, suffixes)) {
      assertEquals(regexLongestMatch(regex, number), pattern.longestMatch(number), () -> source + " on " + number);
    }
  }

  /**
   * In any order of the alternatives the trie still gives the longest prefix (which a regex would
   * not), and it matches exactly the numbers the regex matches.
   */
  @Property(tries = 300)
  void inAnyOrderTheTrieMatchesWhatTheRegexMatchesWithTheLongestPrefix(@ForAll("prefixSets") Set<String> prefixes,
      @ForAll("suffixes") List<String> suffixes, @ForAll @IntRange(min = 0, max = 1000) int rotation) {
    List<String> order = new ArrayList<>(prefixes);
    java.util.Collections.rotate(order, rotation);
    String source = order.stream().map(p -> "^" + p).collect(Collectors.joining("|"));
    DestinationPattern pattern = DestinationPattern.parse(source);
    Pattern regex = Pattern.compile(source);
    for (String number : numbers(order, suffixes)) {
      int longest = -1;
      for (String p : prefixes) {
        if (number.startsWith(p)) {
          longest = Math.max(longest, p.length());
        }
      }
      assertEquals(longest, pattern.longestMatch(number), () -> source + " on " + number);
      assertEquals(regex.matcher(number).find(), pattern.matches(number), () -> source + " on " + number);
    }
  }

  /** The wrapped spellings of the same alternation give the same answers as the plain one. */
  @Property(tries = 200)
  void wrappedSpellingsAgree(@ForAll @Size(min = 1, max = 50) Set<@net.jqwik.api.constraints.StringLength(min = 1,
      max = 5) @net.jqwik.api.constraints.NumericChars String> prefixes, @ForAll("suffixes") List<String> suffixes) {
    List<String> order = new ArrayList<>(prefixes);
    String anchored = order.stream().map(p -> "^" + p).collect(Collectors.joining("|"));
    String plain = String.join("|", order);
    DestinationPattern reference = DestinationPattern.parse(anchored);
    for (String source : List.of("(" + anchored + ")", "(?:" + anchored + ")", "^(" + plain + ")", "^(?:" + plain + ")")) {
      DestinationPattern wrapped = DestinationPattern.parse(source);
      assertTrue(wrapped.usesPrefixTrie(), source);
      for (String number : numbers(order, suffixes)) {
        assertEquals(reference.longestMatch(number), wrapped.longestMatch(number), () -> source + " on " + number);
      }
    }
  }
}
