package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.LineStatus;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Catalog and report JSON are read strictly: one document, each key once, amounts bounded cheaply. */
final class StrictJsonTest {
  private static final String PACKAGE = "{\"id\": \"p\", \"name\": \"P\", \"currency\": \"USD\", \"frequency\": \"DAILY\"%s}";

  private static String catalog(String extra) {
    return "{\"packages\": [" + String.format(PACKAGE, extra) + "]}";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "trailing garbage       | {\"packages\": []} x                      | catalog JSON is not valid JSON",
      "a second document      | {\"packages\": []} {\"packages\": []}     | catalog JSON is not valid JSON",
      "a duplicate top key    | {\"packages\": [], \"packages\": []}      | Duplicate field 'packages'"})
  void aCatalogIsOneDocumentWithEachKeyOnce(String name, String json, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse(json));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void aKeyGivenTwiceInAPackageIsRefusedNotSilentlyTheLastOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CatalogJson.parse(catalog(", \"retail\": \"1\", \"retail\": \"100\"")));
    assertTrue(e.getMessage().contains("Duplicate field 'retail'"), e.getMessage());
  }

  @ParameterizedTest(name = "retail {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "1E+999999999       | retail must have at most 7 integer and 6 fraction digits, was 1E+999999999",
      "\"1E+999999999\"   | retail must have at most 7 integer and 6 fraction digits, was 1E+999999999",
      "-1E+999999999      | retail must have at most 7 integer and 6 fraction digits, was -1E+999999999",
      "1E-999999999       | retail must have at most 7 integer and 6 fraction digits, was 1E-999999999",
      "10000000           | retail must have at most 7 integer and 6 fraction digits, was 10000000",
      "\"0.0000001\"      | retail must have at most 7 integer and 6 fraction digits, was 0.0000001"})
  void hugeAndOverPreciseAmountsAreRefusedCheaplyNamingTheField(String amount, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CatalogJson.parse(catalog(", \"retail\": " + amount)));
    assertTrue(e.getMessage().startsWith("packages[0] (id 'p'): " + message), e.getMessage());
  }

  @Test
  void aTextAmountLongerThanAnyPriceIsRefusedBeforeItIsParsed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CatalogJson.parse(catalog(", \"cost\": \"" + "9".repeat(100_000) + "\"")));
    assertTrue(e.getMessage().contains("cost is not a decimal number of at most 100 characters"), e.getMessage());
  }

  @Test
  void aReportIsOneDocumentWithEachKeyOnce() {
    PackageBilling billing = PackageBilling.inMemory(Fixtures.clock());
    billing.define(Fixtures.monthly("m"));
    RunReport report = billing.run(LocalDate.of(2026, 3, 1), RunMode.SIMULATE);
    String json = report.toJson();
    assertEquals(report, RunReport.parseJson(json));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunReport.parseJson(json + " ]"))
        .getMessage().startsWith("report JSON is not valid JSON"));
    String twice = json.replaceFirst("\"mode\" : \"SIMULATE\"", "\"mode\" : \"SIMULATE\", \"mode\" : \"CHARGE\"");
    assertTrue(!twice.equals(json), "the key was doubled");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunReport.parseJson(twice));
    assertTrue(e.getMessage().contains("Duplicate field 'mode'"), e.getMessage());
    assertEquals(List.of(), report.lines(LineStatus.CHARGED));
  }
}
