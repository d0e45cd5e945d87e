package dev.allotment.bench;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentPlan;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.Planner;
import dev.allotment.core.ServicePackage;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning one billing date in memory, one thread: {@link Planner#plan} of each of {@code size}
 * assignments in turn (one operation = one assignment, cycling through all of them, so the larger
 * populations also pay for memory that no longer fits a cache), with an empty history: what a
 * first CHARGE or a SIMULATE plans. Every assignment starts on 2026-01-01 and the date is
 * 2026-02-01, so each plans the same number of periods ({@link #periodsPerAssignment}): 2 monthly
 * (on the 1st), 9 weekly (Mon, Thu), 32 daily. Periods per second = periods per operation / time per
 * operation; {@code -prof gc} gives the allocation per assignment ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlanningBenchmark {
  private static final LocalDate START = LocalDate.of(2026, 1, 1);
  private static final LocalDate DATE = LocalDate.of(2026, 2, 1);

  /** Assignments in the population. */
  @Param({"10000", "100000", "1000000"})
  public int size;

  /** The package's frequency rule. */
  @Param({"MONTHLY", "WEEKLY", "DAILY"})
  public String frequency;

  private ServicePackage servicePackage;
  private Assignment[] assignments;
  private int next;

  /** The package of the benchmark for {@code frequency}. */
  static ServicePackage servicePackage(String frequency) {
    var builder = ServicePackage.builder("p").name("Bench").currency("USD").retail(new BigDecimal("30.00"))
        .cost(new BigDecimal("12.00")).frequency(Frequency.valueOf(frequency));
    switch (frequency) {
      case "MONTHLY" -> builder.frequencyMatch(FrequencyMatch.daysOfMonth(1));
      case "WEEKLY" -> builder.frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY, DayOfWeek.THURSDAY));
      default -> { }
    }
    return builder.build();
  }

  /** How many periods one assignment plans for {@code frequency}: the periods of an operation. */
  static int periodsPerAssignment(String frequency) {
    Assignment assignment = Assignment.builder("a").customerId("c").packageId("p").startDate(START).build();
    return Planner.plan(servicePackage(frequency), assignment, ChargeHistory.EMPTY, Map.of(), DATE).due().size();
  }

  @Setup(Level.Trial)
  public void setUp() {
    servicePackage = servicePackage(frequency);
    assignments = new Assignment[size];
    for (int i = 0; i < size; i++) {
      assignments[i] = Assignment.builder(String.format("a%07d", i)).customerId("c" + (i % 20_000)).packageId("p")
          .startDate(START).build();
    }
    int periods = plan(assignments[0]).due().size();
    for (Assignment assignment : new Assignment[] {assignments[size / 2], assignments[size - 1]}) {
      if (plan(assignment).due().size() != periods) {
        throw new IllegalStateException("assignments plan different numbers of periods");
      }
    }
    System.out.println(frequency + " x " + size + ": " + periods + " periods per assignment");
  }

  private AssignmentPlan plan(Assignment assignment) {
    return Planner.plan(servicePackage, assignment, ChargeHistory.EMPTY, Map.of(), DATE);
  }

  @Benchmark
  public AssignmentPlan plan() {
    Assignment assignment = assignments[next];
    if (++next == assignments.length) {
      next = 0;
    }
    return plan(assignment);
  }
}
