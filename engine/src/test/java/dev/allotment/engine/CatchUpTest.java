package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A year of daily CHARGE runs for a mixed catalog produces exactly the journal, balances and grants
 * of one CHARGE on the last day on fresh stores: downtime is caught up line for line.
 */
final class CatchUpTest {
  private static final LocalDate LAST = LocalDate.of(2026, 12, 31);

  @Test
  void aYearOfDailyRunsEqualsOneRunOnTheLastDay() {
    List<Assignment> assignments = Fixtures.mixedAssignments(40, JAN_1);

    World daily = new World(CreditPolicy.ALLOW_NEGATIVE, 50).define(Fixtures.mixedCatalog(), assignments);
    long charged = 0;
    for (LocalDate day = JAN_1; !day.isAfter(LAST); day = day.plusDays(1)) {
      daily.clock.setDate(day);
      RunReport report = daily.clean().run(RunMode.CHARGE);
      assertEquals(0, report.summary().count(LineStatus.SKIPPED_NO_CREDIT));
      charged += report.summary().count(LineStatus.CHARGED);
    }

    World once = new World(CreditPolicy.ALLOW_NEGATIVE, 50).define(Fixtures.mixedCatalog(), assignments);
    RunReport single = once.clean().run(LAST, RunMode.CHARGE);

    World.Outcome expected = once.outcome();
    World.assertSameOutcome(expected, daily.outcome(), "a year of daily runs");
    assertEquals(single.summary().count(LineStatus.CHARGED), charged, "lines charged over the year");
    Set<LineKind> kinds = expected.journal().values().stream().flatMap(List::stream).map(l -> l.kind())
        .collect(Collectors.toSet());
    assertEquals(Set.of(LineKind.SETUP, LineKind.RECURRING, LineKind.FREE_MINUTES, LineKind.MINIMUM_SPEND), kinds,
        "the catalog exercises every kind but ADJUSTMENT (no end date moves here)");
    assertTrue(charged > 2000, "a year of a mixed catalog is substantial: " + charged);
  }
}
