package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one set of bounds every store accepts: ids, amounts, quantities, dates, instants and text. */
final class LimitsTest {
  private static final LocalDate D = LocalDate.of(2026, 3, 1);

  private static IllegalArgumentException refused(String field, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(field + " "), () -> "'" + e.getMessage() + "' should name " + field);
    return e;
  }

  @ParameterizedTest(name = "look-alike id {0} is refused")
  @ValueSource(strings = {"base-m\u200B\u202E", "a\u00A0b", "a\u2007b", "a\u200Cb", "a\u200Db", "a\u2060b",
      "\uFEFFa", "a\u202Db", "a\u2066b", "a\u00ADb", "a\uE000b", "e\u0301t\u00E9", "a\uD800", "\uDC00a", "a\u0378",
      "a\u0085b", "a\u2028b", "a\u3000b", "a/b", "a#b", "a b", "a\tb"})
  void lookAlikeIdsAreRefusedNamingTheField(String id) {
    IllegalArgumentException e = refused("customerId", () -> Assignment.builder("a").customerId(id));
    assertTrue(e.getMessage().contains("customerId must"), e.getMessage());
    refused("id", () -> ServicePackage.builder(id));
    refused("usageId", () -> UsageRecord.of(id, "c", "44", Instant.EPOCH, 1));
  }

  @ParameterizedTest(name = "id {0} is accepted")
  @ValueSource(strings = {"cust-042", "Ünïcode✓", "caf\u00E9", "東京-1", "a84b4c76e66710@pc33.atlanta.com",
      "x!$%&'()*+,-.:;<=>?@[\\]^_`{|}~", "𝔘-supplementary", "ü"})
  void idsOfTheAlphabetAreAccepted(String id) {
    assertEquals(id, Assignment.builder(id).customerId(id).packageId(id).startDate(D).build().customerId());
    assertTrue(Ids.isValid(id));
  }

  @Test
  void theInvisibleCharacterIsShownEscapedInTheMessage() {
    IllegalArgumentException e = refused("packageId", () -> Assignment.builder("a").packageId("base-m\u200B\u202E"));
    assertTrue(e.getMessage().contains("U+200B at index 6") && e.getMessage().contains("'base-m\\u200B\\u202E'"),
        e.getMessage());
  }

  @Test
  void aHugeExponentIsRefusedWithoutBeingExpanded() {
    // toPlainString() of this would be a billion characters: the check and the message never expand it.
    IllegalArgumentException e = refused("retail", () -> ServicePackage.builder("p").retail("1E+999999999"));
    assertTrue(e.getMessage().endsWith("was 1E+999999999"), e.getMessage());
    refused("cost", () -> ServicePackage.builder("p").cost(new BigDecimal("1E-999999999")));
    refused("setupRetail", () -> ServicePackage.builder("p").setupRetail(new BigDecimal("-1E+2147483647")));
    assertEquals("1E+999999999 GBP", Money.of(new BigDecimal("1E+999999999"), Money.currency("GBP")).toString());
  }

  @Test
  void unitPricesHaveSevenIntegerAndSixFractionDigits() {
    assertEquals(new BigDecimal("9999999.999999"),
        ServicePackage.builder("p").name("P").currency("USD").frequency(Frequency.MONTHLY).retail("9999999.999999")
            .build().retail().amount());
    refused("retail", () -> ServicePackage.builder("p").retail("10000000"));
    refused("cost", () -> ServicePackage.builder("p").cost("0.0000001"));
    assertEquals(new BigDecimal("1.50000000"), Limits.unitAmount("x", new BigDecimal("1.50000000")),
        "trailing zeros do not count");
    refused("amount", () -> Limits.amount("amount", new BigDecimal("10000000000000")));
    assertEquals(new BigDecimal("9999999999999.999999"), Limits.amount("amount", new BigDecimal("9999999999999.999999")));
  }

  @Test
  void theLargestPriceTimesTheLargestQuantityIsALineEveryStoreKeeps() {
    ServicePackage p = ServicePackage.builder("p").name("P").currency("USD").frequency(Frequency.MONTHLY)
        .retail("9999999.999999").build();
    Assignment a = Assignment.builder("a").customerId("c").packageId("p").quantity(Limits.MAX_QUANTITY).startDate(D)
        .build();
    ChargeLine line = Planner.plan(p, a, ChargeHistory.EMPTY, java.util.Map.of(), D).due().get(0);
    assertEquals(new BigDecimal("9999999999999.00"), line.retail().amount(), "13 integer digits: NUMERIC(19, 6) keeps it");
    assertEquals(line.retail().amount(), Limits.amount("retail", line.retail().amount()));
  }

  @Test
  void quantitiesAreBounded() {
    refused("quantity", () -> Assignment.builder("a").customerId("c").packageId("p").startDate(D)
        .quantity(Limits.MAX_QUANTITY + 1).build());
    refused("quantity", () -> Assignment.builder("a").customerId("c").packageId("p").startDate(D)
        .quantity(Integer.MAX_VALUE).build());
    refused("quantity", () -> Assignment.builder("a").customerId("c").packageId("p").startDate(D).quantity(0).build());
  }

  @Test
  void billingDatesEndSoThatEveryPeriodEndsByYear9999() {
    refused("startDate", () -> Assignment.builder("a").customerId("c").packageId("p")
        .startDate(LocalDate.of(1899, 12, 31)).build());
    refused("endDate", () -> Assignment.builder("a").customerId("c").packageId("p").startDate(D)
        .endDate(LocalDate.of(9999, 1, 1)).build());
    refused("startDate", () -> Assignment.builder("a").customerId("c").packageId("p").startDate(LocalDate.MAX).build());
    Assignment last = Assignment.builder("a").customerId("c").packageId("y").startDate(Limits.LAST_DATE).build();
    ServicePackage yearly = ServicePackage.builder("y").name("Y").currency("USD").frequency(Frequency.YEARLY)
        .retail("1").build();
    ChargeLine line = Planner.plan(yearly, last, ChargeHistory.EMPTY, java.util.Map.of(), Limits.LAST_DATE).due()
        .get(0);
    assertEquals(LocalDate.of(9999, 12, 31), line.period().endExclusive());
    refused("date", () -> Planner.plan(yearly, last, ChargeHistory.EMPTY, java.util.Map.of(),
        LocalDate.of(9999, 12, 31)));
  }

  @Test
  void instantsAreWholeMicrosecondsWithinYears1To9999() {
    refused("start", () -> UsageRecord.of("u", "c", "44", Instant.parse("2026-03-01T10:00:00.000000001Z"), 1));
    refused("start", () -> UsageRecord.of("u", "c", "44", Instant.parse("+10000-01-01T00:00:00Z"), 1));
    refused("start", () -> UsageRecord.of("u", "c", "44", Instant.MIN, 1));
    assertEquals(Limits.LAST_INSTANT, UsageRecord.of("u", "c", "44", Limits.LAST_INSTANT, 1).start());
    refused("validFrom", () -> Grant.builder("g").validFrom(Instant.parse("2026-03-01T10:00:00.0000005Z")));
  }

  @Test
  void textHoldsNoNulNoUnpairedSurrogateAndNoControlCharacter() {
    refused("name", () -> ServicePackage.builder("p").name("a\u0000b"));
    refused("name", () -> ServicePackage.builder("p").name("a\uD800b"));
    refused("description", () -> ServicePackage.builder("p").description("\uDC00"));
    refused("name", () -> ServicePackage.builder("p").name("bell\u0007"));
    refused("features", () -> ServicePackage.builder("p").features("voice\u0000mail"));
    refused("name", () -> ServicePackage.builder("p").name("n".repeat(Limits.MAX_NAME_LENGTH + 1)));
    assertEquals("tab\tline\nemoji \uD83D\uDE00", ServicePackage.builder("p").name("tab\tline\nemoji \uD83D\uDE00")
        .currency("USD").frequency(Frequency.NONE).build().name());
  }
}
