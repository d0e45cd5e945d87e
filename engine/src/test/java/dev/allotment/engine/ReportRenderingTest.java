package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.allotment.core.Assignment;
import dev.allotment.core.LineStatus;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

final class ReportRenderingTest {
  private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
  private final PackageBilling billing = PackageBilling.inMemory(Fixtures.clock());

  /**
   * a1: 30.00 / 12.00 USD monthly from Jan 1: Jan, Feb, Mar. a2: 19.99 / 3.33 EUR on the 1st from
   * Jan 15 on a DID, first period FREE: Feb and Mar.
   */
  private RunReport report(RunMode mode) {
    Fixtures.setUp(billing, Fixtures.mixedCatalog(), List.of(
        Assignment.builder("a1").customerId("c1").packageId("monthly-usd").startDate(JAN_1)
            .autoDecrementCredit(true).build(),
        Assignment.builder("a2").customerId("c2").did("442071234567").packageId("monthly-eur")
            .startDate(LocalDate.of(2026, 1, 15)).build()));
    return billing.run(MAR_1, mode);
  }

  private void defineUsd() {
    billing.define(dev.allotment.core.ServicePackage.builder("monthly-usd").name("Monthly USD").currency("USD")
        .retail("30.00").cost("12.00").frequency(dev.allotment.core.Frequency.MONTHLY).build());
  }

  @Test
  void theTextTableHasAlignedRowsForEveryLineAndATotalsBlockPerCurrency() {
    defineUsd();
    String text = report(RunMode.CHARGE).toText();

    assertTrue(text.startsWith("Run CHARGE 2026-03-01, scope all, 2 assignments\n"), text);
    List<String> lines = text.lines().toList();
    String header = lines.get(1);
    int status = header.indexOf("Status");
    int retail = header.indexOf("Retail") + "Retail".length();
    assertTrue(status > 0 && retail > 0, header);
    List<String> rows = lines.subList(3, 8);
    for (String key : List.of("a1/RECURRING/2026-01-01", "a1/RECURRING/2026-02-01", "a1/RECURRING/2026-03-01",
        "a2/RECURRING/2026-02-01", "a2/RECURRING/2026-03-01")) {
      assertEquals(1, rows.stream().filter(r -> r.startsWith(key + " ")).count(), key + " in\n" + text);
    }
    for (String row : rows) {
      assertEquals("CHARGED", row.substring(status), "status column of " + row);
      assertTrue(row.substring(0, retail).endsWith("30.00") || row.substring(0, retail).endsWith("19.99"),
          "retail right-aligned under its header: " + row);
    }
    assertTrue(rows.stream().anyMatch(r -> r.contains("442071234567")), "the DID is shown");
    assertTrue(Pattern.compile("EUR\\s+2\\s+39\\.98\\s+6\\.66\\s+33\\.32\\n").matcher(text).find(), text);
    assertTrue(Pattern.compile("USD\\s+3\\s+90\\.00\\s+36\\.00\\s+54\\.00\\n").matcher(text).find(), text);
    // Every figure ends under the end of its header, whatever the currency's widths.
    String totalsHeader = lines.stream().filter(l -> l.trim().startsWith("Cur ")).findFirst().orElseThrow();
    for (String currency : List.of("EUR", "USD")) {
      String row = lines.stream().filter(l -> l.trim().startsWith(currency + " ")).findFirst().orElseThrow();
      for (String column : List.of("Lines", "Retail", "Cost", "Margin")) {
        int end = totalsHeader.indexOf(column) + column.length();
        assertTrue(Character.isDigit(row.charAt(end - 1)) && (row.length() == end || row.charAt(end) == ' '),
            column + " right-aligned in\n" + totalsHeader + "\n" + row);
      }
    }
    assertTrue(text.contains("Lines: DUE 0, CHARGED 5, ALREADY_CHARGED 0, SKIPPED_NO_CREDIT 0"), text);
  }

  @Test
  void theJsonHasPlainDecimalStringsIsoDatesAndRoundTrips() throws Exception {
    defineUsd();
    RunReport report = report(RunMode.CHARGE);
    String json = report.toJson();

    JsonNode root = new ObjectMapper().readTree(json);
    assertEquals("2026-03-01", root.get("date").textValue());
    assertEquals("CHARGE", root.get("mode").textValue());
    assertEquals("all", root.get("scope").textValue());
    assertEquals(5, root.get("counts").get("CHARGED").intValue());
    assertEquals(5, root.get("lines").size());
    JsonNode first = root.get("lines").get(0);
    assertEquals("a1/RECURRING/2026-01-01", first.get("key").textValue());
    assertEquals("CHARGED", first.get("status").textValue());
    assertTrue(first.get("retail").isTextual(), "money is a string, never a float");
    assertEquals("30.00", first.get("retail").textValue());
    assertEquals("18.00", first.get("margin").textValue());
    assertEquals("USD", first.get("currency").textValue());
    assertEquals("2026-01-01", first.get("periodStart").textValue());
    assertEquals("2026-02-01", first.get("periodEndExclusive").textValue());
    assertTrue(first.get("did").isNull());
    assertTrue(first.get("autoDecrement").booleanValue());
    assertEquals("442071234567", root.get("lines").get(3).get("did").textValue());
    JsonNode eur = root.get("totals").get(0);
    assertEquals("EUR", eur.get("currency").textValue());
    assertEquals("33.32", eur.get("margin").textValue());

    assertEquals(report, RunReport.parseJson(json));
  }

  @Test
  void aSimulationOfOneCustomerRoundTripsWithItsScope() {
    defineUsd();
    report(RunMode.CHARGE);
    RunReport simulated = billing.run(RunRequest.of(LocalDate.of(2026, 4, 1), RunMode.SIMULATE).forCustomer("c2")
        .inPartition(0, 1));
    assertEquals(1, simulated.summary().count(LineStatus.DUE));
    assertEquals(simulated, RunReport.parseJson(simulated.toJson()));
    assertTrue(simulated.toText().contains("scope customer c2, partition 0/1"), simulated.toText());
    assertTrue(simulated.toText().contains("Totals of the lines due:"), simulated.toText());
  }

  @Test
  void aReportWhoseFiguresDisagreeWithItsLinesIsRefused() throws Exception {
    defineUsd();
    ObjectMapper mapper = new ObjectMapper();
    String json = report(RunMode.CHARGE).toJson();
    ObjectNode root = (ObjectNode) mapper.readTree(json);
    ((ObjectNode) root.get("totals").get(1)).put("retail", "91.00");
    IllegalArgumentException totals = assertThrows(IllegalArgumentException.class,
        () -> RunReport.parseJson(mapper.writeValueAsString(root)));
    assertTrue(totals.getMessage().contains("totals"), totals.getMessage());

    ObjectNode badLine = (ObjectNode) mapper.readTree(json);
    ((ObjectNode) badLine.get("lines").get(2)).put("retail", "thirty");
    IllegalArgumentException line = assertThrows(IllegalArgumentException.class,
        () -> RunReport.parseJson(mapper.writeValueAsString(badLine)));
    assertTrue(line.getMessage().contains("lines[2]") && line.getMessage().contains("'thirty'"), line.getMessage());

    ObjectNode badScope = (ObjectNode) mapper.readTree(json);
    badScope.put("scope", "customer c9");
    IllegalArgumentException scope = assertThrows(IllegalArgumentException.class,
        () -> RunReport.parseJson(mapper.writeValueAsString(badScope)));
    assertTrue(scope.getMessage().contains("scope 'customer c9'"), scope.getMessage());

    IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
        () -> RunReport.parseJson("{\"date\": "));
    assertTrue(malformed.getMessage().contains("not valid JSON"), malformed.getMessage());
  }

  @Test
  void anEmptyRunRendersToo() {
    RunReport empty = billing.run(MAR_1, RunMode.SIMULATE);
    assertTrue(empty.toText().contains("(no lines)"), empty.toText());
    assertTrue(empty.toText().contains("(none)"), empty.toText());
    assertEquals(empty, RunReport.parseJson(empty.toJson()));
  }
}
