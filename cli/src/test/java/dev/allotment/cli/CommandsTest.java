package dev.allotment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.ServicePackage;
import dev.allotment.engine.CatalogJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands beside the sample's day: the catalog's round trip, an assignment's life (assign,
 * run, unassign into a charged period, reinstate), calls as CSV and with local times, help,
 * version and completion.
 */
final class CommandsTest {
  @TempDir
  Path directory;

  private CliHarness cli;

  @BeforeEach
  void catalog() throws IOException {
    cli = new CliHarness(directory);
    Files.writeString(directory.resolve("catalog.json"), SampleData.catalogJson());
    String imported = cli.ok("catalog", "import", "catalog.json");
    assertTrue(imported.startsWith("Imported 10 packages from catalog.json: "), imported);
  }

  @Test
  void theCatalogExportsWhatWasImported() throws IOException {
    cli.ok("catalog", "export", "-o", "exported.json");

    // Exported in id order, every field.
    List<ServicePackage> sample = CatalogJson.parse(SampleData.catalogJson()).stream()
        .sorted(Comparator.comparing(ServicePackage::id)).toList();
    assertEquals(sample, CatalogJson.parse(Files.readString(directory.resolve("exported.json"))));
    assertEquals(sample, CatalogJson.parse(cli.ok("catalog", "export")));
    String list = cli.ok("catalog", "list");
    assertTrue(list.contains("min-spend-100") && list.contains("MINIMUM_SPEND") && list.contains("^44|^91|^1"), list);
  }

  /** did-rental at 2.00 a month; own 1.50: 15-31 January 17/31 of 1.50 = 0.82, then 1.50 for February. */
  @Test
  void anAssignmentWithItsOwnPriceIsChargedAtIt() {
    String assigned = cli.ok("assign", "--customer", "acme", "--package", "did-rental", "--did", "442079460002",
        "--start", "2026-01-15", "--retail", "1.50", "--setup-retail", "0");
    assertTrue(assigned.contains("own prices [retail=1.5 setupRetail=0]"), assigned);
    String charged = cli.ok("run", "--date", "2026-02-01", "--customer", "acme");
    assertTrue(Pattern.compile("(?m)^\\s+USD\\s+2\\s+2\\.32\\s").matcher(charged).find(), charged);
  }

  /**
   * did-rental at 2.00 a month from 1 January; from 11 April 2 units: April's 20/30 back (-1.33) and
   * a successor stub of 20/30 x 2 x 2.00 = 2.67, no setup (same package).
   */
  @Test
  void aQuantityChangeCreditsTheOldPeriodAndBillsTheSuccessorsStub() {
    cli.ok("assign", "--customer", "acme", "--package", "did-rental", "--did", "442079460003", "--start", "2026-01-01");
    String id = "acme-did-rental-442079460003-2026-01-01";
    cli.ok("run", "--date", "2026-04-01");
    String changed = cli.ok("change", id, "--on", "2026-04-11", "--quantity", "2");
    assertTrue(changed.contains(id + "~2026-04-11 (did-rental x2) starts on 2026-04-11"), changed);
    String run = cli.ok("run", "--date", "2026-04-15");
    assertTrue(run.lines().anyMatch(l -> l.contains("ADJUSTMENT") && l.contains("-1.33")), run);
    assertTrue(run.lines().anyMatch(l -> l.contains("RECURRING") && l.contains("2026-04-11..2026-04-30")
        && l.contains("20/30") && l.contains("2.67")), run);
    assertTrue(run.lines().noneMatch(l -> l.contains("SETUP") && l.contains("DUE")), run);
  }

  /** Suspended 11-20 March: March keeps 10/31 of 2.00 (0.65, so -1.35 back); resumed on 21 March: 11/31 (0.71). */
  @Test
  void aSuspensionCreditsTheCutPeriodAndAResumeBillsAStub() {
    cli.ok("assign", "--customer", "acme", "--package", "did-rental", "--did", "442079460004", "--start", "2026-01-01");
    String id = "acme-did-rental-442079460004-2026-01-01";
    cli.ok("run", "--date", "2026-03-01");
    assertTrue(cli.ok("suspend", id, "--from", "2026-03-11").contains("suspended from 2026-03-11"));
    String suspended = cli.ok("run", "--date", "2026-03-15");
    assertTrue(suspended.lines().anyMatch(l -> l.contains("ADJUSTMENT") && l.contains("-1.35")), suspended);
    cli.ok("resume", id, "--on", "2026-03-21");
    String resumed = cli.ok("run", "--date", "2026-03-25");
    assertTrue(resumed.lines().anyMatch(l -> l.contains("RECURRING") && l.contains("11/31") && l.contains("0.71")),
        resumed);
    refusedResume(id);
  }

  private void refusedResume(String id) {
    CliHarness.Result again = cli.run("resume", id, "--on", "2026-03-28");
    assertEquals(1, again.exitCode(), again.toString());
    assertTrue(again.err().contains("is not suspended"), again.toString());
  }

  /**
   * A fleet run from the command line charges what a plain run charges (every partition claimed by
   * the one engine), says it is done, and a second engine then finds nothing left to charge.
   */
  @Test
  void aFleetRunChargesEveryPartitionAndSaysItIsDone() {
    for (String customer : new String[] {"acme", "globex", "initech"}) {
      cli.ok("assign", "--customer", customer, "--package", "did-rental", "--did", "44207946000" + customer.length(),
          "--start", "2026-01-01");
    }
    String simulated = cli.ok("run", "--date", "2026-07-01", "--simulate");
    String fleet = cli.ok("run", "--date", "2026-07-01", "--fleet", "node-1");
    assertTrue(fleet.contains("Fleet run charge-2026-07-01 as node-1: 16 partitions charged here"), fleet);
    assertTrue(fleet.contains("The run is done"), fleet);
    String due = simulated.lines().filter(l -> l.startsWith("Lines: DUE")).findFirst().orElseThrow();
    String lines = due.replaceAll("Lines: DUE (\\d+),.*", "$1");
    assertTrue(fleet.contains(", " + lines + " lines charged here."), fleet + "\n" + due);
    assertTrue(Integer.parseInt(lines) >= 3 * 7, "a setup or more and January to July of three assignments: " + due);
    String second = cli.ok("run", "--date", "2026-07-01", "--fleet", "node-2");
    assertTrue(second.contains("0 partitions charged here, 0 lines charged here.") && second.contains("done"), second);
    CliHarness.Result refused = cli.run("run", "--fleet", "node-3", "--simulate");
    assertEquals(1, refused.exitCode(), refused.toString());
  }

  @Test
  void anAssignmentEndedInAChargedPeriodIsAdjustedAndReinstated() {
    String assigned = cli.ok("assign", "--customer", "acme", "--package", "did-rental", "--did", "442079460001",
        "--start", "2026-01-15", "--auto-decrement");
    assertTrue(assigned.startsWith("Assigned acme-did-rental-442079460001-2026-01-15: did-rental"), assigned);
    assertTrue(cli.ok("assign", "--customer", "acme", "--package", "did-rental", "--did", "442079460001", "--start",
        "2026-01-15", "--auto-decrement").startsWith("Already assigned with these terms"));
    String id = "acme-did-rental-442079460001-2026-01-15";
    cli.ok("credit", "--customer", "acme", "--top-up", "20.00", "--key", "t1");

    // 15-31 January is 17/31 of 2.00 = 1.10; then 2.00 for February, March, April.
    String charged = cli.ok("run", "--date", "2026-04-01");
    assertTrue(Pattern.compile("(?m)^\\s+USD\\s+4\\s+7\\.10\\s").matcher(charged).find(), charged);
    cli.ok("unassign", id, "--end", "2026-04-10");
    String adjusted = cli.ok("run", "--date", "2026-04-15");
    cli.ok("reinstate", id);
    String reinstated = cli.ok("run", "--date", "2026-04-15");

    // April is now worth 10/30 of 2.00 = 0.67: 1.33 back; reinstated, it is charged again.
    assertTrue(adjusted.lines().anyMatch(l -> l.contains("ADJUSTMENT") && l.contains("10/30") && l.contains("-1.33")),
        adjusted);
    assertTrue(reinstated.lines().anyMatch(l -> l.contains("ADJUSTMENT") && l.contains(" 1.33")), reinstated);
    assertTrue(cli.ok("credit", "--customer", "acme").contains("USD    12.90"));
  }

  @Test
  void eventsAreReadAfterACursorAsATableOrJson() throws IOException {
    cli.ok("assign", "--customer", "acme", "--package", "intl-1000", "--minutes", "1000", "--start", "2026-07-01");
    cli.ok("run", "--date", "2026-07-01");

    String table = cli.ok("events");
    assertTrue(table.contains("ASSIGNMENT_CHANGED") && table.contains("LINE_CHARGED") && table.contains("GRANT_ISSUED"),
        table);
    assertTrue(table.contains("4 events; the last cursor is 4 (pass it as --after to read on)"), table);
    List<String> json = cli.ok("events", "--after", "1", "--json").lines().toList();
    assertEquals(3, json.size(), json.toString());
    com.fasterxml.jackson.databind.JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.get(0));
    assertEquals(2, first.get("cursor").longValue());
    assertEquals("allotment.event/1", first.get("schema").textValue());
    assertEquals("LINE_CHARGED", first.get("type").textValue());
    assertEquals("No events after cursor 4.", cli.ok("events", "--after", "4").strip());
    CliHarness.Result refused = cli.run("events", "--limit", "0");
    assertEquals(CliException.INPUT, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("--limit must be within 1..10000, was 0"), refused.toString());
  }

  @Test
  void callsComeAsCsvToo() throws IOException {
    cli.ok("assign", "--customer", "acme", "--package", "intl-1000", "--minutes", "1000", "--start", "2026-07-01");
    cli.ok("run", "--date", "2026-07-01");
    Files.write(directory.resolve("calls.csv"), List.of("start,duration,number,customer,id,switch",
        "2026-07-02T10:00,125,442071234567,acme,c-1,sw-9", "2026-07-02T09:05:00Z,61,4930123456,acme,c-2,sw-9"),
        StandardCharsets.UTF_8);

    String csv = cli.ok("consume", "calls.csv", "--csv", "--zone", "Europe/London");

    assertEquals(List.of("id,customer,did,number,start,duration,rounded,covered,uncovered",
        "c-1,acme,,442071234567,2026-07-02T09:00:00Z,125,180,180,0",
        "c-2,acme,,4930123456,2026-07-02T09:05:00Z,61,61,0,61"), csv.lines().toList());
  }

  @Test
  void aCallIdConsumedBeforeForAnotherCallRefusesTheWholeFile() throws IOException {
    cli.ok("assign", "--customer", "acme", "--package", "intl-1000", "--minutes", "1000", "--start", "2026-07-01");
    cli.ok("assign", "--customer", "bob", "--package", "intl-1000", "--minutes", "1000", "--start", "2026-07-01");
    cli.ok("run", "--date", "2026-07-01");
    Files.write(directory.resolve("monday.csv"), List.of("id,customer,number,start,duration",
        "c-1,acme,442071234567,2026-07-06T10:00:00Z,125"), StandardCharsets.UTF_8);
    cli.ok("consume", "monday.csv");
    Files.write(directory.resolve("tuesday.csv"), List.of("id,customer,number,start,duration",
        "c-9,bob,442071234567,2026-07-07T10:00:00Z,60", "c-1,acme,442071234567,2026-07-07T11:00:00Z,300"),
        StandardCharsets.UTF_8);
    DatabaseSnapshot before = DatabaseSnapshot.of(cli.data());

    CliHarness.Result refused = cli.run("consume", "tuesday.csv");

    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(refused.err().startsWith("allotment consume: tuesday.csv line 3: call id 'c-1' was consumed before for"
        + " another call (customer acme to 442071234567 at 2026-07-06T10:00:00Z for 125 s)"), refused.toString());
    assertEquals(before, DatabaseSnapshot.of(cli.data()), "bob's call on line 2 was not consumed either");
  }

  @Test
  void helpVersionAndCompletion() {
    assertTrue(cli.ok("--help").contains("run"));
    assertTrue(cli.ok("run", "--help").contains("--simulate"));
    assertTrue(cli.ok("--version").startsWith("allotment "));
    assertTrue(cli.ok("generate-completion").contains("complete"));
    CliHarness.Result noSubcommand = cli.run("catalog");
    assertEquals(2, noSubcommand.exitCode(), noSubcommand.toString());
  }
}
