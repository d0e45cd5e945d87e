package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Laws of the value types: money rounding, line keys and frequency matches. */
final class ValueLawsTest {

  /**
   * {@code dividedAndRounded} equals HALF_UP rounding done by hand on integers: scale the
   * numerator to the currency's minor unit, divide, and step away from zero when the remainder is
   * at least half the divisor.
   */
  @Property(tries = 1000)
  void roundingAgreesWithIntegerArithmetic(@ForAll @LongRange(min = -10_000_000, max = 10_000_000) long unscaled,
      @ForAll @IntRange(min = 0, max = 6) int scale, @ForAll @LongRange(min = 1, max = 400) long divisor,
      @ForAll("currencies") Currency currency) {
    int digits = currency.getDefaultFractionDigits();
    BigInteger numerator = BigInteger.valueOf(unscaled).multiply(BigInteger.TEN.pow(digits));
    BigInteger denominator = BigInteger.TEN.pow(scale).multiply(BigInteger.valueOf(divisor));
    BigInteger[] qr = numerator.abs().divideAndRemainder(denominator);
    BigInteger magnitude = qr[1].shiftLeft(1).compareTo(denominator) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    BigDecimal expected = new BigDecimal(unscaled < 0 ? magnitude.negate() : magnitude, digits);

    Money rounded = Money.of(BigDecimal.valueOf(unscaled, scale), currency).dividedAndRounded(divisor);

    assertEquals(expected, rounded.amount());
  }

  /** Equal amounts at different scales are equal money with equal hash codes. */
  @Property(tries = 500)
  void equalityIsNumeric(@ForAll @LongRange(min = -1_000_000, max = 1_000_000) long unscaled,
      @ForAll @IntRange(min = 0, max = 4) int scale, @ForAll @IntRange(min = 0, max = 4) int extraZeros,
      @ForAll("currencies") Currency currency) {
    Money a = Money.of(BigDecimal.valueOf(unscaled, scale), currency);
    Money b = Money.of(BigDecimal.valueOf(unscaled, scale).setScale(scale + extraZeros), currency);

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(0, a.compareTo(b));
  }

  /** {@code LineKey.parse(key.toString())} gives the key back. */
  @Property(tries = 500)
  void lineKeysRoundTrip(@ForAll("keys") LineKey key) {
    assertEquals(key, LineKey.parse(key.toString()));
  }

  /** {@code FrequencyMatch.parse(match.toString())} gives the match back. */
  @Property(tries = 300)
  void frequencyMatchesRoundTrip(@ForAll("matches") FrequencyMatch match) {
    assertEquals(match, FrequencyMatch.parse(match.toString()));
    assertEquals(match.isEmpty(), match.toString().isEmpty());
  }

  @Provide
  Arbitrary<Currency> currencies() {
    return Generators.currencies();
  }

  @Provide
  Arbitrary<LineKey> keys() {
    Arbitrary<String> ids = Arbitraries.strings().withChars("abcXYZ0189-_.:@").ofMinLength(1).ofMaxLength(100);
    Arbitrary<LocalDate> dates = Arbitraries.longs()
        .between(LocalDate.of(1900, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay())
        .map(LocalDate::ofEpochDay);
    return Combinators.combine(ids, Arbitraries.of(LineKind.class), dates, Arbitraries.integers().between(1, 10_000))
        .as((id, kind, date, sequence) -> kind.isAdjustment() ? new LineKey(id, kind, date, sequence)
            : LineKey.of(id, kind, date));
  }

  @Provide
  Arbitrary<FrequencyMatch> matches() {
    Arbitrary<Set<DayOfWeek>> weekdays = Generators.weekdays();
    return Arbitraries.oneOf(weekdays.map(FrequencyMatch::daysOfWeek),
        Generators.monthDays().map(FrequencyMatch::daysOfMonth));
  }
}
