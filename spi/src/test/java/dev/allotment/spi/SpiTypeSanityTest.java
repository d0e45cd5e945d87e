package dev.allotment.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.reflect.ClassPath;
import com.google.common.testing.ClassSanityTester;
import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.Grant;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.Proration;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.SpendQuery;
import dev.allotment.core.UsageRecord;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * guava-testlib over every public type of the SPI, as {@code ValueTypeSanityTest} does for core:
 * {@link NullPointerTester} on every public constructor, static method and instance method (the
 * in-memory stores included), {@link EqualsTester} and {@link ClassSanityTester} on the value types.
 * A new public type fails {@link #everyPublicTypeHasASample} until it has a sample here.
 */
final class SpiTypeSanityTest {
  private static final Currency USD = Currency.getInstance("USD");
  private static final LocalDate D = LocalDate.of(2026, 3, 1);
  private static final Instant AT = D.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
  private static final BillingPeriod PERIOD = new BillingPeriod(D, D.plusMonths(1));
  private static final ServicePackage PACKAGE = ServicePackage.builder("p-1").name("Minutes").currency("USD")
      .retail("5.00").frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).build();
  private static final Assignment ASSIGNMENT = Assignment.builder("a-1").customerId("c-1").packageId("p-1")
      .startDate(D).minutes(100).build();
  private static final ChargeLine LINE = ChargeLine.recurring(LineSubject.of(ASSIGNMENT), PERIOD,
      Money.of("5.00", "USD"), Money.of("1.00", "USD"), Proration.WHOLE);
  private static final Grant GRANT = Grant.of(ChargeLine.freeMinutes(LineSubject.of(ASSIGNMENT), PERIOD, USD,
      Proration.WHOLE, 6000, Optional.empty()), PACKAGE, ZoneOffset.UTC);
  private static final CreditEntry ENTRY = new CreditEntry("k-1", "c-1", Money.of("5.00", "USD"));
  private static final BillingEvent EVENT = new BillingEvent("LINE_CHARGED:a-1/RECURRING/2026-03-01",
      EventType.LINE_CHARGED, "c-1", AT, "{\"lineKey\":\"a-1/RECURRING/2026-03-01\"}");

  /** One instance of every public type that has instances. */
  private static Map<Class<?>, Object> samples() {
    InMemoryStores stores = new InMemoryStores();
    Map<Class<?>, Object> samples = new LinkedHashMap<>();
    samples.put(BatchResult.class, BatchResult.committed(1));
    samples.put(BillingStores.Builder.class, BillingStores.builder());
    samples.put(ChargeBatch.class, ChargeBatch.builder().lines(List.of(LINE)).build());
    samples.put(ChargeBatch.Builder.class, ChargeBatch.builder());
    samples.put(ChargeJournal.HistoryRequest.class, ChargeJournal.HistoryRequest.of(ASSIGNMENT));
    samples.put(CreditEntry.class, ENTRY);
    samples.put(CreditFloor.class, new CreditFloor("c-1", Money.of("5.00", "USD")));
    samples.put(CreditLedger.Posting.class, new CreditLedger.Posting(ENTRY, true));
    samples.put(InMemoryAssignmentStore.class, stores.assignments());
    samples.put(InMemoryChargeJournal.class, stores.journal());
    samples.put(InMemoryCreditLedger.class, stores.creditLedger());
    samples.put(InMemoryFreeMinuteStore.class, stores.freeMinutes());
    samples.put(InMemoryPackageCatalog.class, stores.catalog());
    samples.put(InMemorySpendSource.class, stores.spend());
    samples.put(InMemoryStores.class, stores);
    samples.put(KeyConflictException.class, new KeyConflictException("key 'k-1' is held with other terms"));
    samples.put(MutableBillingClock.class, MutableBillingClock.startOf(D, ZoneOffset.UTC));
    samples.put(BillingEvent.class, EVENT);
    samples.put(StoredEvent.class, new StoredEvent(1, EVENT));
    samples.put(InMemoryEventOutbox.class, stores.events());
    samples.put(EventPayload.class, EventPayload.builder());
    samples.put(CreditLowRule.class, CreditLowRule.of(Map.of(USD, Money.of("10.00", "USD")), AT));
    samples.put(InMemoryRunLeases.class, new InMemoryRunLeases());
    samples.put(RunLease.class, new RunLease("charge-2026-03-01", 2, 16, "node-1", "t-1", AT));
    samples.put(FleetStatus.class, new FleetStatus("charge-2026-03-01", 16, 3, 2));
    return samples;
  }

  /** Interfaces a host implements: their static methods are tested, their implementations above. */
  private static final List<Class<?>> INTERFACES = List.of(AssignmentStore.class, BillingClock.class,
      BillingStores.class, ChargeJournal.class, CreditLedger.class, FreeMinuteStore.class, PackageCatalog.class,
      SpendSource.class, SplitCreditLedger.class, SplitFreeMinuteStore.class, SplitJournal.class, UnitOfWork.class,
      UsageAllocator.class, EventOutbox.class, RunLeases.class);

  /** The public top-level and nested classes of the SPI's main code, enums aside. */
  static Stream<Class<?>> publicTypes() throws IOException {
    List<Class<?>> types = new ArrayList<>();
    for (ClassPath.ClassInfo info : ClassPath.from(BillingStores.class.getClassLoader())
        .getTopLevelClasses(BillingStores.class.getPackageName())) {
      Class<?> type = info.load();
      // Main code only: the contract kit and the tests live in test-classes.
      if (type.getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes")) {
        continue;
      }
      addPublic(type, types);
    }
    return types.stream();
  }

  private static void addPublic(Class<?> type, List<Class<?>> types) {
    if (!Modifier.isPublic(type.getModifiers()) || type.isEnum()) {
      return;
    }
    types.add(type);
    for (Class<?> nested : type.getDeclaredClasses()) {
      addPublic(nested, types);
    }
  }

  @Test
  void everyPublicTypeHasASample() throws IOException {
    List<Class<?>> missing = publicTypes()
        .filter(t -> !samples().containsKey(t) && !INTERFACES.contains(t)).toList();
    assertEquals(List.of(), missing, "public types of the SPI without a sample in this test");
  }

  static NullPointerTester nullPointerTester() {
    NullPointerTester tester = new NullPointerTester();
    tester.setDefault(String.class, "1");
    tester.setDefault(int.class, 1);
    tester.setDefault(long.class, 1L);
    tester.setDefault(BigDecimal.class, BigDecimal.ONE);
    tester.setDefault(Currency.class, USD);
    tester.setDefault(LocalDate.class, D);
    tester.setDefault(Instant.class, AT);
    tester.setDefault(Duration.class, Duration.ofSeconds(1));
    tester.setDefault(ZoneId.class, ZoneOffset.UTC);
    tester.setDefault(Clock.class, Clock.fixed(AT, ZoneOffset.UTC));
    tester.setDefault(Money.class, Money.of("5.00", "USD"));
    tester.setDefault(ServicePackage.class, PACKAGE);
    tester.setDefault(Assignment.class, ASSIGNMENT);
    tester.setDefault(ChargeLine.class, LINE);
    tester.setDefault(LineKey.class, LINE.key());
    tester.setDefault(Grant.class, GRANT);
    tester.setDefault(UsageRecord.class, UsageRecord.of("u-1", "c-1", "4420", AT, 60));
    tester.setDefault(SpendQuery.class, new SpendQuery("c-1", USD, PERIOD));
    tester.setDefault(CreditEntry.class, ENTRY);
    tester.setDefault(ChargeBatch.class, ChargeBatch.builder().lines(List.of(LINE)).build());
    tester.setDefault(BillingStores.class, new InMemoryStores());
    tester.setDefault(BillingEvent.class, EVENT);
    tester.setDefault(CreditLowRule.class, CreditLowRule.of(Map.of(USD, Money.of("10.00", "USD")), AT));
    tester.setDefault(RunLease.class, new RunLease("charge-2026-03-01", 2, 16, "node-1", "t-1", AT));
    tester.setDefault(java.time.Duration.class, java.time.Duration.ofMinutes(1));
    return tester;
  }

  @ParameterizedTest
  @MethodSource("publicTypes")
  void everyPublicMethodRefusesNull(Class<?> type) {
    NullPointerTester tester = nullPointerTester();
    tester.testAllPublicStaticMethods(type);
    tester.testAllPublicConstructors(type);
    Object sample = samples().get(type);
    if (sample != null) {
      tester.testAllPublicInstanceMethods(sample);
    }
  }

  @Test
  void equalsAndHashCodeOfTheValueTypes() {
    new EqualsTester()
        .addEqualityGroup(ENTRY, new CreditEntry("k-1", "c-1", Money.of("5", "USD")))
        .addEqualityGroup(new CreditEntry("k-2", "c-1", Money.of("5.00", "USD")))
        .addEqualityGroup(new CreditEntry("k-1", "c-2", Money.of("5.00", "USD")))
        .addEqualityGroup(new CreditEntry("k-1", "c-1", Money.of("5.01", "USD")))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(BatchResult.committed(2), new BatchResult(2, Set.of(), Set.of()))
        .addEqualityGroup(BatchResult.committed(3))
        .addEqualityGroup(BatchResult.refused(Set.of("a-1"), Set.of()))
        .addEqualityGroup(BatchResult.refused(Set.of(), Set.of("c-1")))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(ChargeJournal.HistoryRequest.of(ASSIGNMENT),
            new ChargeJournal.HistoryRequest("a-1", Optional.empty()))
        .addEqualityGroup(ChargeJournal.HistoryRequest.of(ASSIGNMENT.withEndDate(D.plusDays(40), PACKAGE)))
        .testEquals();
  }

  /** Every component counts in the records' equals and hashCode. */
  @Test
  void equalsCountsEveryField() throws Exception {
    new ClassSanityTester().forAllPublicStaticMethods(Factories.class).thatReturn(Object.class).testEquals();
  }

  /** Factories for {@link ClassSanityTester}: any arguments give a valid value, different ones a different value. */
  public static final class Factories {
    private Factories() {}

    private static BigDecimal cents(int value) {
      return BigDecimal.valueOf(1 + Math.floorMod(value, 100_000), 2);
    }

    public static CreditEntry creditEntry(String key, String customerId, int cents, boolean euro) {
      return new CreditEntry("k" + key, "c" + customerId, Money.of(cents(cents), Currency.getInstance(euro ? "EUR" : "USD")));
    }

    public static CreditFloor creditFloor(String customerId, int cents) {
      return new CreditFloor("c" + customerId, Money.of(cents(cents), USD));
    }

    public static CreditLedger.Posting posting(String key, boolean debit) {
      return new CreditLedger.Posting(new CreditEntry("k" + key, "c-1", Money.of("1.00", "USD")), debit);
    }

    public static ChargeJournal.HistoryRequest historyRequest(String assignmentId, int repriceDay) {
      return new ChargeJournal.HistoryRequest("a" + assignmentId, Optional.of(D.plusDays(Math.floorMod(repriceDay, 999))));
    }

    public static BatchResult refused(String assignmentId, String customerId) {
      return BatchResult.refused(Set.of("a" + assignmentId), Set.of("c" + customerId));
    }

    public static BatchResult committed(int lines) {
      return BatchResult.committed(Math.floorMod(lines, 1000));
    }
  }
}
