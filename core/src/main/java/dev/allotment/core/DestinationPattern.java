package dev.allotment.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where a free-minute package's minutes apply, written as in the source system: a regular
 * expression over the dialed number (digits only, no {@code +}), typically an alternation of
 * anchored prefixes such as {@code ^44|^91|^1}.
 *
 * <p>{@link #longestMatch(CharSequence)} answers how specific the match is, so grants for the
 * most specific destination are used first. An alternation of anchored digit prefixes
 * ({@code ^44|^91|^1}, also written {@code (^44|^91|^1)} or {@code ^(44|91|1)}) is matched by a
 * prefix trie: one array step per dialed digit, no allocation, the longest matching prefix whatever
 * the order of the alternatives (a regular expression engine would stop at the first alternative
 * that matches, so {@code ^4|^44} would say 1 for {@code 4420}; the trie says 2, which is what "most
 * specific" means). Duplicate prefixes count once; a bare {@code ^} is the empty prefix and
 * matches every number with length 0. Any other regular expression is matched by
 * {@link java.util.regex}: the length of the first match {@link Matcher#find()} finds.
 *
 * <p>Immutable and thread-safe.
 */
public final class DestinationPattern {
  /**
   * The longest pattern accepted: room for several hundred prefixes, and what every store can keep
   * (a grant carries its package's pattern).
   */
  public static final int MAX_LENGTH = 4000;

  private final String source;
  private final Pattern regex;
  private final DigitPrefixTrie trie;

  private DestinationPattern(String source, Pattern regex, DigitPrefixTrie trie) {
    this.source = source;
    this.regex = regex;
    this.trie = trie;
  }

  /**
   * Parses a destination pattern.
   *
   * @param pattern the pattern, e.g. {@code ^44|^91|^1}
   * @return the parsed pattern
   * @throws IllegalArgumentException naming the pattern when it is blank, longer than
   *     {@value #MAX_LENGTH} characters or not a valid regular expression
   */
  public static DestinationPattern parse(String pattern) {
    Objects.requireNonNull(pattern, "destination");
    if (pattern.isBlank()) {
      throw new IllegalArgumentException("destination must not be blank: '" + pattern + "'");
    }
    if (pattern.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("destination must have at most " + MAX_LENGTH + " characters, was "
          + pattern.length() + ": '" + pattern.substring(0, 40) + "...'");
    }
    try {
      // Compiled even when the trie will answer: the regex syntax check is the one place that
      // decides validity, so a pattern is valid or invalid the same way on both paths.
      Pattern regex = Pattern.compile(pattern);
      Optional<List<String>> prefixes = DigitPrefixTrie.prefixesOf(pattern);
      return new DestinationPattern(pattern, regex, prefixes.map(DigitPrefixTrie::of).orElse(null));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "destination is not a valid pattern: '" + pattern + "' (" + e.getDescription() + ")");
    }
  }

  /**
   * The length of the match within {@code number}, or -1 when the pattern does not match. For an
   * alternation of anchored prefixes this is the length of the longest matching prefix (see the
   * class comment).
   *
   * @param number the dialed number, digits only
   * @return the length of the match, or -1
   */
  public int longestMatch(CharSequence number) {
    if (trie != null) {
      return trie.longestMatch(number);
    }
    // Prefix alternations, where the order of alternatives would make find() stop short, are on
    // the trie; any other expression's match length is the length of the match find() finds.
    Matcher matcher = regex.matcher(number);
    return matcher.find() ? matcher.end() - matcher.start() : -1;
  }

  /**
   * True when the pattern matches the number.
   *
   * @param number the dialed number, digits only
   * @return true when the pattern matches
   */
  public boolean matches(CharSequence number) {
    return longestMatch(number) >= 0;
  }

  /** True when the pattern is a prefix alternation answered by the trie (for tests). */
  boolean usesPrefixTrie() {
    return trie != null;
  }

  /** {@return the pattern as written} */
  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DestinationPattern p && source.equals(p.source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
