package dev.allotment.bench;

import dev.allotment.core.DestinationPattern;
import dev.allotment.core.Grant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.stream.Collectors;

/** Deterministic inputs shared by the benchmarks, so runs compare like with like. */
final class BenchData {
  /** Customers of the consumption benchmarks, {@code c0} to {@code c1023}. */
  static final int CUSTOMERS = 1024;
  /** Grants large enough that no consumption benchmark's calls run one dry. */
  static final long PLENTY = 1_000_000_000_000L;

  /** Numbers per benchmark; a power of two so the benchmarks pick one with a mask. */
  static final int NUMBERS = 1024;

  private BenchData() {}

  /** The 200 prefixes of {@link #prefixes(int)}: a destination of a real bundle list. */
  static List<String> prefixes() {
    return prefixes(200);
  }

  /**
   * {@code count} distinct dialing prefixes of 2 to 5 digits (first digit 1..9; at most 2,000).
   * Written longest first: then {@code java.util.regex}'s leftmost-first alternation
   * also answers the longest prefix, and both matchers compute the same thing.
   */
  static List<String> prefixes(int count) {
    if (count < 1 || count > 2_000) {
      throw new IllegalArgumentException("count must be within 1..2000, was " + count);
    }
    SplittableRandom random = new SplittableRandom(42);
    Set<String> prefixes = new LinkedHashSet<>();
    while (prefixes.size() < count) {
      int length = 2 + random.nextInt(4);
      StringBuilder p = new StringBuilder().append((char) ('1' + random.nextInt(9)));
      while (p.length() < length) {
        p.append((char) ('0' + random.nextInt(10)));
      }
      prefixes.add(p.toString());
    }
    List<String> sorted = new ArrayList<>(prefixes);
    sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    return sorted;
  }

  /** The source-system spelling of the prefixes: {@code ^p1|^p2|...}. */
  static String destination(List<String> prefixes) {
    return prefixes.stream().map(p -> "^" + p).collect(Collectors.joining("|"));
  }

  /**
   * {@value #NUMBERS} dialed numbers of 11 digits; with {@code matchingShare} 1.0 every one starts
   * with a prefix of the set, with less the rest are random (most of which match nothing).
   */
  static String[] numbers(List<String> prefixes, double matchingShare) {
    SplittableRandom random = new SplittableRandom(7);
    String[] numbers = new String[NUMBERS];
    for (int i = 0; i < NUMBERS; i++) {
      StringBuilder n = new StringBuilder();
      if (random.nextDouble() < matchingShare) {
        n.append(prefixes.get(random.nextInt(prefixes.size())));
      } else {
        n.append((char) ('1' + random.nextInt(9)));
      }
      while (n.length() < 11) {
        n.append((char) ('0' + random.nextInt(10)));
      }
      numbers[i] = n.toString();
    }
    return numbers;
  }

  /** {@return the ids of the consumption benchmarks' customers, {@code c0} to {@code c1023}, by index} */
  static String[] customerIds() {
    String[] ids = new String[CUSTOMERS];
    for (int c = 0; c < CUSTOMERS; c++) {
      ids[c] = "c" + c;
    }
    return ids;
  }

  /**
   * The grants of the consumption benchmarks: for each of {@value #CUSTOMERS} customers three
   * grants eligible for every call to one of the 200 {@link #prefixes()}, valid from {@code from}:
   * two for the destination (one with a 60-second rounding increment, valid 31 days; one valid 90
   * days) and one for every destination, without end.
   */
  static List<Grant> grants(Instant from) {
    DestinationPattern destination = DestinationPattern.parse(destination(prefixes()));
    List<Grant> grants = new ArrayList<>(3 * CUSTOMERS);
    for (int c = 0; c < CUSTOMERS; c++) {
      String id = "c" + c;
      grants.add(Grant.builder(id + "/bundle").assignmentId("a-bundle-" + c).customerId(id).destination(destination)
          .allocatedSeconds(PLENTY).validFrom(from).validUntil(from.plus(Duration.ofDays(31)))
          .roundingIncrementSeconds(60).build());
      grants.add(Grant.builder(id + "/promo").assignmentId("a-promo-" + c).customerId(id).destination(destination)
          .allocatedSeconds(PLENTY).validFrom(from).validUntil(from.plus(Duration.ofDays(90))).build());
      grants.add(Grant.builder(id + "/any").assignmentId("a-any-" + c).customerId(id)
          .allocatedSeconds(PLENTY).validFrom(from).build());
    }
    return grants;
  }
}
