package dev.allotment.bench;

import dev.allotment.core.DestinationPattern;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The longest matching prefix of a dialed number in a destination of 10, 200 or 2,000
 * alternatives ({@code ^p1|^p2|...}; 2,000 fit a destination's 16,000 characters): {@link DestinationPattern}'s prefix trie against
 * {@link Matcher#find()} of {@code java.util.regex} compiled from the same text, over the same
 * numbers (80% of which start with one of the prefixes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DestinationMatchBenchmark {
  /** Alternatives in the destination. */
  @Param({"10", "200", "2000"})
  public int prefixes;

  private DestinationPattern trie;
  private Pattern regex;
  private String[] numbers;
  private int next;

  @Setup
  public void setUp() {
    List<String> prefixes = BenchData.prefixes(this.prefixes);
    String source = BenchData.destination(prefixes);
    trie = DestinationPattern.parse(source);
    regex = Pattern.compile(source);
    numbers = BenchData.numbers(prefixes, 0.8);
    for (String number : numbers) {
      if (trie.longestMatch(number) != regexLongestMatch(regex, number)) {
        throw new IllegalStateException("trie and regex disagree on " + number + ": the comparison would be unfair");
      }
    }
  }

  private static int regexLongestMatch(Pattern regex, String number) {
    Matcher m = regex.matcher(number);
    return m.find() ? m.end() - m.start() : -1;
  }

  @Benchmark
  public int trie() {
    return trie.longestMatch(numbers[next++ & (BenchData.NUMBERS - 1)]);
  }

  @Benchmark
  public int regex() {
    return regexLongestMatch(regex, numbers[next++ & (BenchData.NUMBERS - 1)]);
  }
}
