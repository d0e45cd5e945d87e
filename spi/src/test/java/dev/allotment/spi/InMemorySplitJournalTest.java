package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.months;
import static dev.allotment.spi.ContractFixtures.recurring;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-memory journal as a {@link SplitJournal}, what the split-stores adapter relies on: intended
 * lines stay pending until committed or abandoned, a commit stores each key once and raises
 * watermarks, and {@code find} sees committed lines only.
 */
final class InMemorySplitJournalTest {
  private final SplitJournal journal = new InMemoryChargeJournal();

  @Test
  void intendedLinesArePendingUntilCommittedOrAbandoned() {
    ChargeLine jan = recurring("a1", JAN_1, "10.00");
    ChargeLine feb = recurring("a1", JAN_1.plusMonths(1), "10.00");
    ChargeLine other = recurring("a2", JAN_1, "5.00");
    journal.intend(List.of(jan, feb, other));
    assertEquals(Map.of("a1", List.of(jan, feb), "a2", List.of(other)), journal.pending(List.of("a1", "a2", "a3")));

    journal.commit(List.of(jan), Map.of("a1", JAN_1));
    assertEquals(Map.of("a1", List.of(feb), "a2", List.of(other)), journal.pending(List.of("a1", "a2")));
    journal.abandon(List.of(feb.key(), LineKey.of("a9", LineKind.SETUP, JAN_1)));
    assertEquals(Map.of("a2", List.of(other)), journal.pending(List.of("a1", "a2")));
    // Pending lines are not charged lines.
    assertEquals(List.of(jan), journal.lines("a1"));
    assertEquals(Optional.empty(), journal.find(other.key()));
    assertEquals(Optional.empty(), journal.find(feb.key()));
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
    assertEquals(1, journal.commit(List.of(line), Map.of()));
    journal.intend(List.of(line));
    assertEquals(Map.of(), journal.pending(List.of("a1")), "a committed key is not intended again");
    journal.abandon(List.of(line.key()));
    assertEquals(0, journal.commit(List.of(line), Map.of()));
    assertEquals(Map.of(), journal.pending(List.of("a1")));
    assertEquals(List.of(line), journal.lines("a1"), "abandoning a committed key leaves the line");
  }

  @Test
  void aCommitStoresEachKeyOnceFindsItAndRaisesWatermarksOnly() {
    ChargeLine first = recurring("a1", JAN_1, "10.00");
    assertEquals(1, journal.commit(List.of(first, recurring("a1", JAN_1, "99.00")), Map.of("a1", JAN_1)));
    assertEquals(0, journal.commit(List.of(recurring("a1", JAN_1, "99.00")), Map.of("a1", JAN_1.minusDays(1))));
    assertEquals(Optional.of(first), journal.find(first.key()));
    assertEquals(Optional.empty(), journal.find(LineKey.of("a1", LineKind.SETUP, JAN_1)));
    assertEquals(new ChargeHistory(Optional.of(JAN_1), List.of(first)),
        journal.histories(List.of(new HistoryRequest("a1", Optional.empty()))).get("a1"));
  }

  @Test
  void pendingOfAssignmentsWithNothingPendingIsEmpty() {
    journal.commit(months("a1", 2), Map.of());
    assertEquals(Map.of(), journal.pending(List.of("a1", "nobody")));
    journal.abandon(List.of(LineKey.of("nobody", LineKind.RECURRING, JAN_1)));
    assertEquals(Map.of(), journal.pending(List.of("nobody")));
  }

  @Test
  void concurrentIntentsAndCommitsLeaveNothingPendingThatIsCommitted() throws Exception {
    List<ChargeLine> lines = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int a = 0; a < 20; a++) {
      lines.addAll(months("a-" + a, 6));
      ids.add("a-" + a);
    }
    ConcurrentRunner.run(4, 3, (thread, i) -> {
      List<ChargeLine> shuffled = new ArrayList<>(lines);
      Collections.shuffle(shuffled, new Random(thread * 17L + i));
      journal.intend(shuffled);
      journal.commit(shuffled, Map.of("a-" + thread, LocalDate.of(2026, 6, 1)));
    });
    for (String id : ids) {
      assertEquals(months(id, 6), journal.lines(id));
    }
    assertEquals(Map.of(), journal.pending(ids));
  }
}
