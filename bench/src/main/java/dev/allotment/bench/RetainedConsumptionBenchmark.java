package dev.allotment.bench;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.FreeMinuteLedger;
import dev.allotment.spi.InMemoryFreeMinuteStore;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Free-minute consumption in memory as a host would run it for hours: one store for the whole
 * fork, with a retention window of one minute or one hour of calls
 * ({@link InMemoryFreeMinuteStore#InMemoryFreeMinuteStore(int, Duration)}), under the JVM's default
 * collector and heap (no flags), with 1 and 2 threads; next to the limit of any counter shared by
 * the calls, an {@link AtomicLong} decrement, with 1 and 2 threads.
 *
 * <p>The calls are those of {@code FreeMinuteConsumptionBenchmark} (1,024 customers, 3 eligible
 * grants each, the 200-prefix destination), each a new usage id, their starts 1 ms apart on a clock
 * the threads share, so a window holds 60,000 (one minute) or 3,600,000 (one hour) calls, and every
 * older call is forgotten as the window moves on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RetainedConsumptionBenchmark {
  private static final int CUSTOMERS = BenchData.CUSTOMERS;
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");

  /** The retention window in minutes: with calls 1 ms apart, 60,000 or 3,600,000 calls held per thread. */
  @Param({"1", "60"})
  public int windowMinutes;

  private String[] customerIds;
  private String[] numbers;
  private long[] durations;
  private FreeMinuteLedger ledger;
  private final AtomicLong counter = new AtomicLong(Long.MAX_VALUE);

  @Setup(Level.Trial)
  public void setUp() {
    numbers = BenchData.numbers(BenchData.prefixes(), 1.0);
    customerIds = BenchData.customerIds();
    // The calls of a fork span hours of call time, well inside the grants' 31 days.
    List<Grant> grants = BenchData.grants(MAR_1);
    SplittableRandom random = new SplittableRandom(11);
    durations = new long[BenchData.NUMBERS];
    for (int i = 0; i < BenchData.NUMBERS; i++) {
      durations[i] = random.nextLong(1, 600);
    }
    InMemoryStores stores = new InMemoryStores(new InMemoryFreeMinuteStore(1 << 16, Duration.ofMinutes(windowMinutes)));
    ledger = FreeMinuteLedger.of(stores.freeMinutes(), stores.unitOfWork(), MutableBillingClock.at(MAR_1,
        ZoneOffset.UTC));
    ledger.addGrants(grants);
    Consumption probe = ledger.consume(new UsageRecord("probe", customerIds[0], Optional.empty(), numbers[0], MAR_1,
        61));
    if (probe.takes().size() != 1 || probe.uncoveredSeconds() != 0) {
      throw new IllegalStateException("the benchmark must measure the covering path, got " + probe);
    }
  }

  /**
   * The calls' own clock, shared by the threads as a switch's calls share time: a thread running
   * ahead of the other on a clock of its own would leave the other's calls behind the window.
   */
  private final AtomicLong millis = new AtomicLong();

  /** A thread's own sequence of usage ids, carrying the thread's prefix. */
  @State(Scope.Thread)
  public static class Caller {
    private static final AtomicLong THREADS = new AtomicLong();
    final String prefix = "t" + THREADS.incrementAndGet() + "-";
    long next;
  }

  private Consumption consumeNext(Caller caller) {
    long n = ++caller.next;
    int i = (int) (n & (BenchData.NUMBERS - 1));
    return ledger.consume(new UsageRecord(caller.prefix + n, customerIds[(int) (n % CUSTOMERS)], Optional.empty(),
        numbers[i], MAR_1.plusMillis(millis.incrementAndGet()), durations[i]));
  }

  @Benchmark
  @Threads(1)
  public Consumption consume(Caller caller) {
    return consumeNext(caller);
  }

  @Benchmark
  @Threads(2)
  public Consumption consumeTwoThreads(Caller caller) {
    return consumeNext(caller);
  }

  @Benchmark
  @Threads(1)
  public long atomicLongLimit() {
    return counter.decrementAndGet();
  }

  @Benchmark
  @Threads(2)
  public long atomicLongLimitTwoThreads() {
    return counter.decrementAndGet();
  }
}
