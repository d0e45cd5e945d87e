package dev.allotment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on PostgreSQL with one flag: {@code --jdbc-url}. Runs on the PostgreSQL that
 * {@code scripts/test} starts ({@code allotment.pg.url} or {@code ALLOTMENT_PG_URL}), in a schema
 * of its own, dropped afterwards; skipped, saying so, without one (plain {@code mvn verify}).
 */
final class PostgresCliTest {
  @TempDir
  static Path directory;

  private static String url;
  private static String schema;

  @BeforeAll
  static void schema() throws SQLException {
    String server = setting("allotment.pg.url");
    if (server == null) {
      return; // the test itself says it is skipped, so that surefire counts it
    }
    schema = "allotment_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(server, "CREATE SCHEMA " + schema);
    url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (schema != null) {
      execute(setting("allotment.pg.url"), "DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Test
  void theSampleRunsOnPostgresqlAsOnTheEmbeddedDatabase() throws IOException, SQLException {
    Assumptions.assumeTrue(url != null, "no PostgreSQL: set allotment.pg.url or ALLOTMENT_PG_URL (scripts/test does)"
        + " to run the CLI on PostgreSQL");
    CliHarness cli = new CliHarness(directory);
    SampleData.Sample sample = SampleData.generate();
    List<ExpectedBilling.Line> expected = ExpectedBilling.due(sample, SampleData.SUGGESTED_RUN_DATE);

    String init = cli.ok("init", "--sample", "--jdbc-url", url);
    JsonNode simulated = new ObjectMapper().readTree(cli.ok("run", "--date", "2026-07-01", "--simulate", "--json",
        "--jdbc-url", url));
    cli.ok("run", "--date", "2026-07-01", "--jdbc-url", url);
    String again = cli.ok("run", "--date", "2026-07-01", "--jdbc-url", url);

    assertTrue(init.contains("Database ready: jdbc:postgresql:"), init);
    assertEquals(expected.size(), simulated.get("counts").get("DUE").asLong());
    assertTrue(again.contains("Nothing new"), again);
    assertEquals(expected.size(), count("SELECT count(*) FROM " + schema + ".allotment_charge_line"));
    assertTrue(Files.notExists(cli.data().resolve("allotment.mv.db")), "no embedded database was created");
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(setting("allotment.pg.url"));
        Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(String server, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String setting(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return value == null || value.isBlank() ? null : value.strip();
  }
}
