package dev.allotment.bench;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.FreeMinuteLedger;
import dev.allotment.spi.InMemoryFreeMinuteStore;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
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
 * Single-thread consumption through {@link FreeMinuteLedger} over the {@link InMemoryFreeMinuteStore}:
 * each call is a new usage id of one of 1,024 customers, each with 3 grants eligible for every call
 * (two with the 200-prefix destination, different expiries and rounding increments; one for every
 * destination), so every call matches, orders 3 grants, rounds, takes with a compare-and-set and
 * records its result. Allocations are huge so no grant runs dry and the measured path stays the
 * covering one. The store is new every iteration: it keeps each consumed call for idempotency, and
 * a fresh one bounds that growth to one iteration's calls.
 *
 * <p>{@code expectedUsages} is the store's sizing hint: 0 lets its usage table grow (rehashing from
 * empty to millions of entries within each iteration), 8388608 sizes it for an iteration's calls
 * up front, as a host expecting that volume would.
 *
 * <p>Every call leaves about 200 bytes in the store for good (its record, id and result), so at
 * millions of calls a second a collector copying survivors would mostly measure itself. The fork
 * therefore gets a young generation that holds one iteration's calls, and each iteration starts
 * after a full collection that drops the previous store: the score is the cost of the
 * consumption path. Run with {@code -jvmArgsAppend -Xmx5g} (replacing these flags) to see it
 * with the collector at work; {@code -prof gc} shows the collections either way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms5g", "-Xmx5g", "-Xmn4g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FreeMinuteConsumptionBenchmark {
  private static final int CUSTOMERS = BenchData.CUSTOMERS;
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");

  private String[] customerIds;
  private String[] numbers;
  private Instant[] starts;
  private long[] durations;
  private List<Grant> grants;
  private FreeMinuteLedger ledger;
  private long next;

  @Param({"0", "8388608"})
  public int expectedUsages;

  @Setup(Level.Trial)
  public void data() {
    numbers = BenchData.numbers(BenchData.prefixes(), 1.0);
    customerIds = BenchData.customerIds();
    grants = BenchData.grants(MAR_1);
    SplittableRandom random = new SplittableRandom(11);
    starts = new Instant[BenchData.NUMBERS];
    durations = new long[BenchData.NUMBERS];
    for (int i = 0; i < BenchData.NUMBERS; i++) {
      starts[i] = MAR_1.plusSeconds(random.nextLong(30L * 86_400));
      durations[i] = random.nextLong(1, 600);
    }
  }

  @Setup(Level.Iteration)
  public void freshStore() {
    ledger = null;
    System.gc(); // the previous iteration's store is garbage now; collect it outside the measurement
    InMemoryStores stores = new InMemoryStores(new InMemoryFreeMinuteStore(expectedUsages));
    ledger = FreeMinuteLedger.of(stores.freeMinutes(), stores.unitOfWork(), MutableBillingClock.at(MAR_1, ZoneOffset.UTC));
    ledger.addGrants(grants);
    Consumption probe = ledger.consume(new UsageRecord("probe", customerIds[0], Optional.empty(), numbers[0],
        starts[0], 61));
    if (probe.takes().size() != 1 || probe.uncoveredSeconds() != 0) {
      throw new IllegalStateException("the benchmark must measure the covering path, got " + probe);
    }
  }

  @Benchmark
  public Consumption consume() {
    long n = next++;
    int i = (int) (n & (BenchData.NUMBERS - 1));
    return ledger.consume(new UsageRecord(Long.toString(n), customerIds[(int) (n % CUSTOMERS)], Optional.empty(),
        numbers[i], starts[i], durations[i]));
  }
}
