package dev.allotment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input, one case per test: the exit code, a one-line message naming the input (and the line,
 * for files), and the database exactly as it was (every table's row count and checksum, the
 * journal's among them). The database holds the sample's catalog and a customer's assignments,
 * charged once, so there is something to leave unchanged.
 */
final class BadInputTest {
  @TempDir
  static Path directory;

  private static CliHarness cli;
  /** The database before every test: no refusal may change it. */
  private static DatabaseSnapshot initial;

  @BeforeAll
  static void customerCharged() throws IOException {
    cli = new CliHarness(directory);
    Files.writeString(directory.resolve("sample-catalog.json"), SampleData.catalogJson());
    cli.ok("catalog", "import", "sample-catalog.json");
    cli.ok("assign", "--customer", "cust-001", "--package", "did-rental", "--did", "442079460001", "--start",
        "2026-03-10", "--auto-decrement");
    cli.ok("assign", "--customer", "cust-001", "--package", "pbx-licence", "--quantity", "3", "--start", "2026-04-01",
        "--id", "cust-001-pbx", "--auto-decrement");
    cli.ok("assign", "--customer", "cust-001", "--package", "intl-1000", "--minutes", "1000", "--start", "2026-05-20");
    cli.ok("credit", "--customer", "cust-001", "--top-up", "500.00", "--key", "first-top-up");
    cli.ok("run", "--date", "2026-07-01");
    initial = DatabaseSnapshot.of(cli.data());
    if (initial.rows(DatabaseSnapshot.JOURNAL) == 0) {
      throw new IllegalStateException("the setup charged nothing: " + initial);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "run --customer nobody|1|allotment run: unknown customer 'nobody': no assignment names it",
      "run --date 2026-07-01 --customer nobody --simulate|1|allotment run: unknown customer 'nobody'",
      "balances --customer nobody|1|allotment balances: unknown customer 'nobody'",
      "upcoming --customer nobody --days 7|1|allotment upcoming: unknown customer 'nobody'",
      "credit --customer nobody --top-up 10.00|1|allotment credit: unknown customer 'nobody'",
      "assign --customer cust-001 --package nope --start 2026-07-01|1|allotment assign: unknown package 'nope'",
      "assign --customer cust-001 --package did-rental --start 2026-07-01 --retail -1|1|allotment assign: retail must"
          + " be >= 0, was -1",
      "unassign no-such-assignment --end 2026-08-01|1|allotment unassign: no assignment with id 'no-such-assignment'",
      "run --date 2026-13-01|2|allotment run: Invalid value for option '--date': '2026-13-01' is not a date",
      "run --date yesterday --simulate|2|allotment run: Invalid value for option '--date': 'yesterday' is not a date",
      "assign --customer cust-001 --package did-rental --start 1/7/2026|2|allotment assign: Invalid value for option"
          + " '--start': '1/7/2026' is not a date",
      "credit --customer cust-001 --top-up ten|2|allotment credit: Invalid value for option '--top-up': 'ten' is not"
          + " an amount",
      "credit --customer cust-001 --top-up 10.001|1|allotment credit: --top-up: amount must be rounded to the currency",
      "run --date 2026-07-01 --zone Mars/Olympus|1|allotment run: --zone: 'Mars/Olympus' is not a time zone",
      "run --dat 2026-07-01|2|allotment run: Unknown options: '--dat'",
      "run --date 2026-07-01 --partition 4/4|1|allotment run: --partition: '4/4' must be I/N with 0 <= I < N",
  })
  void refusesWithOneLineAndChangesNothing(String args, int exitCode, String message) {
    refused(exitCode, message, args.split(" "));
  }

  @Test
  void endingAnAssignmentBeforeItsMinimumDaysNamesTheFirstAllowedDate() {
    // The sample's PBX licence runs at least 365 days: from 2026-04-01, it may end on 2027-04-01 at the earliest.
    CliHarness.Result result = refused(1, "allotment unassign: ", "unassign", "cust-001-pbx", "--end", "2026-07-15");

    assertTrue(result.err().contains("2027-04-01"), result.toString());
  }

  @Test
  void aCallFileWithANonNumericDurationConsumesNothing() throws IOException {
    Path calls = write("calls.csv", "id,customer,did,number,start,duration",
        "bad-1,cust-001,,441234567890,2026-07-02T09:00:00Z,60",
        "bad-2,cust-001,,441234567890,2026-07-02T09:05:00Z,1m30");

    refused(1, "allotment consume: calls.csv line 3: duration '1m30' is not a whole number of seconds", "consume",
        calls.getFileName().toString());
  }

  @Test
  void aCallFileWithAMissingColumnConsumesNothing() throws IOException {
    write("short.csv", "id,customer,did,number,start,duration",
        "bad-3,cust-001,,441234567890,2026-07-02T09:00:00Z,60",
        "bad-4,cust-001,,441234567890,2026-07-02T09:05:00Z,60",
        "bad-5,cust-001,441234567890,2026-07-02T09:05:00Z,60");

    refused(1, "allotment consume: short.csv line 4: 5 values where the header names 6 columns", "consume",
        "short.csv");
  }

  @Test
  void aCallFileWhoseHeaderLacksAColumnConsumesNothing() throws IOException {
    write("nohead.csv", "id,customer,did,number,start", "bad-6,cust-001,,441234567890,2026-07-02T09:00:00Z");

    refused(1, "allotment consume: nohead.csv line 1: the header lacks the column 'duration'", "consume", "nohead.csv");
  }

  @Test
  void aCallFileWithABadNumberNamesTheLine() throws IOException {
    write("plus.csv", "id,customer,did,number,start,duration", "bad-7,cust-001,,+441234567890,2026-07-02T09:00:00Z,60");

    refused(1, "allotment consume: plus.csv line 2: number must contain digits only, was '+441234567890'", "consume",
        "plus.csv");
  }

  @Test
  void aMissingFileIsNamed() {
    refused(1, "allotment consume: missing.csv: no such file", "consume", "missing.csv");
  }

  @Test
  void aCatalogWithAnUnknownFieldNamesTheFieldsLineAndDefinesNothing() throws IOException {
    List<String> catalog = List.of(
        "{\"packages\": [",
        "  {\"id\": \"fine\", \"name\": \"Fine\", \"currency\": \"USD\", \"frequency\": \"DAILY\"},",
        "  {\"id\": \"typo\", \"name\": \"Typo\", \"currency\": \"USD\",",
        "   \"frequency\": \"MONTHLY\",",
        "   \"retial\": \"5.00\"}",
        "]}");
    write("catalog.json", catalog.toArray(String[]::new));

    refused(1, "allotment catalog import: catalog.json line 5: packages[1] has an unknown field 'retial'", "catalog",
        "import", "catalog.json");
  }

  @Test
  void aCatalogWithABadValueNamesItsLine() throws IOException {
    write("amount.json", "{\"packages\": [", "  {\"id\": \"x\", \"name\": \"X\", \"currency\": \"USD\",",
        "   \"frequency\": \"DAILY\",", "   \"retail\": \"five\"}]}");

    refused(1, "allotment catalog import: amount.json line 4: packages[0] (id 'x'): retail is not a decimal number",
        "catalog", "import", "amount.json");
  }

  @Test
  void malformedCatalogJsonNamesItsLine() throws IOException {
    write("broken.json", "{\"packages\": [", "  {\"id\": \"x\",, }", "]}");

    refused(1, "allotment catalog import: broken.json line 2: catalog JSON is not valid JSON at line 2", "catalog",
        "import", "broken.json");
  }

  @Test
  void changingAHeldPackagesCurrencyIsRefusedAtItsLine() throws IOException {
    write("currency.json", "{\"packages\": [",
        "  {\"id\": \"did-rental\", \"name\": \"DID rental\", \"currency\": \"EUR\", \"retail\": \"2.00\",",
        "   \"frequency\": \"MONTHLY\", \"frequencyMatch\": \"1\", \"minimumDays\": 30}]}");

    refused(1, "allotment catalog import: currency.json line 2: ", "catalog", "import", "currency.json");
  }

  @Test
  void anUnreachableDatabaseIsNamedAndNothingIsCreated() {
    Path elsewhere = directory.resolve("unreachable");

    CliHarness.Result result = refused(3, "allotment run: cannot reach the database (jdbc:postgresql://127.0.0.1:1/"
        + "billing?user=ops&password=***)", "run", "--data", elsewhere.toString(), "--jdbc-url",
        "jdbc:postgresql://127.0.0.1:1/billing?user=ops&password=secret");

    assertFalse(result.err().contains("secret"), "the password is never printed");
    assertFalse(Files.exists(elsewhere), "no embedded database was created instead");
  }

  @Test
  void aUrlOfAnotherDatabaseIsRefused() {
    refused(1, "allotment run: --jdbc-url: 'jdbc:mysql://127.0.0.1/billing' is neither a PostgreSQL URL", "run",
        "--jdbc-url", "jdbc:mysql://127.0.0.1/billing");
  }

  /** Runs a command that must be refused; checks its exit code, its one line, and the unchanged database. */
  private static CliHarness.Result refused(int exitCode, String message, String... args) {
    CliHarness.Result result = cli.run(args);

    assertEquals(exitCode, result.exitCode(), result.toString());
    assertTrue(result.err().startsWith(message), "expected '" + message + "...', got: " + result);
    assertEquals(1, result.err().lines().count(), "one line: " + result);
    assertEquals("", result.out(), result.toString());
    DatabaseSnapshot after = DatabaseSnapshot.of(cli.data());
    assertEquals(initial.rows(), after.rows(), "row counts unchanged by " + String.join(" ", args));
    assertEquals(initial.checksums(), after.checksums(), "contents (the journal's too) unchanged");
    return result;
  }

  private static Path write(String name, String... lines) throws IOException {
    return Files.write(directory.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }
}
