package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.recurring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ChargeJournal} must meet. Extend it and return a fresh, empty journal
 * from {@link #newJournal()}. Lines use assignment ids "a1".."a9"/"a-*", customer "c-"+assignment
 * and package "p1"; a store that checks references must accept them.
 */
public abstract class ChargeJournalContract {
  private ChargeJournal journal;

  /** A fresh, empty journal. */
  protected abstract ChargeJournal newJournal();

  @BeforeEach
  void setUpJournal() {
    journal = newJournal();
  }

  private static List<ChargeLine> months(String assignmentId, int count) {
    List<ChargeLine> lines = new ArrayList<>();
    for (int m = 0; m < count; m++) {
      lines.add(recurring(assignmentId, JAN_1.plusMonths(m), "10.00"));
    }
    return lines;
  }

  @Test
  void committedLinesAreFoundExactly() {
    ChargeLine line = recurring("a1", JAN_1, "12.34");
    assertEquals(1, journal.commit(List.of(line), Map.of("a1", JAN_1)));
    assertEquals(Optional.of(line), journal.find(line.key()));
    assertEquals(List.of(line), journal.lines("a1"));
  }

  @Test
  void aHeldKeyIsNeverStoredTwiceAndTheFirstLineStays() {
    ChargeLine first = recurring("a1", JAN_1, "10.00");
    ChargeLine sameKeyOtherAmount = recurring("a1", JAN_1, "99.00");
    assertEquals(1, journal.commit(List.of(first), Map.of()));
    assertEquals(0, journal.commit(List.of(first, sameKeyOtherAmount), Map.of()));
    assertEquals(List.of(first), journal.lines("a1"));
  }

  @Test
  void duplicatesWithinOneCommitAreStoredOnce() {
    ChargeLine line = recurring("a1", JAN_1, "10.00");
    assertEquals(1, journal.commit(List.of(line, line), Map.of()));
    assertEquals(1, journal.lines("a1").size());
  }

  @Test
  void watermarkOnlyMovesForward() {
    journal.commit(months("a1", 3), Map.of("a1", LocalDate.of(2026, 3, 1)));
    journal.commit(List.of(), Map.of("a1", LocalDate.of(2026, 2, 1)));
    ChargeHistory history = journal.histories(List.of(new HistoryRequest("a1", Optional.empty()))).get("a1");
    assertEquals(Optional.of(LocalDate.of(2026, 3, 1)), history.decidedThrough());
  }

  @Test
  void historyHoldsOnlyTheTailAfterTheWatermark() {
    journal.commit(months("a1", 12), Map.of("a1", LocalDate.of(2026, 12, 1)));
    ChargeHistory history = journal.histories(List.of(new HistoryRequest("a1", Optional.empty()))).get("a1");
    // Only December's line reaches past the watermark (its period ends 2027-01-01).
    assertEquals(List.of(LineKey.of("a1", LineKind.RECURRING, LocalDate.of(2026, 12, 1))),
        history.lines().stream().map(ChargeLine::key).toList());
  }

  @Test
  void repriceFromWidensTheTail() {
    journal.commit(months("a1", 12), Map.of("a1", LocalDate.of(2026, 12, 1)));
    ChargeHistory history = journal.histories(
        List.of(new HistoryRequest("a1", Optional.of(LocalDate.of(2026, 10, 16))))).get("a1");
    assertEquals(List.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 1)),
        history.lines().stream().map(l -> l.period().start()).sorted().toList());
  }

  @Test
  void withoutAWatermarkTheWholeHistoryIsReturned() {
    journal.commit(months("a1", 4), Map.of());
    ChargeHistory history = journal.histories(List.of(new HistoryRequest("a1", Optional.empty()))).get("a1");
    assertEquals(Optional.empty(), history.decidedThrough());
    assertEquals(4, history.lines().size());
  }

  @Test
  void linesDueAfterTheWatermarkAreReturnedEvenWhenTheirPeriodEndedEarlier() {
    // An adjustment falls due on the run date, long after the period it adjusts.
    ChargeLine charged = recurring("a1", JAN_1, "10.00");
    ChargeLine late = new ChargeLine(LineKey.adjustment("a1", JAN_1, 1), charged.customerId(), charged.did(),
        charged.packageId(), charged.period(), LocalDate.of(2026, 6, 15), 1, charged.unitPrice(), charged.unitCost(),
        charged.proration(), ContractFixtures.usd("-5.00"), charged.cost(), 0, Optional.empty(), false);
    journal.commit(List.of(charged, late), Map.of("a1", LocalDate.of(2026, 6, 1)));
    ChargeHistory history = journal.histories(List.of(new HistoryRequest("a1", Optional.empty()))).get("a1");
    assertEquals(List.of(late), history.lines());
  }

  @Test
  void unknownAssignmentsHaveAnEmptyHistory() {
    Map<String, ChargeHistory> histories = journal.histories(List.of(new HistoryRequest("nobody", Optional.empty())));
    ChargeHistory history = histories.getOrDefault("nobody", ChargeHistory.EMPTY);
    assertEquals(ChargeHistory.EMPTY, history);
  }

  @Test
  void historiesOfManyAssignmentsComeBackInOneCall() {
    for (int i = 1; i <= 9; i++) {
      journal.commit(months("a" + i, i), Map.of("a" + i, JAN_1.plusMonths(i - 1)));
    }
    List<HistoryRequest> requests = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      requests.add(new HistoryRequest("a" + i, Optional.empty()));
    }
    Map<String, ChargeHistory> histories = journal.histories(requests);
    for (int i = 1; i <= 9; i++) {
      ChargeHistory history = histories.get("a" + i);
      assertEquals(Optional.of(JAN_1.plusMonths(i - 1)), history.decidedThrough());
      assertEquals(1, history.lines().size(), "a" + i);
    }
  }

  @Test
  void concurrentCommitsOfTheSameLinesStoreEachOnce() throws Exception {
    List<ChargeLine> lines = new ArrayList<>();
    for (int a = 0; a < 20; a++) {
      lines.addAll(months("a-" + a, 12));
    }
    java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
    ConcurrentRunner.run(4, 3, (thread, i) -> {
      List<ChargeLine> shuffled = new ArrayList<>(lines);
      java.util.Collections.shuffle(shuffled, new java.util.Random(thread * 31L + i));
      added.addAndGet(journal.commit(shuffled, Map.of()));
    });
    assertEquals(lines.size(), added.get());
    for (int a = 0; a < 20; a++) {
      assertEquals(12, journal.lines("a-" + a).size());
    }
  }

  @Test
  void concurrentWatermarksKeepTheLatest() throws Exception {
    ConcurrentRunner.run(4, 50, (thread, i) ->
        journal.commit(List.of(), Map.of("a1", JAN_1.plusDays(thread * 50L + i))));
    ChargeHistory history = journal.histories(List.of(new HistoryRequest("a1", Optional.empty()))).get("a1");
    assertEquals(Optional.of(JAN_1.plusDays(199)), history.decidedThrough());
    assertTrue(history.lines().isEmpty());
  }

  @Test
  void intendedLinesArePendingUntilCommittedOrAbandoned() {
    ChargeLine jan = recurring("a1", JAN_1, "10.00");
    ChargeLine feb = recurring("a1", JAN_1.plusMonths(1), "10.00");
    ChargeLine other = recurring("a2", JAN_1, "5.00");
    journal.intend(List.of(jan, feb, other));
    assertEquals(Map.of("a1", List.of(jan, feb), "a2", List.of(other)),
        journal.pending(List.of("a1", "a2", "a3")));

    journal.commit(List.of(jan), Map.of("a1", JAN_1));
    assertEquals(Map.of("a1", List.of(feb), "a2", List.of(other)), journal.pending(List.of("a1", "a2")));
    journal.abandon(List.of(feb.key(), LineKey.of("a9", LineKind.SETUP, JAN_1)));
    assertEquals(Map.of("a2", List.of(other)), journal.pending(List.of("a1", "a2")));
    // Pending lines are not charged lines.
    assertEquals(List.of(jan), journal.lines("a1"));
    assertEquals(Optional.empty(), journal.find(other.key()));
  }

  @Test
  void intendingACommittedKeyIsIgnoredAndAPendingOneIsKept() {
    ChargeLine committed = recurring("a1", JAN_1, "10.00");
    journal.commit(List.of(committed), Map.of());
    ChargeLine first = recurring("a1", JAN_1.plusMonths(1), "10.00");
    journal.intend(List.of(committed, first));
    journal.intend(List.of(recurring("a1", JAN_1.plusMonths(1), "99.00")));
    assertEquals(Map.of("a1", List.of(first)), journal.pending(List.of("a1")));
  }

  @Test
  void aCommitOfAnAlreadyHeldKeyAlsoClearsItsPendingEntry() {
    ChargeLine line = recurring("a1", JAN_1, "10.00");
    journal.intend(List.of(line));
    journal.commit(List.of(line), Map.of());
    journal.intend(List.of(line));
    journal.commit(List.of(line), Map.of());
    assertEquals(Map.of(), journal.pending(List.of("a1")));
  }

  @Test
  void concurrentIntentsAndCommitsLeaveNothingPendingThatIsCommitted() throws Exception {
    List<ChargeLine> lines = new ArrayList<>();
    for (int a = 0; a < 20; a++) {
      lines.addAll(months("p-" + a, 6));
    }
    ConcurrentRunner.run(4, 3, (thread, i) -> {
      List<ChargeLine> shuffled = new ArrayList<>(lines);
      java.util.Collections.shuffle(shuffled, new java.util.Random(thread * 17L + i));
      journal.intend(shuffled);
      journal.commit(shuffled, Map.of());
    });
    List<String> ids = new ArrayList<>();
    for (int a = 0; a < 20; a++) {
      ids.add("p-" + a);
      assertEquals(6, journal.lines("p-" + a).size());
    }
    assertEquals(Map.of(), journal.pending(ids));
  }
}
