package dev.allotment.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A set of digit prefixes that answers "how long is the longest prefix of this number in the set"
 * without allocating: one array read per digit.
 *
 * <p>Nodes live in one {@code int[]} of ten child slots per node (node 0 is the root, so 0 also
 * means "no child": the root is never anybody's child). A 200-prefix destination of real dialing
 * codes has a few hundred nodes, a few kilobytes, which stays in cache on the consumption path.
 *
 * <p>Immutable and thread-safe once built.
 */
final class DigitPrefixTrie {
  private final int[] children;
  private final boolean[] terminal;
  private final int prefixCount;

  private DigitPrefixTrie(int[] children, boolean[] terminal, int prefixCount) {
    this.children = children;
    this.terminal = terminal;
    this.prefixCount = prefixCount;
  }

  /** A trie of the given prefixes (each digits only, possibly empty); duplicates count once. */
  static DigitPrefixTrie of(List<String> prefixes) {
    int[] children = new int[10 * 16];
    boolean[] terminal = new boolean[16];
    int nodes = 1;
    int distinct = 0;
    for (String prefix : prefixes) {
      int node = 0;
      for (int i = 0; i < prefix.length(); i++) {
        int digit = prefix.charAt(i) - '0';
        if (digit < 0 || digit > 9) {
          throw new IllegalArgumentException("prefix must contain digits only, was '" + prefix + "'");
        }
        int slot = node * 10 + digit;
        if (children[slot] == 0) {
          if (nodes == terminal.length) {
            terminal = Arrays.copyOf(terminal, nodes * 2);
            children = Arrays.copyOf(children, nodes * 2 * 10);
          }
          children[slot] = nodes++;
        }
        node = children[slot];
      }
      if (!terminal[node]) {
        terminal[node] = true;
        distinct++;
      }
    }
    return new DigitPrefixTrie(Arrays.copyOf(children, nodes * 10), Arrays.copyOf(terminal, nodes), distinct);
  }

  /**
   * Recognises the source system's prefix alternations and returns their prefixes, or empty when
   * {@code pattern} is any other regular expression. Accepted forms, each optionally wrapped in
   * one group {@code (...)} or {@code (?:...)}:
   *
   * <ul>
   *   <li>{@code ^44|^91|^1}: every alternative an anchor followed by digits (a bare {@code ^}
   *       is the empty prefix: it matches every number with length 0);
   *   <li>{@code ^(44|91|1)} or {@code ^(?:44|91|1)}: one anchor before a group of digit runs.
   * </ul>
   *
   * <p>Anything else (an empty alternative, an unanchored one, a character class, {@code $}, a
   * nested group) is left to the RE2/J matcher, which is always correct, only slower.
   */
  static Optional<List<String>> prefixesOf(String pattern) {
    String body = unwrap(pattern);
    if (body.startsWith("^(")) {
      String group = unwrap(body.substring(1));
      if (group.length() == body.length() - 1) {
        return Optional.empty(); // "^(...)" followed by more text: not a single group
      }
      return digitRuns(group, false);
    }
    return digitRuns(body, true);
  }

  /** The inside of one group enclosing the whole text, or the text itself. */
  private static String unwrap(String text) {
    int open = text.startsWith("(?:") ? 3 : text.startsWith("(") ? 1 : 0;
    if (open == 0 || !text.endsWith(")")) {
      return text;
    }
    String inner = text.substring(open, text.length() - 1);
    return inner.indexOf('(') < 0 && inner.indexOf(')') < 0 ? inner : text;
  }

  private static Optional<List<String>> digitRuns(String alternation, boolean anchored) {
    List<String> prefixes = new ArrayList<>();
    for (String alternative : alternation.split("\\|", -1)) {
      int from = 0;
      if (anchored) {
        if (!alternative.startsWith("^")) {
          return Optional.empty();
        }
        from = 1;
      } else if (alternative.isEmpty()) {
        return Optional.empty();
      }
      for (int i = from; i < alternative.length(); i++) {
        char c = alternative.charAt(i);
        if (c < '0' || c > '9') {
          return Optional.empty();
        }
      }
      prefixes.add(alternative.substring(from));
    }
    return Optional.of(prefixes);
  }

  /**
   * The length of the longest prefix of {@code number} in the set, or -1 when none is. A
   * non-digit ends the walk, as it would end a digit prefix match in a regular expression.
   */
  int longestMatch(CharSequence number) {
    int[] children = this.children;
    int best = terminal[0] ? 0 : -1;
    int node = 0;
    int length = number.length();
    for (int i = 0; i < length; i++) {
      int digit = number.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      node = children[node * 10 + digit];
      if (node == 0) {
        break;
      }
      if (terminal[node]) {
        best = i + 1;
      }
    }
    return best;
  }

  /** Distinct prefixes held. */
  int size() {
    return prefixCount;
  }
}
