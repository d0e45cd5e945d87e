package dev.allotment.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The figures of JdbcChargeBench: the ratios its targets name, the result lines, medians over
 * rounds, CPU and heap. Stateless.
 */
final class ChargeBenchReport {
  private ChargeBenchReport() {}

  /** The ratios the targets name, in assignments/s (and lines/s for bundle/plain). */
  static Map<String, Double> ratios(Map<ChargePhase, PhaseMeasure> m) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (String run : List.of("FIRST", "STEADY")) {
      PhaseMeasure raw = m.get(ChargePhase.valueOf("RAW_" + run));
      PhaseMeasure plain = m.get(ChargePhase.valueOf("PLAIN_" + run));
      PhaseMeasure bundle = m.get(ChargePhase.valueOf("BUNDLE_" + run));
      String suffix = "_" + run.toLowerCase(Locale.ROOT);
      if (raw != null && plain != null) {
        ratios.put("plain_raw" + suffix, plain.assignmentsPerSecond() / raw.assignmentsPerSecond());
      }
      if (plain != null && bundle != null) {
        ratios.put("bundle_plain" + suffix, bundle.assignmentsPerSecond() / plain.assignmentsPerSecond());
        ratios.put("bundle_plain_lines" + suffix, bundle.linesPerSecond() / plain.linesPerSecond());
      }
    }
    return ratios;
  }

  static void printResult(String tag, int assignments, Map<ChargePhase, PhaseMeasure> m) {
    StringBuilder line = new StringBuilder(tag).append(" assignments=").append(assignments);
    m.forEach((phase, measure) -> line.append(String.format(Locale.ROOT, " %s=%.0f",
        phase.name().toLowerCase(Locale.ROOT), measure.assignmentsPerSecond())));
    m.forEach((phase, measure) -> {
      if (phase.bundle) {
        line.append(String.format(Locale.ROOT, " %s_lines=%.0f", phase.name().toLowerCase(Locale.ROOT),
            measure.linesPerSecond()));
      }
    });
    ratios(m).forEach((name, ratio) -> line.append(String.format(Locale.ROOT, " %s=%.2f", name, ratio)));
    m.forEach((phase, measure) -> {
      if (measure.cpuMicrosPerAssignment() >= 0) {
        line.append(String.format(Locale.ROOT, " %s_cpu_us=%.1f", phase.name().toLowerCase(Locale.ROOT),
            measure.cpuMicrosPerAssignment()));
      }
    });
    line.append(String.format(Locale.ROOT, " peak_heap_mib=%d max_heap_mib=%d", peakHeapUsed() >> 20,
        Runtime.getRuntime().maxMemory() >> 20));
    System.out.println(line);
    for (String run : List.of("first", "steady")) {
      Map<String, Double> ratios = ratios(m);
      Double plainRaw = ratios.get("plain_raw_" + run);
      Double bundlePlain = ratios.get("bundle_plain_" + run);
      System.out.printf(Locale.ROOT, "%s %-6s run: plain/raw %s (target >= 0.70: %s), bundle/plain %s in"
          + " assignments/s (target >= 0.80: %s), %s in lines/s%n", tag, run, format(plainRaw),
          met(plainRaw, 0.7), format(bundlePlain), met(bundlePlain, 0.8),
          format(ratios.get("bundle_plain_lines_" + run)));
    }
  }

  /** Per phase and ratio, the median and range over the rounds (each ratio taken within its round). */
  static void printMedians(int assignments, List<Map<ChargePhase, PhaseMeasure>> results) {
    System.out.printf(Locale.ROOT, "MEDIANS over %d rounds of %,d assignments (min .. max):%n", results.size(),
        assignments);
    for (ChargePhase phase : ChargePhase.values()) {
      if (results.get(0).containsKey(phase)) {
        double[] rates = results.stream().mapToDouble(m -> m.get(phase).assignmentsPerSecond()).toArray();
        System.out.printf(Locale.ROOT, "  %-28s %,9.0f assignments/s (%,.0f .. %,.0f)%n", phase.label,
            median(rates), min(rates), max(rates));
      }
    }
    for (ChargePhase phase : ChargePhase.values()) {
      double[] cpu = results.stream().filter(m -> m.containsKey(phase))
          .mapToDouble(m -> m.get(phase).cpuMicrosPerAssignment()).filter(us -> us >= 0).toArray();
      if (cpu.length > 0) {
        System.out.printf(Locale.ROOT, "  %-28s %9.1f us CPU/assignment (%.1f .. %.1f)%n", phase.label, median(cpu),
            min(cpu), max(cpu));
      }
    }
    for (String name : ratios(results.get(0)).keySet()) {
      double[] values = results.stream().mapToDouble(m -> ratios(m).get(name)).toArray();
      System.out.printf(Locale.ROOT, "  %-28s %.2f (%.2f .. %.2f)%n", name, median(values), min(values),
          max(values));
    }
  }

  /** The phase's CPU: JVM and local server, in seconds and microseconds per assignment. */
  static String cpuText(PhaseMeasure m) {
    if (m.jvmCpuNanos() < 0) {
      return "n/a";
    }
    String jvm = String.format(Locale.ROOT, "JVM %.2f s", seconds(m.jvmCpuNanos()));
    if (m.serverCpuNanos() < 0) {
      return jvm + " (server not on this machine)";
    }
    return String.format(Locale.ROOT, "%s + server %.2f s = %.1f us/assignment", jvm, seconds(m.serverCpuNanos()),
        m.cpuMicrosPerAssignment());
  }

  static String format(Double ratio) {
    return ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  static String met(Double ratio, double target) {
    return ratio == null ? "n/a" : ratio >= target ? "met" : "MISSED";
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  /** The sum of the heap pools' peak usage: an upper bound of the heap the process ever used. */
  static long peakHeapUsed() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  static double seconds(long nanos) {
    return nanos / (double) TimeUnit.SECONDS.toNanos(1);
  }
}
