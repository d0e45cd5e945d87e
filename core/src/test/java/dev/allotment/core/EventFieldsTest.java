package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The package fields of events, {@code notificationDays} and {@code lowBalancePercent}, and a grant's low mark. */
final class EventFieldsTest {
  private static ServicePackageBuilder minutes() {
    return ServicePackage.builder("m").name("Minutes").currency("USD").retail("5").frequency(Frequency.MONTHLY)
        .types(PackageType.FREE_MINUTES);
  }

  @ParameterizedTest
  @CsvSource({
      "-1, 0, 'notificationDays must be within 0..366, was -1'",
      "367, 0, 'notificationDays must be within 0..366, was 367'",
      "0, -1, 'lowBalancePercent must be within 0..99, was -1'",
      "0, 100, 'lowBalancePercent must be within 0..99, was 100'"})
  void outOfRangeValuesAreRefusedNamingFieldAndValue(int days, int percent, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> minutes().notificationDays(days).lowBalancePercent(percent).build());
    assertEquals(message, e.getMessage());
  }

  @Test
  void aLowBalancePercentNeedsFreeMinutes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServicePackage.builder("p")
        .name("P").currency("USD").retail("5").frequency(Frequency.MONTHLY).lowBalancePercent(20).build());
    assertEquals("lowBalancePercent is only allowed on a FREE_MINUTES package, was 20", e.getMessage());
  }

  @Test
  void theDefaultsAnnounceNothingAndNeverRunLow() {
    ServicePackage plain = minutes().build();
    assertEquals(0, plain.notificationDays());
    assertEquals(0, plain.lowBalancePercent());
    ServicePackage set = minutes().notificationDays(366).lowBalancePercent(99).build();
    assertEquals(366, set.notificationDays());
    assertEquals(99, set.lowBalancePercent());
    assertFalse(plain.equals(set), "the fields count in equals");
  }

  @Test
  void aGrantTakesItsPackagesPercentAndIsLowExactlyAtIt() {
    Assignment a = Assignment.builder("a").customerId("c").packageId("m").startDate(LocalDate.of(2026, 1, 1))
        .minutes(10).build();
    ChargeLine line = ChargeLine.freeMinutes(LineSubject.of(a), new BillingPeriod(LocalDate.of(2026, 1, 1),
        LocalDate.of(2026, 2, 1)), Currency.getInstance("USD"), Proration.WHOLE, 600, Optional.empty());
    Grant grant = Grant.of(line, minutes().lowBalancePercent(25).build(), ZoneOffset.UTC);
    assertEquals(25, grant.lowBalancePercent());
    // 600 s at 25 %: low at 150 s left, that is 450 used.
    assertFalse(grant.isLowAt(449));
    assertTrue(grant.isLowAt(450));
    assertTrue(grant.isLowAt(600));
    Grant never = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(600)
        .validFrom(Instant.parse("2026-01-01T00:00:00Z")).build();
    assertFalse(never.isLowAt(600), "without a percent a grant is never low");
    assertEquals("lowBalancePercent must be within 0..99, was 100", assertThrows(IllegalArgumentException.class,
        () -> Grant.builder("g").lowBalancePercent(100)).getMessage());
  }
}
