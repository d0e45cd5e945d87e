package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import java.time.DayOfWeek;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class CatalogJsonTest {
  /** Every field away from its default. */
  private static final ServicePackage GOLD = ServicePackage.builder("gold").name("Gold").description("Gold plan, \"quoted\"")
      .currency("EUR").retail("10.505").cost("4.25").setupRetail("25").setupCost("5.5").frequency(Frequency.WEEKLY)
      .frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY, DayOfWeek.THURSDAY)).monthEnd(MonthEnd.SKIP)
      .firstPeriod(FirstPeriod.FULL).minimumDays(30).minimumSpend(true).types(PackageType.FREE_MINUTES)
      .destination("^44|^91").features("voicemail", "ivr").roundingIncrementSeconds(60).notificationDays(7)
      .lowBalancePercent(20).build();
  private static final ServicePackage MONTH_ENDS = ServicePackage.builder("month-ends").name("Month ends")
      .currency("USD").retail("30").frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1, 15, 31))
      .firstPeriod(FirstPeriod.FREE).build();
  private static final ServicePackage PLAIN = ServicePackage.builder("plain").name("Plain").currency("JPY")
      .frequency(Frequency.NONE).setupRetail("1000").build();

  private static final String VALID = "{\"packages\": [{\"id\": \"p1\", \"name\": \"P1\", \"currency\": \"USD\", "
      + "\"retail\": \"10.00\", \"frequency\": \"MONTHLY\"%s}]}";

  @Test
  void everyFieldRoundTrips() {
    List<ServicePackage> catalog = List.of(GOLD, MONTH_ENDS, PLAIN, Fixtures.monthly("m"));
    assertEquals(catalog, CatalogJson.parse(CatalogJson.write(catalog)));
  }

  @Test
  void exportWritesEveryFieldOfEveryPackage() throws Exception {
    JsonNode packages = new ObjectMapper().readTree(CatalogJson.write(List.of(GOLD, PLAIN))).get("packages");
    Set<String> expected = new TreeSet<>(List.of("id", "name", "description", "currency", "retail", "cost",
        "setupRetail", "setupCost", "frequency", "frequencyMatch", "monthEnd", "firstPeriod", "minimumDays",
        "minimumSpend", "types", "destination", "features", "roundingIncrementSeconds", "notificationDays",
        "lowBalancePercent"));
    for (JsonNode p : packages) {
      Set<String> fields = new TreeSet<>();
      for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
        fields.add(it.next());
      }
      assertEquals(expected, fields);
    }
    JsonNode gold = packages.get(0);
    assertEquals("10.505", gold.get("retail").textValue(), "exact, not rounded to the currency");
    assertEquals("MON,THU", gold.get("frequencyMatch").textValue());
    assertEquals("^44|^91", gold.get("destination").textValue());
    assertEquals(60, gold.get("roundingIncrementSeconds").intValue());
    assertEquals(7, gold.get("notificationDays").intValue());
    assertEquals(20, gold.get("lowBalancePercent").intValue());
    assertEquals(0, packages.get(1).get("notificationDays").intValue(), "the default: no announcement");
    assertTrue(packages.get(1).get("destination").isNull());
  }

  @Test
  void theEngineExportsAndImportsItsCatalog() {
    PackageBilling source = PackageBilling.inMemory(Fixtures.clock());
    List.of(GOLD, MONTH_ENDS, PLAIN).forEach(source::define);
    PackageBilling target = PackageBilling.inMemory(Fixtures.clock());

    List<ServicePackage> imported = target.importCatalog(source.exportCatalog());

    assertEquals(List.of(GOLD, MONTH_ENDS, PLAIN), imported);
    assertEquals(source.packages(), target.packages());
  }

  @Test
  void aMinimalPackageTakesTheBuilderDefaults() {
    ServicePackage p = CatalogJson.parse(String.format(VALID, ", \"cost\": 4.5")).get(0);
    assertEquals(ServicePackage.builder("p1").name("P1").currency("USD").retail("10.00").cost("4.5")
        .frequency(Frequency.MONTHLY).build(), p);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '#', value = {
      "unknown field             # , \"colour\": \"red\"               # unknown field 'colour'",
      "negative retail           # , \"cost\": \"-1\"                  # cost must be >= 0, was -1",
      "amount not a number       # , \"setupRetail\": \"ten\"          # setupRetail is not a decimal number: 'ten'",
      "amount of the wrong type  # , \"setupCost\": true               # setupCost must be a decimal string or number",
      "match day outside 1..31   # , \"frequencyMatch\": \"1,32\"      # within 1..31, was 32",
      "bad weekday               # , \"frequencyMatch\": \"MON,FUNDAY\" # not a weekday: 'FUNDAY'",
      "bad regex                 # , \"types\": [\"FREE_MINUTES\"], \"destination\": \"^44|(\" # destination is not a valid pattern: '^44|('",
      "destination without type  # , \"destination\": \"^44\"          # destination is only allowed on a FREE_MINUTES package",
      "negative minimum days     # , \"minimumDays\": -1               # minimumDays must be >= 0, was -1",
      "fractional minimum days   # , \"minimumDays\": 1.5              # minimumDays must be an integer, was 1.5",
      "unknown type              # , \"types\": [\"BUNDLE\"]            # types must be one of [FREE_MINUTES], was 'BUNDLE'",
      "types not an array        # , \"types\": \"FREE_MINUTES\"        # types must be an array of strings",
      "minimum spend not boolean # , \"minimumSpend\": \"yes\"         # minimumSpend must be true or false",
      "unknown month end         # , \"monthEnd\": \"LAST\"            # monthEnd must be one of [CLAMP, SKIP], was 'LAST'",
      "blank feature             # , \"features\": [\" \"]             # features must not contain a blank key",
      "rounding out of range     # , \"roundingIncrementSeconds\": 0   # roundingIncrementSeconds must be within 1..3600, was 0"})
  void badFieldsAreRefusedNamingTheFieldAndValue(String name, String extra, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CatalogJson.parse(String.format(VALID, extra)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().startsWith("packages[0]"), "names the package: " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed          | {\"packages\": [                                       | catalog JSON is not valid JSON at line 1",
      "not an object      | []                                                      | must be an object with a \"packages\" array",
      "extra top field    | {\"packages\": [], \"version\": 2}                       | unknown field 'version'",
      "missing name       | {\"packages\": [{\"id\": \"p\", \"currency\": \"USD\", \"frequency\": \"DAILY\"}]} | packages[0] (id 'p'): name is required",
      "blank name         | {\"packages\": [{\"id\": \"p\", \"name\": \" \", \"currency\": \"USD\", \"frequency\": \"DAILY\"}]} | name must not be blank",
      "missing id         | {\"packages\": [{\"name\": \"P\"}]}                       | packages[0]: id is required",
      "unknown currency   | {\"packages\": [{\"id\": \"p\", \"name\": \"P\", \"currency\": \"USX\", \"frequency\": \"DAILY\"}]} | currency is not an ISO 4217 code: 'USX'",
      "bad frequency      | {\"packages\": [{\"id\": \"p\", \"name\": \"P\", \"currency\": \"USD\", \"frequency\": \"MONTHY\"}]} | frequency must be one of [NONE, DAILY, WEEKLY, MONTHLY, YEARLY], was 'MONTHY'",
      "match for daily    | {\"packages\": [{\"id\": \"p\", \"name\": \"P\", \"currency\": \"USD\", \"frequency\": \"DAILY\", \"frequencyMatch\": \"1\"}]} | frequencyMatch is not allowed for frequency DAILY, was '1'",
      "duplicate id       | {\"packages\": [{\"id\": \"p\", \"name\": \"P\", \"currency\": \"USD\", \"frequency\": \"DAILY\"}, {\"id\": \"p\", \"name\": \"Q\", \"currency\": \"USD\", \"frequency\": \"DAILY\"}]} | packages[1]: id 'p' appears twice"})
  void badDocumentsAreRefusedWithClearMessages(String name, String json, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse(json));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void aBadDocumentImportsNothing() {
    PackageBilling billing = PackageBilling.inMemory(Fixtures.clock());
    String json = "{\"packages\": [" + CatalogJson.write(List.of(PLAIN)).replaceAll("(?s)^.*?\\[(.*)\\]\\s*}\\s*$", "$1")
        + ", {\"id\": \"q\", \"name\": \"Q\", \"currency\": \"USD\", \"frequency\": \"HOURLY\"}]}";
    assertThrows(IllegalArgumentException.class, () -> billing.importCatalog(json));
    assertEquals(List.of(), billing.packages());

    billing.define(PLAIN);
    String incompatible = CatalogJson.write(List.of(MONTH_ENDS, ServicePackage.builder("plain").name("Plain")
        .currency("USD").frequency(Frequency.NONE).build()));
    assertThrows(PackageChangeException.class, () -> billing.importCatalog(incompatible));
    assertEquals(List.of(PLAIN), billing.packages(), "checked before anything was stored");
  }
}
