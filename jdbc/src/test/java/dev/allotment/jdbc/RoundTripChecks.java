package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.Proration;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of every value a store holds comes back equal, at the edges of each column too. */
abstract class RoundTripChecks {
  private static final LocalDate D = LocalDate.of(2026, 3, 1);

  private JdbcStores stores;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    stores = db().freshStores();
    for (String currency : List.of("USD", "JPY", "BHD", "EUR")) {
      stores.catalog().define(ServicePackage.builder("p-" + currency).name(currency).currency(currency)
          .frequency(Frequency.MONTHLY).build());
    }
  }

  static Stream<ServicePackage> packages() {
    return Stream.of(
        ServicePackage.builder("plain").name("Plain").currency("USD").frequency(Frequency.NONE).build(),
        ServicePackage.builder("every-field").name("Ünïcode ✓ name").description("line 1\nline 2, with 'quotes'")
            .currency("BHD").retail("12.345678").cost("0.000001").setupRetail("9999999999999.999999").setupCost("0")
            .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.parse("1,15,31")).minimumDays(365)
            .types(PackageType.FREE_MINUTES).destination("^4[0-9]{1,3}|^91|^1").minimumSpend(true)
            .features("voicemail", "a,b", "back\\slash", "trailing\\", ",").firstPeriod(FirstPeriod.FULL)
            .monthEnd(MonthEnd.SKIP).roundingIncrementSeconds(3600).build(),
        ServicePackage.builder("weekly").name("Weekly").currency("JPY").retail("1000").frequency(Frequency.WEEKLY)
            .frequencyMatch(FrequencyMatch.parse("MON,SUN")).firstPeriod(FirstPeriod.FREE).build(),
        ServicePackage.builder("yearly").name("Yearly").currency("EUR").retail("120").cost("80")
            .frequency(Frequency.YEARLY).types(List.of()).features(List.of()).build());
  }

  @ParameterizedTest
  @MethodSource("packages")
  void aPackageComesBackEqual(ServicePackage p) {
    stores.catalog().define(p);
    assertEquals(Optional.of(p), stores.catalog().find(p.id()));
    assertTrue(stores.catalog().all().contains(p));
  }

  static Stream<Assignment> assignments() {
    return Stream.of(
        Assignment.builder("a-min").customerId("c1").packageId("p-USD").startDate(LocalDate.of(1900, 1, 1)).build(),
        Assignment.builder("a-max").customerId("c".repeat(100)).did("9".repeat(32)).packageId("p-USD")
            .quantity(Integer.MAX_VALUE).startDate(D).endDate(LocalDate.of(9999, 12, 30)).autoDecrementCredit(true)
            .repriceFrom(LocalDate.of(2027, 1, 1)).build(),
        Assignment.builder("a-minutes").customerId("c1").packageId("p-EUR").quantity(2).startDate(D).minutes(500)
            .build());
  }

  @ParameterizedTest
  @MethodSource("assignments")
  void anAssignmentComesBackEqual(Assignment a) {
    assertTrue(stores.assignments().add(a));
    assertEquals(Optional.of(a), stores.assignments().find(a.id()));
    assertEquals(List.of(a), stores.assignments().page(Optional.of(a.customerId()), Optional.empty(), 10));
    Assignment ended = a.withEndDate(a.startDate().plusDays(40), stores.catalog().find(a.packageId()).orElseThrow());
    assertTrue(stores.assignments().replace(a, ended));
    assertEquals(Optional.of(ended), stores.assignments().find(a.id()));
  }

  private static ChargeLine line(LineKey key, String currency, Optional<String> did, BillingPeriod period,
      LocalDate due, int quantity, String unitPrice, String unitCost, Proration proration, String retail, String cost,
      long grantSeconds, Optional<LocalDate> grantValidUntil, boolean autoDecrement) {
    return new ChargeLine(key, "c-" + key.assignmentId(), did, "p-" + currency, period, due, quantity,
        Money.of(unitPrice, currency), Money.of(unitCost, currency), proration, Money.of(retail, currency),
        Money.of(cost, currency), grantSeconds, grantValidUntil, autoDecrement);
  }

  static Stream<ChargeLine> lines() {
    BillingPeriod march = new BillingPeriod(D, D.plusMonths(1));
    return Stream.of(
        line(LineKey.of("l1", LineKind.RECURRING, D), "USD", Optional.empty(), march, D, 1, "10", "4",
            Proration.WHOLE, "10.00", "4.00", 0, Optional.empty(), false),
        line(LineKey.of("l2", LineKind.RECURRING, D.plusDays(14)), "USD", Optional.of("4420123"),
            new BillingPeriod(D.plusDays(14), D.plusMonths(1)), D.plusDays(14), 3, "12.345678", "0.000001",
            new Proration(17, 31), "20.43", "0.00", 0, Optional.empty(), true),
        line(LineKey.of("l3", LineKind.SETUP, D), "JPY", Optional.empty(), BillingPeriod.ofDay(D), D, 7, "1000", "1",
            Proration.WHOLE, "7000", "7", 0, Optional.empty(), true),
        line(LineKey.of("l4", LineKind.FREE_MINUTES, D), "BHD", Optional.of("1"), march, D, 2, "0", "0",
            Proration.WHOLE, "0", "0", 60_000_000_000L, Optional.of(D.plusMonths(1)), false),
        line(LineKey.of("l5", LineKind.FREE_MINUTES, D), "EUR", Optional.empty(), march, D, 1, "0", "0",
            Proration.WHOLE, "0", "0", 0, Optional.empty(), false),
        line(LineKey.of("l6", LineKind.MINIMUM_SPEND, D), "BHD", Optional.empty(), march, D.plusMonths(1), 1,
            "50.125", "0", Proration.WHOLE, "25.125", "0", 0, Optional.empty(), true),
        line(LineKey.adjustment("l7", D, 3), "USD", Optional.empty(), march, D.plusMonths(5), 1, "10", "4",
            new Proration(1, 31), "-9.68", "-3.87", 0, Optional.empty(), true),
        line(LineKey.of("l8", LineKind.RECURRING, LocalDate.of(9999, 12, 30)), "USD", Optional.empty(),
            BillingPeriod.ofDay(LocalDate.of(9999, 12, 30)), LocalDate.of(9999, 12, 30), Integer.MAX_VALUE,
            "9999999999999.99", "0", new Proration(Long.MAX_VALUE - 1, Long.MAX_VALUE), "9999999999999.99",
            "0", 0, Optional.empty(), false),
        // A key whose period start is not the period's: the journal keeps both as given.
        line(LineKey.of("l9", LineKind.RECURRING, D), "USD", Optional.empty(),
            new BillingPeriod(D.minusDays(3), D.plusDays(3)), D.minusDays(3), 1, "1", "1", Proration.WHOLE, "1", "1",
            0, Optional.empty(), false));
  }

  @ParameterizedTest
  @MethodSource("lines")
  void aChargeLineComesBackEqual(ChargeLine line) {
    assertEquals(1, stores.journal().commit(List.of(line), Map.of()));
    assertEquals(Optional.of(line), stores.journal().find(line.key()));
    assertEquals(List.of(line), stores.journal().lines(line.assignmentId()));
    assertEquals(new ChargeHistory(Optional.empty(), List.of(line)), stores.journal()
        .histories(List.of(new HistoryRequest(line.assignmentId(), Optional.empty()))).get(line.assignmentId()));
  }

  @ParameterizedTest
  @MethodSource("lines")
  void aPendingLineComesBackEqualAndGoesWithItsCommit(ChargeLine line) {
    stores.journal().intend(List.of(line));
    assertEquals(Map.of(line.assignmentId(), List.of(line)), stores.journal().pending(List.of(line.assignmentId())));
    assertEquals(List.of(), stores.journal().lines(line.assignmentId()), "a pending line is not charged");
    assertEquals(1, stores.journal().commit(List.of(line), Map.of()));
    assertEquals(Map.of(), stores.journal().pending(List.of(line.assignmentId())));
    assertEquals(Optional.of(line), stores.journal().find(line.key()));
  }

  static Stream<CreditEntry> creditEntries() {
    return Stream.of(
        new CreditEntry("k", "c", Money.of("0.01", "USD")),
        new CreditEntry("k".repeat(200), "c".repeat(100), Money.of("9999999999999.99", "USD")),
        new CreditEntry("jpy/1#2", "c1", Money.of("123", "JPY")),
        new CreditEntry("bhd", "c1", Money.of("0.125", "BHD")));
  }

  @ParameterizedTest
  @MethodSource("creditEntries")
  void aCreditEntryComesBackEqual(CreditEntry entry) {
    assertTrue(stores.creditLedger().credit(entry));
    assertEquals(Optional.of(new Posting(entry, false)), stores.creditLedger().find(entry.key()));
    assertEquals(entry.amount(), stores.creditLedger().balance(entry.customerId(), entry.amount().currency()));
  }

  /**
   * A watermark on the last date a DATE column holds makes the cutoff the day after it, in year
   * 10000, and an early reprice marker one before year 1: the history query must still run, for
   * these assignments and for the others read in the same chunk.
   */
  @Test
  void cutoffsBeyondTheDateColumnStillReadTheirChunksHistories() {
    stores.catalog().define(ContractFixtures.monthly("p1", "10"));
    LocalDate lastMonth = LocalDate.of(9999, 11, 1);
    ChargeLine last = ContractFixtures.recurring("a-last", lastMonth, "10.00");
    ChargeLine other = ContractFixtures.recurring("a-other", D, "10.00");
    stores.journal().commit(List.of(last, other), Map.of("a-last", Columns.MAX_DATE, "a-other", D));

    Map<String, ChargeHistory> histories = stores.journal().histories(List.of(
        new HistoryRequest("a-last", Optional.empty()),
        new HistoryRequest("a-other", Optional.of(LocalDate.of(-5, 1, 1)))));
    assertEquals(new ChargeHistory(Optional.of(Columns.MAX_DATE), List.of()), histories.get("a-last"));
    assertEquals(new ChargeHistory(Optional.of(D), List.of(other)), histories.get("a-other"));

    ChargeHistory repriced = stores.journal().histories(
        List.of(new HistoryRequest("a-last", Optional.of(lastMonth.plusDays(14))))).get("a-last");
    assertEquals(new ChargeHistory(Optional.of(Columns.MAX_DATE), List.of(last)), repriced);
  }

  @Test
  void datesAsTextKeepFourDigitYearsAndNoSignPastYear9999() {
    assertEquals("0001-01-01", Columns.dateText(Columns.MIN_DATE));
    assertEquals("2026-03-01", Columns.dateText(D));
    assertEquals("10000-01-01", Columns.dateText(Columns.MAX_DATE.plusDays(1)));
  }
}
