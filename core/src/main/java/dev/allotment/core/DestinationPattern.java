package dev.allotment.core;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a free-minute package's minutes apply, written as in the source system: a regular
 * expression over the dialed number (digits only, no {@code +}), typically an alternation of
 * anchored prefixes such as {@code ^44|^91|^1}.
 *
 * <p>Only patterns of digits are accepted (the grammar is {@link DestinationGrammar}'s): digits,
 * {@code .}, {@code \d}, the anchors {@code ^} and {@code $}, alternation {@code |}, classes of
 * digits ({@code [0-5]}, {@code [^9]}), groups ({@code (...)}, {@code (?:...)}) and repetition
 * ({@code ?}, {@code *}, {@code +}, {@code {n}}, {@code {n,}}, {@code {n,m}} up to 32). Anything else
 * could never match a dialed number or is not a digit pattern, and is refused naming the character
 * and its index: {@code ^\+44}, {@code ^abc}, look-arounds, back-references.
 *
 * <p>{@link #longestMatch(CharSequence)} answers how specific the match is, so grants for the
 * most specific destination are used first. An alternation of anchored digit prefixes
 * ({@code ^44|^91|^1}, also written {@code (^44|^91|^1)} or {@code ^(44|91|1)}) is matched by a
 * prefix trie: one array step per dialed digit, no allocation, the longest matching prefix whatever
 * the order of the alternatives (a regular expression engine would stop at the first alternative
 * that matches, so {@code ^4|^44} would say 1 for {@code 4420}; the trie says 2, which is what "most
 * specific" means). Duplicate prefixes count once; a bare {@code ^} is the empty prefix and
 * matches every number with length 0. Any other pattern is matched by RE2/J
 * ({@code com.google.re2j}), an engine whose time is linear in the number's length whatever the
 * pattern (no backtracking: {@code ^(\d*4){16}$} answers at once): the length of the first match
 * {@link Matcher#find()} finds, with the same leftmost-first semantics as {@code java.util.regex}.
 *
 * <p>Immutable and thread-safe.
 */
public final class DestinationPattern {
  /**
   * The longest pattern accepted: room for 2,000 prefixes of country and area codes, and what every
   * store can keep (a grant carries its package's pattern).
   */
  public static final int MAX_LENGTH = 16_000;

  private final String source;
  /** RE2/J, for patterns that are not prefix alternations; null when the trie answers. */
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
   *     {@value #MAX_LENGTH} characters or not a pattern of digits (see the class comment)
   */
  public static DestinationPattern parse(String pattern) {
    Objects.requireNonNull(pattern, "destination");
    if (pattern.isBlank()) {
      throw new IllegalArgumentException("destination must not be blank: '" + Limits.printable(pattern) + "'");
    }
    if (pattern.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("destination must have at most " + MAX_LENGTH + " characters, was "
          + pattern.length() + ": '" + Limits.printable(pattern.substring(0, 40)) + "...'");
    }
    // The grammar is the one place that decides validity, on both paths: a prefix alternation is
    // valid or invalid exactly as any other pattern.
    DestinationGrammar.check(pattern);
    Optional<List<String>> prefixes = DigitPrefixTrie.prefixesOf(pattern);
    if (prefixes.isPresent()) {
      return new DestinationPattern(pattern, null, DigitPrefixTrie.of(prefixes.get()));
    }
    try {
      return new DestinationPattern(pattern, Pattern.compile(pattern), null);
    } catch (PatternSyntaxException e) {
      // The grammar admits only what RE2/J compiles; kept so a disagreement names the pattern.
      throw new IllegalArgumentException("destination is not a valid pattern: '" + pattern + "' (" + e.getMessage()
          + ")", e);
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
    // the trie; any other expression's match length is the length of the match find() finds, in
    // time linear in the number's length (RE2/J never backtracks).
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
