package dev.allotment.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;

/**
 * Reads the JMH result files ({@code -rf json}) of one profile run and prints every target of the
 * benchmarks as a ratio against its peer or limit measured in that run, marked met or MISSED:
 * schedules against lib-recur (enumeration per date >= 4x, next occurrence >= 50x), planning in
 * periods per second (>= 1,000,000, and the cost per assignment flat from 10k to 1M), the trie
 * against {@code java.util.regex} (>= 20x at 200 prefixes), free-minute consumption in memory
 * (>= 2,000,000 calls/s on one thread, next to an {@code AtomicLong} decrement). Used by
 * {@code bench/run-profile}.
 *
 * <p>Not thread-safe; a program, run once.
 */
public final class ProfileRatios {
  private final Map<String, Double> scores = new LinkedHashMap<>();
  private final Map<String, Double> allocations = new LinkedHashMap<>();

  private ProfileRatios() {}

  public static void main(String[] args) throws IOException, InvalidRecurrenceRuleException {
    if (args.length == 0) {
      System.err.println("usage: ProfileRatios JMH-RESULT.json...");
      System.exit(2);
    }
    ProfileRatios ratios = new ProfileRatios();
    for (String file : args) {
      for (JsonNode result : new ObjectMapper().readTree(Path.of(file).toFile())) {
        String name = result.get("benchmark").asText().replaceFirst(".*\\.bench\\.", "");
        StringBuilder key = new StringBuilder(name);
        result.path("params").fields().forEachRemaining(p -> key.append(' ').append(p.getValue().asText()));
        ratios.scores.put(key.toString(), result.get("primaryMetric").get("score").asDouble());
        JsonNode allocation = result.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
        if (!allocation.isMissingNode()) {
          ratios.allocations.put(key.toString(), allocation.asDouble());
        }
      }
    }
    ratios.schedules();
    ratios.planning();
    ratios.destinations();
    ratios.consumption();
  }

  private void consumption() {
    for (String window : new String[] {"1", "60"}) {
      // JMH gives the limit the class's window parameter too; it does not use it.
      Double limit = scores.get("RetainedConsumptionBenchmark.atomicLongLimit " + window);
      Double limitTwo = scores.get("RetainedConsumptionBenchmark.atomicLongLimitTwoThreads " + window);
      Double one = scores.get("RetainedConsumptionBenchmark.consume " + window);
      Double two = scores.get("RetainedConsumptionBenchmark.consumeTwoThreads " + window);
      if (one != null) {
        print("consumption, 1 thread, window " + window + " min", one / 2_000_000, 1.0, String.format(Locale.ROOT,
            "million calls/s against 2 (default collector and heap)%s", limit == null ? "" : String.format(
                Locale.ROOT, "; %.4f of an AtomicLong decrement (%.0f/s)", one / limit, limit)));
      }
      if (two != null) {
        print("consumption, 2 threads, window " + window + " min", two / 2_000_000, Double.NaN, String.format(
            Locale.ROOT, "million calls/s%s", limitTwo == null ? "" : String.format(Locale.ROOT,
                "; %.4f of an AtomicLong decrement by 2 threads (%.0f/s)", two / limitTwo, limitTwo)));
      }
    }
  }

  private void schedules() throws InvalidRecurrenceRuleException {
    for (String rule : new String[] {"DAILY", "WEEKLY_MON_THU", "MONTHLY_15_31"}) {
      Double ours = scores.get("ScheduleBenchmark.allotmentEnumerate " + rule);
      Double peer = scores.get("ScheduleBenchmark.libRecurEnumerate " + rule);
      if (ours != null && peer != null) {
        long dates = ScheduleBenchmark.datesInTenYears(rule);
        Double floor = scores.get("ScheduleBenchmark.localDateStep " + rule);
        print("schedule enumeration " + rule, peer / ours, 4.0, String.format(Locale.ROOT,
            "%.1f vs %.1f ns per date (lib-recur)%s", ours / dates, peer / dates, floor == null ? ""
                : String.format(Locale.ROOT, "; a plusDays(1) loop: %.1f ns per day", floor / 3652)));
      }
      Double oursDays = scores.get("ScheduleBenchmark.allotmentEnumerateEpochDays " + rule);
      Double peerMillis = scores.get("ScheduleBenchmark.libRecurEnumerateMillis " + rule);
      if (oursDays != null && peerMillis != null) {
        long dates = ScheduleBenchmark.datesInTenYears(rule);
        print("schedule enumeration, primitive " + rule, peerMillis / oursDays, 4.0, String.format(Locale.ROOT,
            "%.1f vs %.1f ns per date (epoch days vs lib-recur nextMillis)", oursDays / dates, peerMillis / dates));
      }
      Double next = scores.get("ScheduleBenchmark.allotmentNext " + rule);
      Double peerNext = scores.get("ScheduleBenchmark.libRecurNext " + rule);
      if (next != null && peerNext != null) {
        print("next occurrence " + rule, peerNext / next, 50.0,
            String.format(Locale.ROOT, "%.1f vs %.1f ns (lib-recur fastForward)", next, peerNext));
      }
    }
  }

  private void planning() {
    for (String frequency : new String[] {"MONTHLY", "WEEKLY", "DAILY"}) {
      int periods = PlanningBenchmark.periodsPerAssignment(frequency);
      Double small = null;
      Double large = null;
      for (String size : new String[] {"10000", "100000", "1000000"}) {
        // JMH orders params by name: frequency, then size.
        Double nanos = scores.get("PlanningBenchmark.plan " + frequency + " " + size);
        if (nanos == null) {
          continue;
        }
        small = small == null ? nanos : small;
        large = nanos;
        Double bytes = allocations.get("PlanningBenchmark.plan " + frequency + " " + size);
        print("planning " + frequency + " x " + size, periods * 1e9 / nanos / 1_000_000, 1.0, String.format(
            Locale.ROOT, "million periods/s (%d periods, %.0f ns per assignment%s)", periods, nanos,
            bytes == null ? "" : String.format(Locale.ROOT, ", %.0f B allocated", bytes)));
      }
      if (small != null && large != null && small != large) {
        print("planning " + frequency + " flatness", small / large, 0.8,
            "cost per assignment at the smallest size / at the largest (1.0 = flat)");
      }
    }
  }

  private void destinations() {
    for (String prefixes : new String[] {"10", "200", "2000"}) {
      Double trie = scores.get("DestinationMatchBenchmark.trie " + prefixes);
      Double regex = scores.get("DestinationMatchBenchmark.regex " + prefixes);
      if (trie != null && regex != null) {
        print("destination trie vs regex, " + prefixes + " prefixes", regex / trie, "200".equals(prefixes) ? 20.0
            : Double.NaN, String.format(Locale.ROOT, "%.1f vs %.1f ns", trie, regex));
      }
    }
  }

  private static void print(String what, double ratio, double target, String detail) {
    String verdict = Double.isNaN(target) ? "no target" : (ratio >= target ? "met" : "MISSED") + " (target >= "
        + target + ")";
    System.out.printf(Locale.ROOT, "RATIO %-44s %8.2f  %-26s %s%n", what, ratio, verdict, detail);
  }
}
