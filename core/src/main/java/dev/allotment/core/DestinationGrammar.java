package dev.allotment.core;

/**
 * The grammar of destination patterns: regular expressions over a dialed number's digits, and
 * nothing else.
 *
 * <pre>
 * pattern     = alternation
 * alternation = sequence *( "|" sequence )
 * sequence    = *( "^" / "$" / item )              ; empty: matches with length 0, as in any regex
 * item        = atom [ quantifier ]
 * atom        = DIGIT / "." / "\d" / class / group
 * class       = "[" [ "^" ] 1*( DIGIT [ "-" DIGIT ] / "\d" ) "]"
 * group       = "(" [ "?:" ] alternation ")"       ; nested at most 16 deep
 * quantifier  = "?" / "*" / "+" / "{" n [ "," [ m ] ] "}"   ; 0 &lt;= n &lt;= m &lt;= 32
 * </pre>
 *
 * <p>A number has at most 32 digits, so no repetition needs more. Everything else is refused,
 * naming the character and its index: letters ({@code ^abc}), a {@code +} written as a digit
 * ({@code ^\+44}: dialed numbers hold digits only), other escapes, lazy or possessive quantifiers,
 * look-arounds, back-references, named groups and flags.
 *
 * <p>Stateless, thread-safe: one instance per {@link #check}.
 */
final class DestinationGrammar {
  /** The longest repetition a bound may ask for: a dialed number's digits. */
  static final int MAX_REPETITION = 32;
  /** The deepest nesting of groups. */
  static final int MAX_DEPTH = 16;

  private final String pattern;
  private int at;

  private DestinationGrammar(String pattern) {
    this.pattern = pattern;
  }

  /**
   * Checks {@code pattern} against the grammar.
   *
   * @throws IllegalArgumentException naming the pattern, what is wrong and where
   */
  static void check(String pattern) {
    DestinationGrammar grammar = new DestinationGrammar(pattern);
    grammar.alternation(0);
    if (grammar.at < pattern.length()) {
      throw grammar.refused(pattern.charAt(grammar.at) == ')' ? "a ')' closes no group" : "unexpected character");
    }
  }

  private void alternation(int depth) {
    sequence(depth);
    while (peek() == '|') {
      at++;
      sequence(depth);
    }
  }

  private void sequence(int depth) {
    while (at < pattern.length() && peek() != '|' && peek() != ')') {
      char c = peek();
      if (c == '^' || c == '$') {
        at++;
        if (isQuantifier(peek())) {
          throw refused("an anchor cannot be repeated");
        }
        continue;
      }
      atom(depth);
      quantifier();
    }
  }

  private void atom(int depth) {
    char c = peek();
    if (c >= '0' && c <= '9' || c == '.') {
      at++;
    } else if (c == '\\') {
      escapeD();
    } else if (c == '[') {
      characterClass();
    } else if (c == '(') {
      if (depth >= MAX_DEPTH) {
        throw refused("groups are nested more than " + MAX_DEPTH + " deep");
      }
      at++;
      if (pattern.startsWith("?:", at)) {
        at += 2;
      } else if (peek() == '?') {
        throw refused("only plain '(...)' and non-capturing '(?:...)' groups are allowed");
      }
      alternation(depth + 1);
      if (peek() != ')') {
        throw refused("a group is not closed");
      }
      at++;
    } else if (isQuantifier(c)) {
      throw refused("a repetition repeats nothing");
    } else {
      throw refused("only digits, '.', '\\d', '^', '$', '|', classes of digits, groups and repetitions are allowed");
    }
  }

  private void escapeD() {
    if (at + 1 < pattern.length() && pattern.charAt(at + 1) == 'd') {
      at += 2;
      return;
    }
    throw refused("the only escape allowed is '\\d' (dialed numbers hold digits only)");
  }

  private void characterClass() {
    int open = at;
    at++;
    if (peek() == '^') {
      at++;
    }
    int items = 0;
    while (peek() != ']') {
      char c = peek();
      if (c == '\\') {
        escapeD();
      } else if (c >= '0' && c <= '9') {
        at++;
        if (peek() == '-' && at + 1 < pattern.length() && pattern.charAt(at + 1) != ']') {
          at++;
          char to = peek();
          if (to < '0' || to > '9') {
            throw refused("a range in a class must end in a digit");
          }
          if (to < c) {
            throw refused("a range in a class must not run backwards");
          }
          at++;
        }
      } else if (c == 0) {
        at = open;
        throw refused("a class is not closed");
      } else {
        throw refused("a class may hold digits, ranges of digits and '\\d' only");
      }
      items++;
    }
    if (items == 0) {
      throw refused("a class must not be empty");
    }
    at++;
  }

  private void quantifier() {
    char c = peek();
    if (c == '?' || c == '*' || c == '+') {
      at++;
    } else if (c == '{') {
      at++;
      int n = number();
      int m = n;
      if (peek() == ',') {
        at++;
        m = peek() == '}' ? MAX_REPETITION : number();
      }
      if (peek() != '}') {
        throw refused("a repetition must be written {n}, {n,} or {n,m}");
      }
      if (m < n) {
        throw refused("a repetition {n,m} needs n <= m");
      }
      at++;
    } else {
      return;
    }
    if (isQuantifier(peek())) {
      throw refused("a repetition cannot be repeated, lazy or possessive");
    }
  }

  private int number() {
    int start = at;
    while (peek() >= '0' && peek() <= '9') {
      at++;
      if (at - start > 2) {
        break;
      }
    }
    if (at == start) {
      throw refused("a repetition must be written {n}, {n,} or {n,m}");
    }
    int n = Integer.parseInt(pattern.substring(start, at));
    if (n > MAX_REPETITION) {
      at = start;
      throw refused("a repetition may ask for at most " + MAX_REPETITION + " (a number's digits)");
    }
    return n;
  }

  private static boolean isQuantifier(char c) {
    return c == '?' || c == '*' || c == '+' || c == '{';
  }

  /** The character at the cursor, or 0 at the end. */
  private char peek() {
    return at < pattern.length() ? pattern.charAt(at) : 0;
  }

  private IllegalArgumentException refused(String why) {
    String where = at < pattern.length()
        ? "'" + Limits.printable(pattern.substring(at, pattern.offsetByCodePoints(at, 1))) + "' at index " + at
        : "the end";
    String shown = pattern.length() > 200 ? pattern.substring(0, 200) + "..." : pattern;
    return new IllegalArgumentException("destination is not a valid pattern: '" + Limits.printable(shown) + "' ("
        + why + "; found " + where + "; a destination is a pattern of digits)");
  }
}
