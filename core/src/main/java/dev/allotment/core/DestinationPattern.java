package dev.allotment.core;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where a free-minute package's minutes apply, written as in the source system: a regular
 * expression over the dialed number (digits only, no {@code +}), typically an alternation of
 * anchored prefixes such as {@code ^44|^91|^1}.
 *
 * <p>{@link #longestMatch(CharSequence)} answers how specific the match is, so grants for the
 * most specific destination are used first.
 *
 * <p>Immutable and thread-safe.
 */
public final class DestinationPattern {
  private final String source;
  private final Pattern regex;

  private DestinationPattern(String source, Pattern regex) {
    this.source = source;
    this.regex = regex;
  }

  /**
   * Parses a destination pattern.
   *
   * @throws IllegalArgumentException naming the pattern when it is blank or not a valid regular
   *     expression
   */
  public static DestinationPattern parse(String pattern) {
    Objects.requireNonNull(pattern, "destination");
    if (pattern.isBlank()) {
      throw new IllegalArgumentException("destination must not be blank: '" + pattern + "'");
    }
    try {
      return new DestinationPattern(pattern, Pattern.compile(pattern));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "destination is not a valid pattern: '" + pattern + "' (" + e.getDescription() + ")");
    }
  }

  /**
   * The length of the match within {@code number}, or -1 when the pattern does not match. For an
   * alternation of anchored prefixes this is the length of the longest matching prefix.
   */
  public int longestMatch(CharSequence number) {
    Matcher matcher = regex.matcher(number);
    if (!matcher.find()) {
      return -1;
    }
    // find() stops at the first alternative that matches, not the longest: "^44|^4420" on
    // "4420..." gave 2, so the less specific grant would be used first. Try every longer span,
    // longest first (dialed numbers are short). Anchors keep their meaning at the number's ends.
    int longest = matcher.end() - matcher.start();
    matcher.useAnchoringBounds(false).useTransparentBounds(true);
    int n = number.length();
    for (int length = n; length > longest; length--) {
      for (int start = 0; start + length <= n; start++) {
        if (matcher.region(start, start + length).matches()) {
          return length;
        }
      }
    }
    return longest;
  }

  /** True when the pattern matches the number. */
  public boolean matches(CharSequence number) {
    return longestMatch(number) >= 0;
  }

  /** The pattern as written. */
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
