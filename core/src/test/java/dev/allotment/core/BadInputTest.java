package dev.allotment.core;

import static dev.allotment.core.Fixtures.d;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid package or assignment is refused with an {@link IllegalArgumentException} whose
 * message names the field and the bad value.
 */
final class BadInputTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectedNamingFieldAndValue(String label, String field, String value, Executable input) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, input);

    assertTrue(e.getMessage().contains(field), () -> "message names the field " + field + ": " + e.getMessage());
    assertTrue(e.getMessage().contains(value), () -> "message names the value " + value + ": " + e.getMessage());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // package amounts
        bad("negative retail", "retail", "-1", () -> pkg().retail("-1").build()),
        bad("negative cost", "cost", "-0.01", () -> pkg().cost("-0.01").build()),
        bad("negative setup retail", "setupRetail", "-5", () -> pkg().setupRetail("-5").build()),
        bad("negative setup cost", "setupCost", "-2.50", () -> pkg().setupCost("-2.50").build()),
        bad("retail not a number", "retail", "'12,50'", () -> pkg().retail("12,50").build()),
        bad("amount not a number", "amount", "'abc'", () -> Money.of("abc", "USD")),
        // currency
        bad("unknown currency", "currency", "ABC", () -> pkg().currency("ABC")),
        bad("lower-case currency", "currency", "usd", () -> Money.currency("usd")),
        bad("pseudo currency XXX", "currency", "XXX", () -> pkg().currency("XXX")),
        bad("pseudo currency XAU", "currency", "XAU", () -> Money.of("1", "XAU")),
        // frequency match
        bad("match day 0", "frequencyMatch", "0", () -> FrequencyMatch.daysOfMonth(0)),
        bad("match day 32", "frequencyMatch", "32", () -> FrequencyMatch.daysOfMonth(1, 32)),
        bad("match day -1 parsed", "frequencyMatch", "-1", () -> FrequencyMatch.parse("-1")),
        bad("match token not a day", "frequencyMatch", "'x'", () -> FrequencyMatch.parse("1,x")),
        bad("match token not a weekday", "frequencyMatch", "'FRX'", () -> FrequencyMatch.parse("MON,FRX")),
        bad("match with an empty first entry", "frequencyMatch", "',1'", () -> FrequencyMatch.parse(",1")),
        bad("match of a lone comma", "frequencyMatch", "','", () -> FrequencyMatch.parse(",")),
        bad("match with a trailing comma", "frequencyMatch", "'1,15,'", () -> FrequencyMatch.parse("1,15,")),
        bad("weekly match on a monthly package", "frequencyMatch", "MON",
            () -> pkg(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY)).build()),
        bad("monthly match on a weekly package", "frequencyMatch", "15",
            () -> pkg(Frequency.WEEKLY).frequencyMatch(FrequencyMatch.daysOfMonth(15)).build()),
        bad("match on DAILY", "frequencyMatch", "'17'",
            () -> pkg(Frequency.DAILY).frequencyMatch(FrequencyMatch.daysOfMonth(17)).build()),
        bad("match on YEARLY", "frequencyMatch", "'TUE'",
            () -> pkg(Frequency.YEARLY).frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.TUESDAY)).build()),
        bad("match on NONE", "frequencyMatch", "'MON,THU'",
            () -> pkg(Frequency.NONE).frequencyMatch(FrequencyMatch.parse("thu,monday")).build()),
        bad("match not fitting a schedule", "frequencyMatch", "'12'",
            () -> OccurrenceSchedule.of(Frequency.WEEKLY, FrequencyMatch.daysOfMonth(12), MonthEnd.CLAMP,
                d("2026-01-01"), null)),
        // other package fields
        bad("blank name", "name", "'   '", () -> ServicePackage.builder("p-1").name("   ").currency("USD")
            .frequency(Frequency.MONTHLY).build()),
        bad("package id with a slash", "id", "'p/1'", () -> ServicePackage.builder("p/1")),
        bad("invalid destination regex", "destination", "'^44|(91'", () -> DestinationPattern.parse("^44|(91")),
        bad("blank destination", "destination", "' '", () -> DestinationPattern.parse(" ")),
        bad("destination on a non-free-minutes package", "destination", "'^44|^91'",
            () -> pkg().destination("^44|^91").build()),
        bad("minimumDays < 0", "minimumDays", "-1", () -> pkg().minimumDays(-1).build()),
        bad("rounding increment 0", "roundingIncrementSeconds", "0", () -> pkg().roundingIncrementSeconds(0).build()),
        bad("rounding increment 3601", "roundingIncrementSeconds", "3601",
            () -> pkg().roundingIncrementSeconds(3601).build()),
        bad("minimumSpend with NONE", "minimumSpend", "NONE",
            () -> pkg(Frequency.NONE).minimumSpend(true).build()),
        bad("blank feature key", "features", "' '", () -> pkg().features("voicemail", " ")),
        // assignments
        bad("end before start", "endDate", "2026-02-28",
            () -> assignment().endDate(d("2026-02-28")).build()),
        bad("end moved before start", "endDate", "2026-02-01",
            () -> assignment().build().withEndDate(d("2026-02-01"), pkg().build())),
        bad("quantity 0", "quantity", "0", () -> assignment().quantity(0).build()),
        bad("quantity -3", "quantity", "-3", () -> assignment().quantity(-3).build()),
        bad("minutes 0", "minutes", "was 0", () -> assignment().minutes(0).build()),
        bad("minutes -5", "minutes", "-5", () -> assignment().minutes(-5).build()),
        bad("minutes x quantity overflow", "minutes", "2000000 x 1000",
            () -> assignment().minutes(2_000_000).quantity(1000).build()),
        bad("minutes missing on a free-minutes package", "minutes", "missing",
            () -> assignment().build().checkAgainst(pkg().types(PackageType.FREE_MINUTES).build())),
        bad("minutes on a non-free-minutes package", "minutes", "was 30",
            () -> assignment().minutes(30).build().checkAgainst(pkg().build())),
        bad("assignment of another package", "packageId", "'p-1'",
            () -> Assignment.builder("a-1").customerId("c-1").packageId("p-2").startDate(d("2026-03-01")).build()
                .checkAgainst(pkg().build())),
        bad("DID with non-digits", "did", "'+4420'", () -> assignment().did("+4420")),
        bad("DID with letters", "did", "'44abc'", () -> assignment().did("44abc")),
        bad("blank customer id", "customerId", "''",
            () -> Assignment.builder("a-1").customerId("")),
        bad("whitespace customer id", "customerId", "'  '",
            () -> Assignment.builder("a-1").customerId("  ")),
        bad("start date before 1900", "startDate", "1899-12-31",
            () -> Assignment.builder("a-1").customerId("c-1").packageId("p-1").startDate(d("1899-12-31")).build()),
        bad("end date after 9999-12-30", "endDate", "9999-12-31",
            () -> assignment().endDate(d("9999-12-31")).build()),
        bad("end date far out", "endDate", "+10000-01-01",
            () -> assignment().build().withEndDate(LocalDate.of(10000, 1, 1), pkg().build())));
  }

  private static Arguments bad(String label, String field, String value, Executable input) {
    return Arguments.of(label, field, value, input);
  }

  private static ServicePackageBuilder pkg() {
    return pkg(Frequency.MONTHLY);
  }

  private static ServicePackageBuilder pkg(Frequency frequency) {
    return ServicePackage.builder("p-1").name("Plan").currency("USD").frequency(frequency);
  }

  private static AssignmentBuilder assignment() {
    return Assignment.builder("a-1").customerId("c-1").packageId("p-1").startDate(d("2026-03-01"));
  }
}
