package dev.allotment.core;

import static dev.allotment.core.Fixtures.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class LineKeyTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "a-17/RECURRING/2026-03-01,     a-17,   RECURRING,     2026-03-01, 0",
      "a-17/RECURRING/2026-03-01#2,   a-17,   ADJUSTMENT,    2026-03-01, 2",
      "a-17/RECURRING/2026-03-01#10,  a-17,   ADJUSTMENT,    2026-03-01, 10",
      "x.y_z:1/SETUP/2024-02-29,      x.y_z:1, SETUP,        2024-02-29, 0",
      "a/FREE_MINUTES/1900-01-01,     a,      FREE_MINUTES,  1900-01-01, 0",
      "A-b/MINIMUM_SPEND/9999-12-31,  A-b,    MINIMUM_SPEND, 9999-12-31, 0",
  })
  void parseAndFormatRoundTrip(String text, String assignmentId, LineKind kind, LocalDate periodStart, int sequence) {
    LineKey key = LineKey.parse(text);

    assertEquals(new LineKey(assignmentId, kind, periodStart, sequence), key);
    assertEquals(text, key.toString());
    assertEquals(key, LineKey.parse(key.toString()));
  }

  @Test
  void anAdjustmentNamesTheLineItAdjusts() {
    LineKey adjustment = LineKey.adjustment("a-1", d("2026-03-01"), 3);

    assertEquals(LineKey.of("a-1", LineKind.RECURRING, d("2026-03-01")), adjustment.adjusted());
    assertEquals(LineKey.of("a-1", LineKind.SETUP, d("2026-03-01")),
        LineKey.of("a-1", LineKind.SETUP, d("2026-03-01")).adjusted());
  }

  @Test
  void keysOrderByAssignmentPeriodKindAndSequence() {
    LineKey setup = LineKey.of("a-1", LineKind.SETUP, d("2026-03-01"));
    LineKey recurring = LineKey.of("a-1", LineKind.RECURRING, d("2026-03-01"));
    LineKey adj1 = LineKey.adjustment("a-1", d("2026-03-01"), 1);
    LineKey adj2 = LineKey.adjustment("a-1", d("2026-03-01"), 2);
    LineKey later = LineKey.of("a-1", LineKind.SETUP, d("2026-04-01"));
    LineKey other = LineKey.of("a-2", LineKind.SETUP, d("2020-01-01"));

    assertEquals(java.util.List.of(setup, recurring, adj1, adj2, later, other),
        java.util.stream.Stream.of(other, adj2, later, recurring, adj1, setup).sorted().toList());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "",
      "a-1",
      "a-1/RECURRING",
      "/RECURRING/2026-03-01",
      "a-1/RENT/2026-03-01",
      "a-1/RECURRING/2026-02-30",
      "a-1/RECURRING/2026-03-01#",
      "a-1/RECURRING/2026-03-01#0",
      "a-1/RECURRING/2026-03-01#-1",
      "a-1/RECURRING/2026-03-01#x",
      "a-1/SETUP/2026-03-01#1",
      "a-1/ADJUSTMENT/2026-03-01",
      "a 1/RECURRING/2026-03-01",
  })
  void rejectsTextThatIsNotAKey(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LineKey.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
  }

  @Test
  void sequenceMustFitTheKind() {
    assertThrows(IllegalArgumentException.class, () -> new LineKey("a", LineKind.RECURRING, d("2026-03-01"), 1));
    assertThrows(IllegalArgumentException.class, () -> LineKey.adjustment("a", d("2026-03-01"), 0));
  }
}
