package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class GrantTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static ServicePackage bundle(Frequency frequency) {
    return ServicePackage.builder("fm").name("UK bundle").currency("EUR").retail("5.00").frequency(frequency)
        .types(PackageType.FREE_MINUTES).destination("^44|^4420").roundingIncrementSeconds(60).build();
  }

  private static List<ChargeLine> grantLines(ServicePackage pkg, Assignment assignment, LocalDate date) {
    return Spend.plan(pkg, assignment, ChargeHistory.EMPTY, Spend.NONE, date).due().stream()
        .filter(l -> l.kind() == LineKind.FREE_MINUTES).toList();
  }

  @Test
  void aPlannedLineBecomesAGrantValidFromMidnightToMidnightInTheBillingZone() {
    ServicePackage pkg = bundle(Frequency.MONTHLY);
    Assignment assignment = Assignment.builder("a-1").customerId("c-1").did("4420711").packageId("fm")
        .quantity(2).startDate(LocalDate.of(2026, 3, 1)).minutes(100).build();
    ChargeLine march = grantLines(pkg, assignment, LocalDate.of(2026, 3, 1)).get(0);

    Grant grant = Grant.of(march, pkg, PARIS);

    assertEquals("a-1/FREE_MINUTES/2026-03-01", grant.id());
    assertEquals("a-1", grant.assignmentId());
    assertEquals("c-1", grant.customerId());
    assertEquals(Optional.of("4420711"), grant.did());
    assertEquals(Optional.of(DestinationPattern.parse("^44|^4420")), grant.destination());
    assertEquals(100 * 2 * 60, grant.allocatedSeconds());
    assertEquals(60, grant.roundingIncrementSeconds());
    // Paris is UTC+1 on 1 March and UTC+2 (summer time) on 1 April.
    assertEquals(Instant.parse("2026-02-28T23:00:00Z"), grant.validFrom());
    assertEquals(Optional.of(Instant.parse("2026-03-31T22:00:00Z")), grant.validUntil());
  }

  @Test
  void aOneOffGrantWithoutEndNeverExpires() {
    ServicePackage pkg = bundle(Frequency.NONE);
    Assignment assignment = Assignment.builder("a-2").customerId("c-1").packageId("fm")
        .startDate(LocalDate.of(2026, 3, 10)).minutes(30).build();
    Grant grant = Grant.of(grantLines(pkg, assignment, LocalDate.of(2026, 3, 10)).get(0), pkg, ZoneId.of("UTC"));

    assertEquals(Optional.empty(), grant.validUntil());
    assertEquals(Optional.empty(), grant.did());
    assertTrue(grant.isValidAt(Instant.parse("9999-01-01T00:00:00Z")));
  }

  @Test
  void onlyAFreeMinutesLineOfTheSamePackageMakesAGrant() {
    ServicePackage pkg = bundle(Frequency.MONTHLY);
    Assignment assignment = Assignment.builder("a-3").customerId("c-1").packageId("fm")
        .startDate(LocalDate.of(2026, 3, 1)).minutes(10).build();
    ChargeLine recurring = Spend.plan(pkg, assignment, ChargeHistory.EMPTY, Spend.NONE,
        LocalDate.of(2026, 3, 1)).due().stream().filter(l -> l.kind() == LineKind.RECURRING).findFirst().orElseThrow();
    ChargeLine grantLine = grantLines(pkg, assignment, LocalDate.of(2026, 3, 1)).get(0);
    ServicePackage other = ServicePackage.builder("other").name("Other").currency("EUR").frequency(Frequency.MONTHLY)
        .types(PackageType.FREE_MINUTES).build();

    assertThrows(IllegalArgumentException.class, () -> Grant.of(recurring, pkg, PARIS));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grant.of(grantLine, other, PARIS));
    assertTrue(e.getMessage().contains("'other'"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} valid: {1}")
  @CsvSource({
      "2026-03-01T00:00:00Z,         true",
      "2026-02-28T23:59:59.999999999Z, false",
      "2026-03-31T23:59:59.999999999Z, true",
      "2026-04-01T00:00:00Z,         false",
  })
  void validityIsHalfOpen(String at, boolean valid) {
    Grant grant = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(60)
        .validFrom(Instant.parse("2026-03-01T00:00:00Z")).validUntil(Instant.parse("2026-04-01T00:00:00Z")).build();
    assertEquals(valid, grant.isValidAt(Instant.parse(at)));
  }

  @Test
  void theBuilderNamesTheFieldAndTheValue() {
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    assertEquals("allocatedSeconds must be >= 0, was -1",
        assertThrows(IllegalArgumentException.class, () -> Grant.builder("g").allocatedSeconds(-1)).getMessage());
    assertEquals("roundingIncrementSeconds must be within 1..3600, was 0",
        assertThrows(IllegalArgumentException.class, () -> Grant.builder("g").roundingIncrementSeconds(0)).getMessage());
    assertEquals("validUntil must be after validFrom 2026-03-01T00:00:00Z, was 2026-03-01T00:00:00Z",
        assertThrows(IllegalArgumentException.class, () -> Grant.builder("g").assignmentId("a").customerId("c")
            .allocatedSeconds(1).validFrom(from).validUntil(from).build()).getMessage());
    assertEquals("did must contain digits only, was '+44'",
        assertThrows(IllegalArgumentException.class, () -> Grant.builder("g").did("+44")).getMessage());
    assertEquals("grantId must not contain U+0020 at index 1 (ids hold letters, digits, marks, punctuation and symbols:"
        + " no spaces, control, format, private-use or unassigned characters), was 'a b'",
        assertThrows(IllegalArgumentException.class, () -> Grant.builder("a b")).getMessage());
    assertEquals("customerId is required for grant 'g'",
        assertThrows(IllegalArgumentException.class, () -> Grant.builder("g").assignmentId("a").allocatedSeconds(1)
            .validFrom(from).build()).getMessage());
    assertThrows(IllegalStateException.class, () -> Grant.builder("g").allocatedSeconds(1).allocatedSeconds(2));
  }

  @Test
  void equalityCoversEveryField() {
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    Grant a = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(60).validFrom(from).build();
    Grant same = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(60).validFrom(from).build();
    Grant moreSeconds = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(61).validFrom(from).build();
    Grant withDestination = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(60).validFrom(from)
        .destination("^44").build();
    assertEquals(a, same);
    assertEquals(a.hashCode(), same.hashCode());
    assertNotEquals(a, moreSeconds);
    assertNotEquals(a, withDestination);
    assertFalse(a.equals(null));
  }
}
