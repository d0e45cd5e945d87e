package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.reflect.ClassPath;
import com.google.common.testing.ClassSanityTester;
import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.DayOfWeek;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * guava-testlib over every public type of core: {@link NullPointerTester} on every public
 * constructor, static method and instance method (a parameter that takes null without refusing it
 * fails, unless it is listed below as taking null on purpose), {@link EqualsTester} on every value
 * type, and {@link ClassSanityTester} on the records and on factories of the hand-written
 * {@code equals} (every component must count).
 *
 * <p>The public types are found on the class path, so a new one fails {@link #everyPublicTypeHasASample}
 * until it has a sample here.
 */
final class ValueTypeSanityTest {
  private static final Currency USD = Currency.getInstance("USD");
  private static final LocalDate D = LocalDate.of(2026, 3, 1);
  private static final Instant AT = D.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
  private static final BillingPeriod PERIOD = new BillingPeriod(D, D.plusMonths(1));
  private static final ServicePackage PACKAGE = ServicePackage.builder("p-1").name("Minutes").currency("USD")
      .retail("5.00").cost("1.00").frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44")
      .roundingIncrementSeconds(60).build();
  private static final Assignment ASSIGNMENT = Assignment.builder("a-1").customerId("c-1").packageId("p-1")
      .startDate(D).minutes(100).build();
  private static final LineSubject SUBJECT = LineSubject.of(ASSIGNMENT);
  private static final ChargeLine RECURRING = ChargeLine.recurring(SUBJECT, PERIOD, Money.of("5.00", "USD"),
      Money.of("1.00", "USD"), Proration.WHOLE);
  private static final ChargeLine GRANT_LINE = ChargeLine.freeMinutes(SUBJECT, PERIOD, USD, Proration.WHOLE, 6000,
      Optional.of(PERIOD.endExclusive()));
  private static final Grant GRANT = Grant.of(GRANT_LINE, PACKAGE, ZoneOffset.UTC);
  private static final UsageRecord USAGE = UsageRecord.of("u-1", "c-1", "442079460000", AT, 125);
  private static final Consumption CONSUMPTION =
      new Consumption(USAGE, 180, List.of(new GrantSeconds(GRANT.id(), 180)));
  private static final AssignmentPlan PLAN = Planner.plan(PACKAGE, ASSIGNMENT, ChargeHistory.EMPTY, Map.of(), D);

  /** One instance of every public type that has instances, consistent with one another. */
  private static Map<Class<?>, Object> samples() {
    Map<Class<?>, Object> samples = new LinkedHashMap<>();
    samples.put(Assignment.class, ASSIGNMENT);
    samples.put(AssignmentBuilder.class, Assignment.builder("a-2"));
    samples.put(AssignmentPlan.class, PLAN);
    samples.put(AssignmentSchedule.class, AssignmentSchedule.of(PACKAGE, ASSIGNMENT));
    samples.put(Predecessor.class, new Predecessor("a-0", "p-0"));
    samples.put(Suspension.class, Suspension.between(D, D.plusDays(10)));
    samples.put(BilledPeriod.class, new BilledPeriod(PERIOD, PERIOD, false, false));
    samples.put(BillingPeriod.class, PERIOD);
    samples.put(ChargeHistory.class, ChargeHistory.of(List.of(RECURRING)));
    samples.put(ChargeLine.class, RECURRING);
    samples.put(Consumption.class, CONSUMPTION);
    samples.put(CurrencyTotals.class, CurrencyTotals.zero(USD).plus(RECURRING));
    samples.put(DestinationPattern.class, DestinationPattern.parse("^44|^1"));
    samples.put(FrequencyMatch.class, FrequencyMatch.daysOfMonth(1, 15));
    samples.put(Grant.class, GRANT);
    samples.put(Grant.Builder.class, Grant.builder("g-2"));
    samples.put(GrantRevision.class, new GrantRevision(GRANT.id(), 120, Optional.empty()));
    samples.put(GrantBalance.class, new GrantBalance(GRANT, 60));
    samples.put(GrantSeconds.class, new GrantSeconds(GRANT.id(), 60));
    samples.put(LineKey.class, RECURRING.key());
    samples.put(LineSubject.class, SUBJECT);
    samples.put(MinimumDaysException.class, new MinimumDaysException("a-1", D, D.plusDays(30)));
    samples.put(Money.class, Money.of("5.00", "USD"));
    samples.put(OwnPrices.class, OwnPrices.NONE.withRetail(new BigDecimal("25")));
    samples.put(OccurrenceSchedule.class, OccurrenceSchedule.of(PACKAGE, ASSIGNMENT));
    samples.put(Plan.class, new Plan(D, List.of(PLAN)));
    samples.put(PlannedLine.class, new PlannedLine(RECURRING, LineStatus.DUE));
    samples.put(Proration.class, new Proration(17, 31));
    samples.put(Refund.class, new Refund(CONSUMPTION, AT, List.of(new GrantSeconds(GRANT.id(), 180))));
    samples.put(ServicePackage.class, PACKAGE);
    samples.put(ServicePackageBuilder.class, ServicePackage.builder("p-2"));
    samples.put(SpendQuery.class, new SpendQuery("c-1", USD, PERIOD));
    samples.put(StoredLine.class, StoredLine.of(RECURRING));
    samples.put(Totals.class, Totals.of(List.of(RECURRING)));
    samples.put(Totals.Builder.class, Totals.builder());
    samples.put(UsageConflictException.class, new UsageConflictException(USAGE,
        UsageRecord.of("u-1", "c-1", "442079460000", AT, 126)));
    samples.put(UsageRecord.class, USAGE);
    samples.put(AllotmentException.class, new AllotmentException("refused"));
    return samples;
  }

  /** Types with no instances to sample: static rules, and interfaces a store implements. */
  private static final List<Class<?>> STATELESS =
      List.of(FreeMinuteRules.class, Planner.class, SetOnce.class, GrantTaker.class, Limits.class, Ids.class,
          Successor.class);

  /** The public top-level and nested classes of core, enums aside. */
  static Stream<Class<?>> publicTypes() throws IOException {
    List<Class<?>> types = new ArrayList<>();
    for (ClassPath.ClassInfo info : ClassPath.from(Money.class.getClassLoader())
        .getTopLevelClasses(Money.class.getPackageName())) {
      Class<?> type = info.load();
      if (type.getName().endsWith("Test") || type.getName().endsWith("Properties")) {
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
        .filter(t -> !samples().containsKey(t) && !STATELESS.contains(t)).toList();
    assertEquals(List.of(), missing, "public types of core without a sample in this test");
  }

  /** Defaults for parameters of every type the public API takes, all valid together. */
  static NullPointerTester nullPointerTester() throws Exception {
    NullPointerTester tester = new NullPointerTester();
    // "1" is a valid id, DID, dialed number, pattern and amount alike.
    tester.setDefault(String.class, "1");
    tester.setDefault(CharSequence.class, "1");
    tester.setDefault(int.class, 1);
    tester.setDefault(long.class, 1L);
    tester.setDefault(BigDecimal.class, BigDecimal.ONE);
    tester.setDefault(Currency.class, USD);
    tester.setDefault(LocalDate.class, D);
    tester.setDefault(Instant.class, AT);
    tester.setDefault(ZoneId.class, ZoneOffset.UTC);
    tester.setDefault(DayOfWeek.class, DayOfWeek.MONDAY);
    for (Map.Entry<Class<?>, Object> sample : samples().entrySet()) {
      setDefault(tester, sample.getKey(), sample.getValue());
    }
    // Taken as a charge's line: a RECURRING one (the grant line is built from its own sample).
    tester.setDefault(ChargeLine.class, RECURRING);
    // OccurrenceSchedule.of(..., LocalDate end): null is the open end, by design.
    tester.ignore(OccurrenceSchedule.class.getMethod("of", Frequency.class, FrequencyMatch.class, MonthEnd.class,
        LocalDate.class, LocalDate.class));
    // SetOnce.check(current, field): null is what "not set yet" is.
    tester.ignore(SetOnce.class.getMethod("check", Object.class, String.class));
    return tester;
  }

  @SuppressWarnings("unchecked")
  private static <T> void setDefault(NullPointerTester tester, Class<T> type, Object value) {
    tester.setDefault(type, (T) value);
  }

  @ParameterizedTest
  @MethodSource("publicTypes")
  void everyPublicMethodRefusesNull(Class<?> type) throws Exception {
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
        .addEqualityGroup(Money.of("5", "USD"), Money.of("5.00", "USD"), Money.of("5.000000", "USD"))
        .addEqualityGroup(Money.of("5.01", "USD"))
        .addEqualityGroup(Money.of("5", "EUR"))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(PACKAGE, rebuiltPackage("5.00"), rebuiltPackage("5"))
        .addEqualityGroup(rebuiltPackage("5.01"))
        .addEqualityGroup(ServicePackage.builder("p-1").name("Minutes").currency("USD").frequency(Frequency.MONTHLY)
            .build())
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(ASSIGNMENT, Assignment.builder("a-1").customerId("c-1").packageId("p-1").startDate(D)
            .minutes(100).build())
        .addEqualityGroup(ASSIGNMENT.withVersion(1))
        .addEqualityGroup(ASSIGNMENT.withEndDate(D.plusMonths(2), PACKAGE))
        .addEqualityGroup(Assignment.builder("a-1").customerId("c-1").packageId("p-1").startDate(D).minutes(101)
            .build())
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(RECURRING, ChargeLine.recurring(SUBJECT, PERIOD, Money.of("5", "USD"), Money.of("1", "USD"),
            Proration.WHOLE), StoredLine.of(RECURRING).toLine())
        .addEqualityGroup(ChargeLine.recurring(SUBJECT, PERIOD, Money.of("5.00", "USD"), Money.of("1.00", "USD"),
            new Proration(30, 31)))
        .addEqualityGroup(GRANT_LINE)
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(GRANT, Grant.of(GRANT_LINE, PACKAGE, ZoneOffset.UTC))
        .addEqualityGroup(Grant.of(GRANT_LINE, PACKAGE, ZoneId.of("Asia/Tokyo")))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(DestinationPattern.parse("^44|^1"), DestinationPattern.parse("^44|^1"))
        .addEqualityGroup(DestinationPattern.parse("^1|^44"))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(FrequencyMatch.daysOfMonth(1, 15), FrequencyMatch.parse("15,1"))
        .addEqualityGroup(FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY), FrequencyMatch.parse("MON"))
        .addEqualityGroup(FrequencyMatch.empty(), FrequencyMatch.parse(""))
        .addEqualityGroup(FrequencyMatch.daysOfMonth(1))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(Totals.of(List.of(RECURRING)), Totals.builder().add(RECURRING).build())
        .addEqualityGroup(Totals.of(List.of()))
        .addEqualityGroup(Totals.of(List.of(RECURRING, RECURRING)))
        .testEquals();
  }

  private static ServicePackage rebuiltPackage(String retail) {
    return ServicePackage.builder("p-1").name("Minutes").currency("USD").retail(retail).cost("1.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44").roundingIncrementSeconds(60)
        .build();
  }

  /**
   * Every field counts in {@code equals} and {@code hashCode}, hand-written or a record's: each
   * factory below builds a valid value from its arguments, a different argument giving a different
   * value, and {@link ClassSanityTester} checks that equal arguments give equal values and any one
   * different argument an unequal one.
   */
  @Test
  void equalsCountsEveryField() throws Exception {
    new ClassSanityTester().forAllPublicStaticMethods(Factories.class).thatReturn(Object.class).testEquals();
  }

  /** Factories for {@link ClassSanityTester}: any arguments give a valid value, different ones a different value. */
  public static final class Factories {
    private Factories() {}

    private static int positive(int value) {
      return 1 + Math.floorMod(value, 1000);
    }

    public static Money money(int cents, boolean euro) {
      return Money.of(BigDecimal.valueOf(cents, 2), Currency.getInstance(euro ? "EUR" : "USD"));
    }

    public static Assignment assignment(String id, String customerId, String packageId, int quantity, int startDay,
        int endDay, boolean autoDecrement, int minutes, long version, boolean onDid) {
      LocalDate start = D.plusDays(positive(startDay));
      AssignmentBuilder b = Assignment.builder("a" + id).customerId("c" + customerId).packageId("p" + packageId)
          .quantity(positive(quantity)).startDate(start).endDate(start.plusDays(positive(endDay)))
          .autoDecrementCredit(autoDecrement).minutes(positive(minutes)).version(Math.floorMod(version, 1000));
      if (onDid) {
        b.did("4420");
      }
      return b.build();
    }

    public static ServicePackage servicePackage(String id, String name, String description, int retail, int cost,
        int setupRetail, int setupCost, int minimumDays, boolean minimumSpend, int rounding, String feature,
        boolean firstPeriodFull, boolean monthEndSkip, int matchDay, boolean euro) {
      return ServicePackage.builder("p" + id).name("n" + name).description(description)
          .currency(euro ? "EUR" : "USD").retail(BigDecimal.valueOf(positive(retail), 2))
          .cost(BigDecimal.valueOf(positive(cost), 2)).setupRetail(BigDecimal.valueOf(positive(setupRetail), 2))
          .setupCost(BigDecimal.valueOf(positive(setupCost), 2)).frequency(Frequency.MONTHLY)
          .frequencyMatch(FrequencyMatch.daysOfMonth(1 + Math.floorMod(matchDay, 31))).minimumDays(positive(minimumDays))
          .minimumSpend(minimumSpend).roundingIncrementSeconds(1 + Math.floorMod(rounding, 3600))
          .features("f" + feature).firstPeriod(firstPeriodFull ? FirstPeriod.FULL : FirstPeriod.PRORATED)
          .monthEnd(monthEndSkip ? MonthEnd.SKIP : MonthEnd.CLAMP).build();
    }

    public static Grant grant(String id, String assignmentId, String customerId, int prefix, long seconds,
        int fromSeconds, int days, int rounding, boolean onDid) {
      Instant from = AT.plusSeconds(Math.floorMod(fromSeconds, 100_000));
      Grant.Builder b = Grant.builder("g" + id).assignmentId("a" + assignmentId).customerId("c" + customerId)
          .destination("^" + positive(prefix)).allocatedSeconds(Math.floorMod(seconds, 1_000_000)).validFrom(from)
          .validUntil(from.plusSeconds(86_400L * positive(days))).roundingIncrementSeconds(positive(rounding));
      if (onDid) {
        b.did("4420");
      }
      return b.build();
    }

    public static ChargeLine recurringLine(String assignmentId, String customerId, int quantity, int unitCents,
        int costCents, int days, int startDay, boolean autoDecrement) {
      LineSubject subject = new LineSubject("a" + assignmentId, "c" + customerId, Optional.empty(), "p-1",
          positive(quantity), autoDecrement);
      LocalDate start = D.plusDays(positive(startDay));
      return ChargeLine.recurring(subject, new BillingPeriod(start, start.plusDays(31)),
          Money.of(BigDecimal.valueOf(positive(unitCents), 2), USD), Money.of(BigDecimal.valueOf(positive(costCents), 2), USD),
          new Proration(Math.floorMod(days, 31) + 1, 31));
    }

    public static ChargeLine grantLine(long seconds, int validDays) {
      return ChargeLine.freeMinutes(SUBJECT, PERIOD, USD, Proration.WHOLE, Math.floorMod(seconds, 1_000_000),
          Optional.of(PERIOD.start().plusDays(positive(validDays))));
    }

    public static BillingPeriod period(int startDay, int days) {
      LocalDate start = D.plusDays(Math.floorMod(startDay, 1000));
      return new BillingPeriod(start, start.plusDays(positive(days)));
    }

    public static LineKey lineKey(String assignmentId, boolean setup, int startDay) {
      return LineKey.of("a" + assignmentId, setup ? LineKind.SETUP : LineKind.RECURRING,
          D.plusDays(Math.floorMod(startDay, 1000)));
    }

    public static LineKey adjustmentKey(String assignmentId, int startDay, int sequence) {
      return LineKey.adjustment("a" + assignmentId, D.plusDays(Math.floorMod(startDay, 1000)), positive(sequence));
    }

    public static LineSubject subject(String assignmentId, String customerId, boolean onDid, String packageId,
        int quantity, boolean autoDecrement) {
      return new LineSubject("a" + assignmentId, "c" + customerId, onDid ? Optional.of("4420") : Optional.empty(),
          "p" + packageId, positive(quantity), autoDecrement);
    }

    public static UsageRecord usage(String usageId, String customerId, boolean onDid, int number, int startSeconds,
        int durationSeconds) {
      return new UsageRecord("u" + usageId, "c" + customerId, onDid ? Optional.of("4420") : Optional.empty(),
          "44" + positive(number), AT.plusSeconds(Math.floorMod(startSeconds, 100_000)),
          Math.floorMod(durationSeconds, 3600));
    }

    public static Proration proration(int days, int extraDays) {
      int whole = positive(days);
      return new Proration(whole, whole + Math.floorMod(extraDays, 1000));
    }

    public static GrantSeconds grantSeconds(String grantId, int seconds) {
      return new GrantSeconds("g" + grantId, positive(seconds));
    }

    public static GrantBalance grantBalance(int allocated, int used) {
      return new GrantBalance(Grant.builder("g-1").assignmentId("a-1").customerId("c-1").allocatedSeconds(
          1000 + Math.floorMod(allocated, 1000)).validFrom(AT).build(), Math.floorMod(used, 1000));
    }

    public static SpendQuery spendQuery(String customerId, boolean euro, int startDay, int days) {
      return new SpendQuery("c" + customerId, Currency.getInstance(euro ? "EUR" : "USD"), period(startDay, days));
    }

    public static CurrencyTotals currencyTotals(boolean euro, int lines, int retailCents, int costCents) {
      String currency = euro ? "EUR" : "USD";
      return new CurrencyTotals(Currency.getInstance(currency), Math.floorMod(lines, 1000),
          Money.of(BigDecimal.valueOf(retailCents, 2), Currency.getInstance(currency)),
          Money.of(BigDecimal.valueOf(costCents, 2), Currency.getInstance(currency)));
    }

    public static PlannedLine plannedLine(int unitCents, boolean charged) {
      return new PlannedLine(recurringLine("1", "1", 1, unitCents, 100, 30, 1, false),
          charged ? LineStatus.CHARGED : LineStatus.DUE);
    }

    public static ChargeHistory history(int watermarkDay, int unitCents) {
      return new ChargeHistory(Optional.of(D.plusDays(Math.floorMod(watermarkDay, 1000))),
          List.of(recurringLine("1", "1", 1, unitCents, 100, 30, 1, false)));
    }

    public static DestinationPattern destination(int prefix) {
      return DestinationPattern.parse("^" + positive(prefix));
    }

    public static FrequencyMatch match(int day) {
      return FrequencyMatch.daysOfMonth(1 + Math.floorMod(day, 31));
    }
  }
}
