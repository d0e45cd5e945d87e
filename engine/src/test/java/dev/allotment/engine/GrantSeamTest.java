package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.spi.ForwardingChargeJournal;
import dev.allotment.spi.InMemoryChargeJournal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FREE_MINUTES lines reach the grant seam before their journal entry, exactly once per journal
 * commit, and only in CHARGE runs.
 */
final class GrantSeamTest {
  /** What happened, in order: a grant call or a journal commit, with its lines. */
  private record Event(String what, List<ChargeLine> lines) {}

  private final List<Event> events = new ArrayList<>();

  private final class RecordingJournal extends ForwardingChargeJournal {
    RecordingJournal() {
      super(new InMemoryChargeJournal());
    }

    @Override
    public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
      events.add(new Event("journal", List.copyOf(lines)));
      return delegate.commit(lines, watermarks);
    }
  }

  @Test
  void freeMinuteLinesReachTheSeamBeforeTheirJournalCommitOncePerCommit() {
    PackageBilling billing = PackageBilling.builder().clock(Fixtures.clock()).journal(new RecordingJournal())
        .grantWriter(lines -> events.add(new Event("grants", List.copyOf(lines)))).batchSize(4).build();
    Fixtures.setUp(billing, Fixtures.mixedCatalog(), Fixtures.mixedAssignments(24, JAN_1));
    LocalDate date = LocalDate.of(2026, 5, 1);

    billing.run(date, RunMode.SIMULATE);
    assertEquals(List.of(), events, "a simulation writes nothing, grants included");

    RunReport report = billing.run(date, RunMode.CHARGE);

    List<ChargeLine> granted = new ArrayList<>();
    List<ChargeLine> pendingGrants = List.of();
    int commits = 0;
    for (Event event : events) {
      if (event.what().equals("grants")) {
        assertEquals(List.of(), pendingGrants, "two grant calls for one commit");
        assertTrue(event.lines().stream().allMatch(l -> l.kind() == LineKind.FREE_MINUTES), event.toString());
        pendingGrants = event.lines();
        granted.addAll(event.lines());
      } else {
        commits++;
        List<ChargeLine> freeMinutes = event.lines().stream().filter(l -> l.kind() == LineKind.FREE_MINUTES).toList();
        assertEquals(freeMinutes, pendingGrants, "the grants written just before commit " + commits);
        pendingGrants = List.of();
      }
    }
    List<ChargeLine> expected = report.lines(LineStatus.CHARGED).stream().map(l -> l.line())
        .filter(l -> l.kind() == LineKind.FREE_MINUTES).toList();
    assertTrue(expected.size() >= 6, "several grants over several batches: " + expected.size());
    assertTrue(commits > 10, "small batches: " + commits);
    assertEquals(expected.size(), granted.size());
    assertEquals(new java.util.HashSet<>(expected), new java.util.HashSet<>(granted));
    assertTrue(expected.stream().allMatch(l -> l.grantSeconds() > 0));

    events.clear();
    billing.run(date, RunMode.CHARGE);
    assertTrue(events.stream().noneMatch(e -> e.what().equals("grants")), "nothing due, nothing granted");
  }

  @Test
  void theDefaultSeamDoesNothingAndTheLinesStayInReportAndJournal() {
    PackageBilling billing = PackageBilling.inMemory(Fixtures.clock());
    Fixtures.setUp(billing, Fixtures.mixedCatalog(), List.of(Assignment.builder("a1").customerId("c1")
        .packageId("minutes").startDate(JAN_1).minutes(200).quantity(2).build()));

    RunReport report = billing.run(LocalDate.of(2026, 2, 1), RunMode.CHARGE);

    List<ChargeLine> grants = report.lines(LineStatus.CHARGED).stream().map(l -> l.line())
        .filter(l -> l.kind() == LineKind.FREE_MINUTES).toList();
    assertEquals(2, grants.size());
    assertEquals(200 * 2 * 60, grants.get(0).grantSeconds(), "minutes x quantity x 60 for a whole month");
    assertEquals(2, report.summary().grants());
    assertEquals(48_000, report.summary().grantSeconds());
    assertEquals(4, billing.journal().lines("a1").size(), "two RECURRING and two FREE_MINUTES lines");
  }
}
