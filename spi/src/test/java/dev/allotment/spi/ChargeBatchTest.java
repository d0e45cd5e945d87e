package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.assignment;
import static dev.allotment.spi.ContractFixtures.grant;
import static dev.allotment.spi.ContractFixtures.recurring;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.ChargeLine;
import dev.allotment.spi.CreditLedger.Posting;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A {@link ChargeBatch} is an immutable copy of what it was given, refusing the batches no store could commit. */
final class ChargeBatchTest {
  private static Posting debit(String key) {
    return new Posting(new CreditEntry(key, "c1", usd("1.00")), true);
  }

  @Test
  void anEmptyBatchHoldsNothing() {
    ChargeBatch empty = ChargeBatch.builder().build();
    assertTrue(empty.isEmpty());
    assertEquals(Map.of(), empty.expectedVersions());
    assertEquals(List.of(), empty.floors());
    assertEquals(List.of(), empty.lines());
    assertEquals(Map.of(), empty.watermarks());
    assertEquals(List.of(), empty.grants());
    assertEquals(List.of(), empty.postings());
    assertEquals(Set.of(), empty.repriced());
  }

  static Stream<Arguments> effects() {
    return Stream.<Arguments>of(
        Arguments.of("lines", (Consumer<ChargeBatch.Builder>) b -> b.lines(List.of(recurring("a1", JAN_1, "1.00")))),
        Arguments.of("watermarks", (Consumer<ChargeBatch.Builder>) b -> b.watermarks(Map.of("a1", JAN_1))),
        Arguments.of("grants", (Consumer<ChargeBatch.Builder>) b -> b.grants(List.of(grant("g", "c", 1).build()))),
        Arguments.of("postings", (Consumer<ChargeBatch.Builder>) b -> b.postings(List.of(debit("k")))),
        Arguments.of("repriced", (Consumer<ChargeBatch.Builder>) b -> b.expectedVersions(Map.of("a1", 0L))
            .repriced(Set.of("a1"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("effects")
  void aBatchWithAnEffectIsNotEmptyButChecksAloneAre(String effect, Consumer<ChargeBatch.Builder> set) {
    ChargeBatch.Builder b = ChargeBatch.builder();
    set.accept(b);
    assertFalse(b.build().isEmpty());
    assertTrue(ChargeBatch.builder().expectedVersions(Map.of("a1", 0L))
        .floors(List.of(new CreditFloor("c1", usd("1.00")))).build().isEmpty());
  }

  @Test
  void theBatchIsACopyOfWhatItWasGiven() {
    List<ChargeLine> lines = new ArrayList<>(List.of(recurring("a1", JAN_1, "1.00")));
    Map<String, LocalDate> watermarks = new HashMap<>(Map.of("a1", JAN_1));
    ChargeBatch batch = ChargeBatch.builder().lines(lines).watermarks(watermarks).build();
    lines.clear();
    watermarks.clear();
    assertEquals(1, batch.lines().size());
    assertEquals(Map.of("a1", JAN_1), batch.watermarks());
    assertThrows(UnsupportedOperationException.class, () -> batch.lines().clear());
    assertThrows(UnsupportedOperationException.class, () -> batch.watermarks().clear());
    assertThrows(UnsupportedOperationException.class, () -> batch.repriced().clear());
  }

  @Test
  void expectedVersionsOfTakeEachAssignmentsVersion() {
    ChargeBatch batch = ChargeBatch.builder().expectedVersionsOf(List.of(assignment("a1", "c1", "p1").withVersion(3),
        assignment("a2", "c1", "p1"))).build();
    assertEquals(Map.of("a1", 3L, "a2", 0L), batch.expectedVersions());
  }

  @Test
  void linesByAssignmentKeepTheBatchOrder() {
    ChargeLine a1Feb = recurring("a1", JAN_1.plusMonths(1), "1.00");
    ChargeLine a2Jan = recurring("a2", JAN_1, "1.00");
    ChargeLine a1Jan = recurring("a1", JAN_1, "1.00");
    ChargeBatch batch = ChargeBatch.builder().lines(List.of(a1Feb, a2Jan, a1Jan)).build();
    assertEquals(List.of("a1", "a2"), List.copyOf(batch.linesByAssignment().keySet()));
    assertEquals(List.of(a1Feb, a1Jan), batch.linesByAssignment().get("a1"));
  }

  static Stream<Arguments> refused() {
    return Stream.<Arguments>of(
        Arguments.of("repriced without an expected version", IllegalArgumentException.class,
            (Consumer<ChargeBatch.Builder>) b -> b.repriced(Set.of("a1")).build()),
        Arguments.of("repriced outside the expected versions", IllegalArgumentException.class,
            (Consumer<ChargeBatch.Builder>) b -> b.expectedVersions(Map.of("a2", 0L)).repriced(Set.of("a1")).build()),
        Arguments.of("two postings with one key", IllegalArgumentException.class,
            (Consumer<ChargeBatch.Builder>) b -> b.postings(List.of(debit("k"), debit("other"),
                new Posting(new CreditEntry("k", "c2", usd("2.00")), false))).build()),
        Arguments.of("a watermark without an assignment", NullPointerException.class,
            (Consumer<ChargeBatch.Builder>) b -> {
              Map<String, LocalDate> watermarks = new HashMap<>();
              watermarks.put(null, JAN_1);
              b.watermarks(watermarks);
            }),
        Arguments.of("lines set twice", IllegalStateException.class,
            (Consumer<ChargeBatch.Builder>) b -> b.lines(List.of()).lines(List.of())),
        Arguments.of("postings set twice", IllegalStateException.class,
            (Consumer<ChargeBatch.Builder>) b -> b.postings(List.of()).postings(List.of())),
        Arguments.of("expected versions set twice", IllegalStateException.class,
            (Consumer<ChargeBatch.Builder>) b -> b.expectedVersions(Map.of()).expectedVersionsOf(List.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aBatchNoStoreCouldCommitIsRefused(String what, Class<? extends Throwable> error,
      Consumer<ChargeBatch.Builder> build) {
    assertThrows(error, () -> build.accept(ChargeBatch.builder()));
  }
}
