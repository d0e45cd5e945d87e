package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.months;
import static dev.allotment.spi.ContractFixtures.recurring;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Proration;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link ChargeJournal} must meet, with its lines and watermarks written through
 * the stores' {@link UnitOfWork}. Extend it and return fresh stores with an empty journal from
 * {@link #newStores()}, called once per test. Lines use assignment ids "a1".."a9"/"a-*", customers
 * "c1" and "c-" + assignment, and packages "p1" and "fm" (see {@link ContractFixtures}).
 *
 * <p>Test methods are public: a store in another package extends this class, and JUnit's handling
 * of package-private test methods inherited across packages has had bugs (junit-framework#5098).
 */
public abstract class ChargeJournalContract {
  private static final LocalDate FEB_1 = LocalDate.of(2026, 2, 1);
  private static final Currency USD = Currency.getInstance("USD");
  private ChargeJournal journal;
  private UnitOfWork unitOfWork;

  /** Fresh stores with an empty journal. */
  protected abstract BillingStores newStores();

  @BeforeEach
  public final void setUpJournal() {
    BillingStores stores = newStores();
    journal = stores.journal();
    unitOfWork = stores.unitOfWork();
  }

  /** Commits lines and watermarks as one batch; the number of lines it added. */
  private int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    BatchResult result = unitOfWork.commit(ChargeBatch.builder().lines(lines).watermarks(watermarks).build());
    assertTrue(result.isCommitted(), result.toString());
    return result.linesAdded();
  }

  private ChargeHistory history(String assignmentId, Optional<LocalDate> repriceFrom) {
    return journal.histories(List.of(new HistoryRequest(assignmentId, repriceFrom)))
        .getOrDefault(assignmentId, ChargeHistory.EMPTY);
  }

  // ---- lines

  /** A DID-level subject with quantity 3 that debits credit: every field a line repeats, none at its default. */
  private static LineSubject subject(String packageId) {
    return new LineSubject("a1", "c1", Optional.of("4420123"), packageId, 3, true);
  }

  public static Stream<Arguments> linesOfEveryKind() {
    BillingPeriod jan = new BillingPeriod(JAN_1, FEB_1);
    BillingPeriod cut = new BillingPeriod(LocalDate.of(2026, 1, 10), FEB_1);
    Proration part = new Proration(22, 31);
    return Stream.of(
        Arguments.of("setup", ChargeLine.setup(subject("p1"), LocalDate.of(2026, 1, 10), usd("25.00"), usd("5.00"))),
        Arguments.of("recurring", ChargeLine.recurring(subject("p1"), jan, usd("10.00"), usd("1.00"), Proration.WHOLE)),
        Arguments.of("prorated recurring", ChargeLine.recurring(subject("p1"), cut, usd("9.99"), usd("1.11"), part)),
        Arguments.of("minimum spend", ChargeLine.minimumSpend(subject("p1"), jan, usd("50.00"), Proration.WHOLE,
            usd("12.34"))),
        Arguments.of("free minutes until", ChargeLine.freeMinutes(subject("fm"), cut, USD, part, 2_554,
            Optional.of(LocalDate.of(2026, 3, 1)))),
        Arguments.of("free minutes forever", ChargeLine.freeMinutes(subject("fm"), jan, USD, Proration.WHOLE, 3_600,
            Optional.empty())),
        Arguments.of("adjustment (a credit)", ChargeLine.recurring(subject("p1"), jan, usd("10.00"), usd("1.00"),
            Proration.WHOLE).adjustment(2, LocalDate.of(2026, 6, 15), new Proration(20, 31), usd("-3.23"),
            usd("-0.32"))),
        Arguments.of("grant adjustment until", ChargeLine.grantAdjustment(subject("fm"), cut, USD, 1,
            LocalDate.of(2026, 1, 20), part, 1_200, Optional.of(LocalDate.of(2026, 1, 20)))),
        Arguments.of("grant adjustment at its start", ChargeLine.grantAdjustment(subject("fm"), jan, USD, 3,
            LocalDate.of(2026, 2, 15), new Proration(1, 31), 0, Optional.of(JAN_1))),
        Arguments.of("grant adjustment forever", ChargeLine.grantAdjustment(subject("fm"), jan, USD, 2,
            LocalDate.of(2026, 2, 15), Proration.WHOLE, 3_600, Optional.empty())));
  }

  @Test
  public void aFreeMinutesLineAndItsGrantAdjustmentsAreKeptApartAndReadBackInKeyOrder() {
    BillingPeriod jan = new BillingPeriod(JAN_1, FEB_1);
    ChargeLine minutes = ChargeLine.freeMinutes(subject("fm"), jan, USD, Proration.WHOLE, 3_600,
        Optional.of(FEB_1));
    ChargeLine second = ChargeLine.grantAdjustment(subject("fm"), jan, USD, 2, LocalDate.of(2026, 1, 25),
        new Proration(14, 31), 1_626, Optional.of(LocalDate.of(2026, 1, 15)));
    ChargeLine first = ChargeLine.grantAdjustment(subject("fm"), jan, USD, 1, LocalDate.of(2026, 1, 20),
        new Proration(19, 31), 2_206, Optional.of(LocalDate.of(2026, 1, 20)));
    assertEquals(2, commit(List.of(second, minutes), Map.of()));
    assertEquals(1, commit(List.of(first, minutes, second), Map.of()));
    List<ChargeLine> expected = List.of(minutes, first, second).stream().sorted(Comparator.comparing(ChargeLine::key))
        .toList();
    assertEquals(expected, journal.lines("a1"));
    assertEquals("a1/FREE_MINUTES/2026-01-01#1", first.key().toString());
    assertEquals(expected, history("a1", Optional.empty()).lines().stream()
        .sorted(Comparator.comparing(ChargeLine::key)).toList(), "the history, in any order");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("linesOfEveryKind")
  public void aCommittedLineIsReadBackExactly(String kind, ChargeLine line) {
    assertEquals(1, commit(List.of(line), Map.of()));
    assertEquals(List.of(line), journal.lines("a1"));
    assertEquals(new ChargeHistory(Optional.empty(), List.of(line)), history("a1", Optional.empty()));
  }

  @Test
  public void linesComeBackInKeyOrder() {
    List<ChargeLine> lines = new ArrayList<>(months("a1", 6));
    lines.add(lines.get(2).adjustment(2, LocalDate.of(2026, 7, 1), Proration.WHOLE, usd("-1.00"), usd("0")));
    lines.add(lines.get(2).adjustment(1, LocalDate.of(2026, 6, 1), Proration.WHOLE, usd("-2.00"), usd("0")));
    lines.add(ChargeLine.setup(ContractFixtures.subject("a1"), JAN_1, usd("25.00"), usd("0")));
    List<ChargeLine> shuffled = new ArrayList<>(lines);
    Collections.shuffle(shuffled, new Random(7));
    commit(shuffled.subList(0, 4), Map.of());
    commit(shuffled.subList(4, shuffled.size()), Map.of());
    assertEquals(lines.stream().sorted(Comparator.comparing(ChargeLine::key)).toList(), journal.lines("a1"));
  }

  @Test
  public void eachAssignmentHasItsOwnLines() {
    commit(List.of(recurring("a1", JAN_1, "1.00"), recurring("a2", JAN_1, "2.00"), recurring("a1", FEB_1, "3.00")),
        Map.of());
    assertEquals(List.of(recurring("a1", JAN_1, "1.00"), recurring("a1", FEB_1, "3.00")), journal.lines("a1"));
    assertEquals(List.of(recurring("a2", JAN_1, "2.00")), journal.lines("a2"));
    assertEquals(List.of(), journal.lines("a3"));
  }

  @Test
  public void aHeldKeyIsNeverStoredTwiceAndTheFirstLineStays() {
    ChargeLine first = recurring("a1", JAN_1, "10.00");
    ChargeLine sameKeyOtherAmount = recurring("a1", JAN_1, "99.00");
    ChargeLine next = recurring("a1", FEB_1, "10.00");
    assertEquals(1, commit(List.of(first), Map.of()));
    assertEquals(1, commit(List.of(sameKeyOtherAmount, next), Map.of()));
    assertEquals(0, commit(List.of(first, next), Map.of()));
    assertEquals(List.of(first, next), journal.lines("a1"));
  }

  @Test
  public void aKeyTwiceInOneBatchIsStoredOnceAndTheFirstStays() {
    ChargeLine first = recurring("a1", JAN_1, "10.00");
    assertEquals(1, commit(List.of(first, first, recurring("a1", JAN_1, "99.00")), Map.of()));
    assertEquals(List.of(first), journal.lines("a1"));
  }

  // ---- watermarks and histories

  @Test
  public void theWatermarkOnlyRises() {
    commit(months("a1", 3), Map.of("a1", LocalDate.of(2026, 3, 1)));
    commit(List.of(), Map.of("a1", LocalDate.of(2026, 2, 1)));
    assertEquals(Optional.of(LocalDate.of(2026, 3, 1)), history("a1", Optional.empty()).decidedThrough());
    commit(List.of(), Map.of("a1", LocalDate.of(2026, 3, 2)));
    assertEquals(Optional.of(LocalDate.of(2026, 3, 2)), history("a1", Optional.empty()).decidedThrough());
  }

  @Test
  public void aWatermarkAloneIsAHistoryWithoutLines() {
    commit(List.of(), Map.of("a1", JAN_1));
    assertEquals(new ChargeHistory(Optional.of(JAN_1), List.of()), history("a1", Optional.empty()));
    assertEquals(List.of(), journal.lines("a1"));
  }

  /**
   * The history of twelve monthly lines (January to December 2026, each reaching the first of the
   * next month) for a watermark and a reprice marker: the months of the lines it must hold.
   */
  public static Stream<Arguments> cutoffs() {
    LocalDate none = null;
    return Stream.of(
        Arguments.of(none, none, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)),
        Arguments.of(none, LocalDate.of(2026, 10, 16), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)),
        Arguments.of(LocalDate.of(2026, 12, 1), none, List.of(12)),
        Arguments.of(LocalDate.of(2026, 11, 30), none, List.of(11, 12)),
        Arguments.of(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 10, 16), List.of(10, 11, 12)),
        Arguments.of(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 11, 1), List.of(10, 11, 12)),
        Arguments.of(LocalDate.of(2026, 12, 1), LocalDate.of(2027, 5, 1), List.of(12)),
        Arguments.of(LocalDate.of(2027, 6, 1), none, List.of()));
  }

  @ParameterizedTest(name = "watermark {0}, reprice from {1}")
  @MethodSource("cutoffs")
  public void aHistoryHoldsTheLinesReachingTheCutoff(LocalDate watermark, LocalDate repriceFrom,
      List<Integer> months) {
    commit(months("a1", 12), watermark == null ? Map.of() : Map.of("a1", watermark));
    ChargeHistory history = history("a1", Optional.ofNullable(repriceFrom));
    assertEquals(Optional.ofNullable(watermark), history.decidedThrough());
    assertEquals(months, history.lines().stream().map(l -> l.period().start().getMonthValue()).sorted().toList());
  }

  @Test
  public void linesDueAfterTheWatermarkAreReturnedEvenWhenTheirPeriodEndedEarlier() {
    // An adjustment falls due on the run date, long after the period it adjusts.
    ChargeLine charged = recurring("a1", JAN_1, "10.00");
    ChargeLine late = charged.adjustment(1, LocalDate.of(2026, 6, 15), new Proration(15, 31), usd("-5.16"), usd("0"));
    commit(List.of(charged, late), Map.of("a1", LocalDate.of(2026, 6, 1)));
    assertEquals(List.of(late), history("a1", Optional.empty()).lines());
  }

  @Test
  public void unknownAssignmentsHaveAnEmptyHistory() {
    commit(months("a1", 1), Map.of("a1", JAN_1));
    assertEquals(ChargeHistory.EMPTY, history("nobody", Optional.empty()));
    assertEquals(ChargeHistory.EMPTY, history("nobody", Optional.of(JAN_1)));
  }

  @Test
  public void historiesOfManyAssignmentsComeBackInOneCall() {
    for (int i = 1; i <= 9; i++) {
      commit(months("a" + i, i), Map.of("a" + i, JAN_1.plusMonths(i - 1)));
    }
    List<HistoryRequest> requests = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      requests.add(new HistoryRequest("a" + i, Optional.empty()));
    }
    Map<String, ChargeHistory> histories = journal.histories(requests);
    for (int i = 1; i <= 9; i++) {
      ChargeHistory history = histories.get("a" + i);
      assertEquals(Optional.of(JAN_1.plusMonths(i - 1)), history.decidedThrough(), "a" + i);
      assertEquals(List.of(recurring("a" + i, JAN_1.plusMonths(i - 1), "10.00")), history.lines(), "a" + i);
    }
  }

  // ---- concurrency

  @Test
  public void concurrentCommitsOfTheSameLinesStoreEachOnce() throws Exception {
    List<ChargeLine> lines = new ArrayList<>();
    for (int a = 0; a < 20; a++) {
      lines.addAll(months("a-" + a, 12));
    }
    AtomicInteger added = new AtomicInteger();
    ConcurrentRunner.run(4, 3, (thread, i) -> {
      List<ChargeLine> shuffled = new ArrayList<>(lines);
      Collections.shuffle(shuffled, new Random(thread * 31L + i));
      added.addAndGet(commit(shuffled, Map.of()));
    });
    assertEquals(lines.size(), added.get());
    for (int a = 0; a < 20; a++) {
      assertEquals(months("a-" + a, 12), journal.lines("a-" + a));
    }
  }

  @Test
  public void concurrentWatermarksKeepTheLatest() throws Exception {
    ConcurrentRunner.run(4, 50, (thread, i) -> commit(List.of(), Map.of("a1", JAN_1.plusDays(thread * 50L + i))));
    assertEquals(new ChargeHistory(Optional.of(JAN_1.plusDays(199)), List.of()), history("a1", Optional.empty()));
  }
}
