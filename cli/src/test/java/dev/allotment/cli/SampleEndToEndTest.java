package dev.allotment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.allotment.core.Assignment;
import dev.allotment.core.PackageType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's day on the sample, command after command in one data directory, as the README's
 * first command runs it: init --sample, a simulation, a charge, a second charge, the calls, the
 * balances, what falls due, credit. Every figure of the reports is compared with
 * {@link ExpectedBilling}, which computes them again from the rules without the engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class SampleEndToEndTest {
  private static final String RUN_DATE = SampleData.SUGGESTED_RUN_DATE.toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOTALS_ROW = Pattern.compile("(?m)^\\s+([A-Z]{3})\\s+(\\d+)\\s+(-?[\\d.]+)\\s+(-?[\\d.]+)"
      + "\\s+(-?[\\d.]+)$");

  @TempDir
  static Path directory;

  private static CliHarness cli;
  private static SampleData.Sample sample;
  private static List<ExpectedBilling.Line> expected;
  /** Consume's rows, for the balances that follow. */
  private static List<String[]> consumeRows = List.of();

  @BeforeAll
  static void sample() {
    cli = new CliHarness(directory);
    sample = SampleData.generate();
    expected = ExpectedBilling.due(sample, SampleData.SUGGESTED_RUN_DATE);
  }

  @Test
  @Order(1)
  void initLoadsTheSampleAndWritesItsCatalogAndCalls() throws IOException {
    String out = cli.ok("init", "--sample");

    assertTrue(out.contains("200 customers"), out);
    DatabaseSnapshot loaded = DatabaseSnapshot.of(cli.data());
    assertEquals(10, loaded.rows("ALLOTMENT_PACKAGE"));
    assertEquals(sample.assignments().size(), loaded.rows("ALLOTMENT_ASSIGNMENT"));
    assertTrue(sample.assignments().size() > 600, "a sample of some size: " + sample.assignments().size());
    assertTrue(sample.assignments().stream().anyMatch(a -> a.did().isPresent())
        && sample.assignments().stream().anyMatch(a -> a.did().isEmpty()), "customer- and DID-level assignments");
    assertTrue(sample.assignments().stream().anyMatch(a -> a.endDate().isPresent()), "some end dates");
    assertTrue(sample.assignments().stream().anyMatch(a -> a.quantity() > 1), "some quantities");
    List<String> calls = Files.readAllLines(cli.data().resolve("sample-cdrs.csv"), StandardCharsets.UTF_8);
    assertEquals("id,customer,did,number,start,duration", calls.get(0));
    assertEquals(10_001, calls.size());
    assertEquals(SampleData.catalogJson(), Files.readString(cli.data().resolve("sample-catalog.json")));

    String again = cli.ok("init", "--sample");
    assertTrue(again.contains("(0 new)"), again);
    assertEquals(loaded, DatabaseSnapshot.of(cli.data()), "loading the sample again changes nothing");
  }

  @Test
  @Order(2)
  void aSimulationReportsTheExpectedLinesAndWritesNothing() throws IOException {
    DatabaseSnapshot before = DatabaseSnapshot.of(cli.data());

    JsonNode report = JSON.readTree(cli.ok("run", "--date", RUN_DATE, "--simulate", "--json"));
    String text = cli.ok("run", "--date", RUN_DATE, "--simulate");

    assertEquals("SIMULATE", report.get("mode").asText());
    assertEquals(expected.size(), report.get("counts").get("DUE").asLong());
    assertEquals(expected.size(), report.get("lines").size());
    assertEquals(expectedTotals(), jsonTotals(report));
    assertEquals(expectedTotals(), textTotals(text));
    assertEquals(expected.stream().filter(l -> l.kind().equals("FREE_MINUTES")).count(),
        report.get("grants").get("count").asLong());
    assertEquals(expected.stream().mapToLong(ExpectedBilling.Line::grantSeconds).sum(),
        report.get("grants").get("seconds").asLong());
    assertEquals(expectedLineKeys(), jsonLineKeys(report), "the same lines, kind by kind and date by date");
    assertTrue(text.contains("Lines: DUE " + expected.size() + ", CHARGED 0,"), text);
    assertEquals(before, DatabaseSnapshot.of(cli.data()), "a simulation writes nothing");
  }

  @Test
  @Order(3)
  void aChargeCommitsExactlyTheExpectedLinesAndDebitsPrepaidCredit() {
    String text = cli.ok("run", "--date", RUN_DATE);

    assertEquals(expectedTotals(), textTotals(text));
    assertTrue(text.contains("Lines: DUE 0, CHARGED " + expected.size() + ", ALREADY_CHARGED 0"), text);
    assertEquals(expected.size(), DatabaseSnapshot.of(cli.data()).rows(DatabaseSnapshot.JOURNAL));
    // Prepaid customers: their top-up less every line of theirs, all auto-decrement.
    List<SampleData.Customer> prepaid = sample.customers().stream().filter(SampleData.Customer::prepaid).limit(5)
        .toList();
    for (SampleData.Customer customer : prepaid) {
      BigDecimal topUp = sample.credits().stream().filter(c -> c.customerId().equals(customer.id())
          && c.amount().currency().getCurrencyCode().equals("USD")).map(c -> c.amount().amount())
          .reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal debited = expected.stream().filter(l -> l.customerId().equals(customer.id()) && l.autoDecrement()
          && l.currency().equals("USD")).map(ExpectedBilling.Line::retail).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertEquals(topUp.subtract(debited).setScale(2), usd(cli.ok("credit", "--customer", customer.id())),
          customer.id());
    }
  }

  @Test
  @Order(4)
  void aSecondChargeChargesNothingNew() throws IOException {
    DatabaseSnapshot before = DatabaseSnapshot.of(cli.data());

    String text = cli.ok("run", "--date", RUN_DATE);
    JsonNode report = JSON.readTree(cli.ok("run", "--date", RUN_DATE, "--json"));

    assertTrue(text.contains("Nothing new: this run charged no line"), text);
    assertTrue(text.contains("CHARGED 0,"), text);
    assertEquals(0, report.get("counts").get("CHARGED").asLong());
    assertTrue(report.get("counts").get("ALREADY_CHARGED").asLong() > 0);
    assertEquals(before, DatabaseSnapshot.of(cli.data()));
  }

  @Test
  @Order(5)
  void consumeCoversOnlyTheCallsAGrantServes() {
    List<String[]> rows = consumed(cli.ok("consume", "allotment-data/sample-cdrs.csv"));
    consumeRows = rows;

    assertEquals(10_000, rows.size());
    Set<String> withBundles = sample.assignments().stream()
        .filter(a -> sample.packages().get(a.packageId()).types().contains(PackageType.FREE_MINUTES))
        .map(Assignment::customerId).collect(Collectors.toSet());
    long covered = 0;
    for (String[] row : rows) {
      long rounded = Long.parseLong(row[7]);
      long coveredSeconds = Long.parseLong(row[8]);
      assertEquals(rounded, coveredSeconds + Long.parseLong(row[9]), String.join(" ", row));
      String number = row[4];
      if (coveredSeconds > 0) {
        assertTrue(withBundles.contains(row[2]), "covered only for a customer with a bundle: " + String.join(" ", row));
        assertTrue(number.matches("(44|91|1|33).*"), "covered only where a destination matches: " + number);
        assertEquals(0, rounded % (number.startsWith("33") ? 30 : 60), "rounded to the grant's increment");
      }
      covered += coveredSeconds;
    }
    assertTrue(covered > 0 && rows.stream().anyMatch(r -> r[8].equals("0")), "some calls covered, some not");
    assertEquals(10_000, DatabaseSnapshot.of(cli.data()).rows("ALLOTMENT_FREE_MINUTE_USAGE"));
  }

  @Test
  @Order(6)
  void balancesShowTheSecondsTheCallsOfTheMonthUsed() throws IOException {
    Map<String, Long> juneCovered = new HashMap<>();
    for (String[] row : consumeRows) {
      if (Instant.parse(row[5]).isBefore(Instant.parse("2026-07-01T00:00:00Z"))) {
        juneCovered.merge(row[2], Long.parseLong(row[8]), Long::sum);
      }
    }
    String customer = juneCovered.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    // Reported again, calls return their first results and use nothing more.
    List<String> calls = Files.readAllLines(cli.data().resolve("sample-cdrs.csv"), StandardCharsets.UTF_8);
    Files.write(directory.resolve("replay.csv"), calls.subList(0, 501), StandardCharsets.UTF_8);
    assertTrue(cli.ok("consume", "replay.csv", "--summary").startsWith("Calls: 500 ("));

    String balances = cli.ok("balances", "--customer", customer, "--at", "2026-06-30T23:59:59Z");

    Matcher total = Pattern.compile("Total: (\\d+):(\\d\\d) used of").matcher(balances);
    assertTrue(total.find(), balances);
    assertEquals((long) juneCovered.get(customer), Long.parseLong(total.group(1)) * 60 + Long.parseLong(total.group(2)),
        balances);
  }

  @Test
  @Order(7)
  void upcomingListsWhatFallsDueInTheNextDays() {
    Assignment rental = sample.assignments().stream()
        .filter(a -> a.packageId().equals("did-rental") && a.endDate().isEmpty()).findFirst().orElseThrow();

    String upcoming = cli.ok("upcoming", "--customer", rental.customerId(), "--days", "30");

    assertTrue(upcoming.contains("from 2026-07-10 to 2026-08-08"), upcoming);
    assertTrue(upcoming.lines().anyMatch(l -> l.startsWith("2026-08-01") && l.contains(rental.did().orElseThrow())
        && l.contains("did-rental")), upcoming);
  }

  @Test
  @Order(8)
  void aTopUpIsCreditedOnceByItsKey() {
    String customer = sample.customers().get(0).id();
    BigDecimal before = usd(cli.ok("credit", "--customer", customer));

    cli.ok("credit", "--customer", customer, "--top-up", "25.00", "--key", "desk-42");
    String again = cli.ok("credit", "--customer", customer, "--top-up", "25.00", "--key", "desk-42");

    assertTrue(again.contains("was applied before"), again);
    assertEquals(before.add(new BigDecimal("25.00")), usd(again));
  }

  private static BigDecimal usd(String credit) {
    Matcher usd = Pattern.compile("(?m)^USD\\s+(-?[\\d.]+)$").matcher(credit);
    assertTrue(usd.find(), credit);
    return new BigDecimal(usd.group(1));
  }

  /** The per-call rows of consume's table: Line Call Customer DID Number Start Seconds Rounded Covered Uncovered. */
  private static List<String[]> consumed(String out) {
    List<String[]> rows = new ArrayList<>();
    for (String line : out.lines().toList()) {
      String[] cells = line.strip().split("\\s+");
      if (cells.length == 10 && cells[0].matches("\\d+")) {
        rows.add(cells);
      }
    }
    return rows;
  }

  private static Map<String, List<String>> expectedTotals() {
    Map<String, List<String>> totals = new TreeMap<>();
    ExpectedBilling.totals(expected).forEach((currency, t) -> totals.put(currency, List.of(Long.toString(t.lines()),
        t.retail().toPlainString(), t.cost().toPlainString(), t.margin().toPlainString())));
    return totals;
  }

  private static Map<String, List<String>> jsonTotals(JsonNode report) {
    Map<String, List<String>> totals = new TreeMap<>();
    for (JsonNode t : report.get("totals")) {
      totals.put(t.get("currency").asText(), List.of(t.get("lines").asText(), t.get("retail").asText(),
          t.get("cost").asText(), t.get("margin").asText()));
    }
    return totals;
  }

  private static Map<String, List<String>> textTotals(String text) {
    Map<String, List<String>> totals = new TreeMap<>();
    Matcher row = TOTALS_ROW.matcher(text);
    while (row.find()) {
      totals.put(row.group(1), List.of(row.group(2), row.group(3), row.group(4), row.group(5)));
    }
    return totals;
  }

  private static List<String> expectedLineKeys() {
    return expected.stream().map(l -> l.assignmentId() + " " + l.kind() + " " + l.due() + " " + l.retail().toPlainString()
        + " " + l.grantSeconds()).sorted(Comparator.naturalOrder()).toList();
  }

  private static List<String> jsonLineKeys(JsonNode report) {
    List<String> keys = new ArrayList<>();
    for (JsonNode line : report.get("lines")) {
      String assignment = line.get("key").asText().split("/")[0];
      keys.add(assignment + " " + line.get("kind").asText() + " " + LocalDate.parse(line.get("dueDate").asText()) + " "
          + line.get("retail").asText() + " " + line.get("grantSeconds").asLong());
    }
    keys.sort(Comparator.naturalOrder());
    return keys;
  }
}
