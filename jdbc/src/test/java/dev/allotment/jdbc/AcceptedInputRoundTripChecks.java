package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.Limits;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Money;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.Proration;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.FreeMinuteLedger;
import dev.allotment.spi.BillingClock;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.CreditEntry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The other half of "every store accepts exactly the same domain": any input core accepts, to the
 * edges of every bound ({@link Limits}, the {@code Ids} alphabet, destination patterns), is stored
 * and read back unchanged by every store: packages, assignments, credit entries, calls and journal
 * lines. On the databases a {@code @ParameterizedTest} of 40 seeds (jqwik does not run JUnit's
 * database extension); in memory the jqwik property {@link AcceptedInputRoundTripProperties}
 * over any seed.
 */
abstract class AcceptedInputRoundTripChecks {
  private static final String ID_CHARS = "abcXYZ0189-_.:@!~()[]+=$%&*;<>?^`{|}'\"\\\u00C4\u00E9\u00DF\u00E7\u00F1"
      + "\u00F8\u03A9\u0416\u6771\u4EAC\uD55C\u0661\u20AC\uD835\uDD18\uD83D\uDE00";
  private static final String TEXT_CHARS = ID_CHARS + " \t\n\r\u00A0,/#\u2028\u200B";
  private static final List<String> CURRENCIES = List.of("USD", "JPY", "BHD", "EUR", "GBP");
  private static final List<String> DESTINATIONS = List.of("^44|^91|^1", "^(\\d*4){16}$", "^4[0-5]\\d{2,8}$",
      "^(?:33|34)", "^[^0]", "44$|^1.{3}", "^", "^(44|4)1?");

  /** Fresh, empty stores for one seed. */
  abstract BillingStores freshStores();

  static IntStream seeds() {
    return IntStream.range(0, 40);
  }

  private static String pick(Random random, String chars, int minLength, int maxLength) {
    int[] codePoints = chars.codePoints().toArray();
    StringBuilder text = new StringBuilder();
    int length = minLength + random.nextInt(maxLength - minLength + 1);
    while (text.length() < length) {
      int c = codePoints[random.nextInt(codePoints.length)];
      if (text.length() + Character.charCount(c) > maxLength) {
        c = 'x';
      }
      text.appendCodePoint(c);
    }
    return text.toString();
  }

  private static String id(Random random, int seed, String kind) {
    // A prefix keeps ids distinct; the rest reaches the length bound now and then.
    String prefix = kind + seed + "-";
    return prefix + pick(random, ID_CHARS, 0, 100 - prefix.length());
  }

  private static BigDecimal amount(Random random, int integerDigits, int scale) {
    int digits = random.nextInt(integerDigits + 1);
    int fraction = random.nextInt(scale + 1);
    if (random.nextInt(5) == 0) {
      digits = integerDigits; // the largest amount the bound allows
      fraction = scale;
      return new BigDecimal(BigInteger.TEN.pow(digits + fraction).subtract(BigInteger.ONE), fraction);
    }
    BigInteger unscaled = new BigInteger(60, random).mod(BigInteger.TEN.pow(Math.max(1, digits + fraction)));
    return new BigDecimal(unscaled, fraction);
  }

  private static LocalDate date(Random random, LocalDate from, LocalDate to) {
    long days = ChronoUnit.DAYS.between(from, to);
    return random.nextInt(6) == 0 ? (random.nextBoolean() ? from : to)
        : from.plusDays((long) (random.nextDouble() * (days + 1)));
  }

  private static ServicePackage servicePackage(Random random, int seed) {
    Frequency frequency = Frequency.values()[random.nextInt(Frequency.values().length)];
    ServicePackageBuilder b = ServicePackage.builder(id(random, seed, "p"))
        .name("N" + pick(random, TEXT_CHARS, 0, Limits.MAX_NAME_LENGTH - 1))
        .description(pick(random, TEXT_CHARS, 0, 300))
        .currency(CURRENCIES.get(random.nextInt(CURRENCIES.size())))
        .retail(amount(random, Limits.MAX_UNIT_INTEGER_DIGITS, Limits.MAX_SCALE))
        .cost(amount(random, Limits.MAX_UNIT_INTEGER_DIGITS, Limits.MAX_SCALE))
        .setupRetail(amount(random, Limits.MAX_UNIT_INTEGER_DIGITS, Limits.MAX_SCALE))
        .setupCost(amount(random, Limits.MAX_UNIT_INTEGER_DIGITS, Limits.MAX_SCALE))
        .frequency(frequency)
        .minimumDays(random.nextInt(400))
        .firstPeriod(FirstPeriod.values()[random.nextInt(FirstPeriod.values().length)])
        .monthEnd(MonthEnd.values()[random.nextInt(MonthEnd.values().length)])
        .features(List.of("f" + pick(random, TEXT_CHARS, 0, 99), "g" + pick(random, TEXT_CHARS, 0, 20)))
        .roundingIncrementSeconds(1 + random.nextInt(3600));
    if (frequency == Frequency.WEEKLY) {
      b.frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.of(1 + random.nextInt(7))));
    } else if (frequency == Frequency.MONTHLY) {
      b.frequencyMatch(FrequencyMatch.daysOfMonth(1 + random.nextInt(31), 1 + random.nextInt(31)));
    }
    if (random.nextBoolean()) {
      b.types(PackageType.FREE_MINUTES).destination(DESTINATIONS.get(random.nextInt(DESTINATIONS.size())));
    }
    if (frequency != Frequency.NONE && random.nextInt(4) == 0) {
      b.minimumSpend(true);
    }
    return b.build();
  }

  private static Assignment assignment(Random random, int seed, ServicePackage p) {
    int quantity = random.nextInt(3) == 0 ? Limits.MAX_QUANTITY : 1 + random.nextInt(Limits.MAX_QUANTITY);
    LocalDate start = date(random, Limits.FIRST_DATE, Limits.LAST_DATE);
    AssignmentBuilder b = Assignment.builder(id(random, seed, "a")).customerId(id(random, seed, "c"))
        .packageId(p.id()).quantity(quantity).startDate(start).autoDecrementCredit(random.nextBoolean());
    if (random.nextBoolean()) {
      // Own prices at the edges of a unit amount, any subset of the four.
      OwnPrices prices = OwnPrices.NONE;
      prices = random.nextBoolean() ? prices.withRetail(amount(random, Limits.MAX_UNIT_INTEGER_DIGITS, 6)) : prices;
      prices = random.nextBoolean() ? prices.withCost(amount(random, Limits.MAX_UNIT_INTEGER_DIGITS, 6)) : prices;
      prices = random.nextBoolean() ? prices.withSetupRetail(amount(random, Limits.MAX_UNIT_INTEGER_DIGITS, 6))
          : prices;
      prices = random.nextBoolean() ? prices.withSetupCost(amount(random, Limits.MAX_UNIT_INTEGER_DIGITS, 6))
          : prices;
      b.ownPrices(prices);
    }
    if (random.nextBoolean()) {
      b.endDate(date(random, start, Limits.LAST_DATE));
    }
    if (random.nextBoolean()) {
      b.did(pick(random, "0123456789", 1, 32));
    }
    if (p.grantsFreeMinutes()) {
      b.minutes(1 + random.nextInt(1_000_000_000 / quantity));
    }
    return b.build();
  }

  private static Money money(Random random, String currency) {
    int digits = Currency.getInstance(currency).getDefaultFractionDigits();
    BigDecimal amount = amount(random, Limits.MAX_INTEGER_DIGITS, digits);
    return Money.of(amount.signum() == 0 ? BigDecimal.ONE : amount, Currency.getInstance(currency));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anythingCoreAcceptsIsStoredAndReadBackUnchanged(int seed) {
    roundTrip(freshStores(), seed);
  }

  /** The inputs of {@code seed} are stored in {@code stores} (fresh) and read back unchanged. */
  static void roundTrip(BillingStores stores, int seed) {
    Random random = new Random(seed * 7919L + 17);

    ServicePackage p = servicePackage(random, seed);
    stores.catalog().define(p);
    assertEquals(Optional.of(p), stores.catalog().find(p.id()), "package");
    assertTrue(stores.catalog().all().contains(p));

    Assignment a = assignment(random, seed, p);
    assertTrue(stores.assignments().add(a));
    assertEquals(Optional.of(a), stores.assignments().find(a.id()), "assignment");

    String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
    CreditEntry entry = new CreditEntry(id(random, seed, "k/#") + pick(random, ID_CHARS + "/#", 0, 90),
        id(random, seed, "cc"), money(random, currency));
    assertTrue(stores.creditLedger().credit(entry));
    assertEquals(entry.amount(), stores.creditLedger().balance(entry.customerId(), entry.amount().currency()),
        "credit");

    Instant start = Limits.FIRST_INSTANT.plusSeconds(
        (long) (random.nextDouble() * ChronoUnit.SECONDS.between(Limits.FIRST_INSTANT, Limits.LAST_INSTANT)))
        .plus(random.nextInt(1_000_000), ChronoUnit.MICROS);
    UsageRecord usage = random.nextBoolean()
        ? UsageRecord.of(id(random, seed, "u"), id(random, seed, "uc"), pick(random, "0123456789", 1, 32),
            random.nextBoolean() ? Limits.LAST_INSTANT : start, random.nextInt(86_401))
        : UsageRecord.onDid(id(random, seed, "u"), id(random, seed, "uc"), pick(random, "0123456789", 1, 32),
            pick(random, "0123456789", 1, 32), start, random.nextInt(86_401));
    FreeMinuteLedger ledger = FreeMinuteLedger.of(stores.freeMinutes(), stores.unitOfWork(),
        BillingClock.of(java.time.Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC)));
    Consumption consumed = ledger.consume(usage);
    assertEquals(usage, consumed.usage());
    assertEquals(Optional.of(consumed), ledger.consumption(usage.usageId()), "call");

    LocalDate periodStart = date(random, Limits.FIRST_DATE, Limits.LAST_DATE);
    LocalDate periodEnd = periodStart.plusDays(1 + random.nextInt(366));
    LocalDate lastEnd = LocalDate.of(9999, 12, 31);
    BillingPeriod period = new BillingPeriod(periodStart, periodEnd.isAfter(lastEnd) ? lastEnd : periodEnd);
    LineSubject subject = new LineSubject(a.id(), a.customerId(), a.did(), p.id(), a.quantity(),
        a.autoDecrementCredit());
    long ofDays = 1 + random.nextInt(366);
    ChargeLine line = ChargeLine.recurring(subject, period, p.retail(), p.cost(),
        new Proration(1 + random.nextInt((int) ofDays), ofDays));
    stores.unitOfWork().commit(Fixtures.lines(List.of(line), Map.of()));
    List<ChargeLine> held = new ArrayList<>(stores.journal().lines(a.id()));
    assertEquals(List.of(line), held, "journal line");
  }
}
