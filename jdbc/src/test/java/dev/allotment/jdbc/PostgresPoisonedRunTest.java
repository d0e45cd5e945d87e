package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineStatus;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunFailure;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import dev.allotment.spi.EventType;
import dev.allotment.spi.StoredEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One assignment PostgreSQL refuses to store does not stop a run for everyone after it: 3,000
 * assignments, the database rejecting one's line as the issue's {@code NUMERIC(19, 6)} overflow did
 * (SQL state 22003, from a trigger standing in for the value core no longer lets through).
 */
final class PostgresPoisonedRunTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  private static final int ASSIGNMENTS = 3_000;
  private static final String POISONED = "a-01500";
  private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);

  private static void execute(String sql) throws SQLException {
    try (Connection connection = DB.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection = DB.dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theRunChargesEveryOtherAssignmentReportsTheFailureAndChargesItOnceFixed() throws SQLException {
    JdbcStores stores = DB.freshStores();
    PackageBilling billing = PackageBilling.builder().clock(EngineFixtures.clock()).stores(stores).build();
    billing.define(ServicePackage.builder("m").name("Monthly").currency("USD").retail("10.00")
        .frequency(Frequency.MONTHLY).build());
    for (int i = 0; i < ASSIGNMENTS; i++) {
      billing.assign(Assignment.builder(String.format("a-%05d", i)).customerId("c" + i % 97).packageId("m")
          .startDate(LocalDate.of(2026, 1, 1)).autoDecrementCredit(i % 2 == 0)
          .build());
    }
    execute("CREATE FUNCTION allotment_test_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        + " IF NEW.assignment_id = '" + POISONED + "' THEN"
        + " RAISE EXCEPTION 'numeric field overflow' USING ERRCODE = '22003'; END IF; RETURN NEW; END $$");
    execute("CREATE TRIGGER allotment_test_poison BEFORE INSERT ON allotment_charge_line"
        + " FOR EACH ROW EXECUTE FUNCTION allotment_test_poison()");

    RunReport report = billing.run(MAR_1, RunMode.CHARGE);

    assertEquals((ASSIGNMENTS - 1) * 3, report.summary().count(LineStatus.CHARGED), "2,999 assignments charged");
    assertEquals(1, report.summary().failures().size());
    RunFailure failure = report.summary().failures().get(0);
    assertEquals(POISONED, failure.assignmentId());
    assertEquals(RunFailure.Stage.WRITING, failure.stage());
    assertTrue(failure.error().contains("SQL state 22003") && failure.error().contains("numeric field overflow"),
        failure.error());
    assertTrue(report.toJson().contains("\"assignmentId\" : \"" + POISONED + "\""), "the JSON names it");
    assertEquals((ASSIGNMENTS - 1) * 3, count("SELECT COUNT(*) FROM allotment_charge_line"));
    assertEquals(0, count("SELECT COUNT(*) FROM allotment_charge_line WHERE assignment_id = '" + POISONED + "'"));
    List<String> failed = List.of("ASSIGNMENT_FAILED:" + POISONED + "@2026-03-01");
    assertEquals(failed, failedEvents(stores), "the failure is an event, in a unit of work of its own");

    execute("DROP TRIGGER allotment_test_poison ON allotment_charge_line"); // the poison is fixed
    RunReport fixed = billing.run(MAR_1, RunMode.CHARGE);

    assertEquals(List.of(), fixed.summary().failures());
    assertEquals(3, fixed.summary().count(LineStatus.CHARGED), "the poisoned assignment's three months, once");
    assertEquals(ASSIGNMENTS * 3, count("SELECT COUNT(*) FROM allotment_charge_line"));
    List<String> keys = StateKeys.journal();
    assertEquals(keys.size(), new HashSet<>(keys).size(), "nothing charged twice");
    assertEquals(ASSIGNMENTS / 2 * 3, count("SELECT COUNT(*) FROM allotment_credit_entry"),
        "one debit per auto-decrement line");
    assertEquals(0, billing.run(MAR_1, RunMode.CHARGE).summary().count(LineStatus.CHARGED));
    assertEquals(failed, failedEvents(stores), "announced once");
  }

  /** The ids of the outbox's ASSIGNMENT_FAILED events, read page by page after the cursor. */
  private static List<String> failedEvents(JdbcStores stores) {
    List<String> ids = new ArrayList<>();
    long after = 0;
    for (List<StoredEvent> page = stores.events().read(after, 10_000); !page.isEmpty();
        page = stores.events().read(after, 10_000)) {
      for (StoredEvent e : page) {
        if (e.event().type() == EventType.ASSIGNMENT_FAILED) {
          ids.add(e.event().id());
        }
        after = e.cursor();
      }
    }
    return ids;
  }

  /** The journal's keys, read straight from the table. */
  private static final class StateKeys {
    static List<String> journal() {
      return StoreState.journalKeys(DB.dataSource());
    }
  }
}
