package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.Limits;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Money;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.Proration;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.CreditEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of every value a store holds comes back equal, at the edges of each column too: lines
 * of every kind through the unit of work, assignments with their versions, credit entries.
 */
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
            .currency("BHD").retail("12.345678").cost("0.000001").setupRetail("9999999.999999").setupCost("0")
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
            .quantity(Limits.MAX_QUANTITY).startDate(D).endDate(Limits.LAST_DATE).autoDecrementCredit(true)
            .repriceFrom(LocalDate.of(2027, 1, 1)).build(),
        Assignment.builder("a-minutes").customerId("c1").packageId("p-EUR").quantity(2).startDate(D).minutes(500)
            .build());
  }

  @ParameterizedTest
  @MethodSource("assignments")
  void anAssignmentComesBackEqualWithItsVersion(Assignment a) {
    // Added at whatever version the value carries, stored at 0.
    assertTrue(stores.assignments().add(a.withVersion(7)));
    assertEquals(Optional.of(a), stores.assignments().find(a.id()));
    assertEquals(List.of(a), stores.assignments().page(Optional.of(a.customerId()), Optional.empty(), 10));
    Assignment ended = a.withEndDate(a.startDate().plusDays(40), stores.catalog().find(a.packageId()).orElseThrow());
    assertEquals(Optional.of(ended.withVersion(1)), stores.assignments().replace(a, ended));
    assertEquals(Optional.of(ended.withVersion(1)), stores.assignments().find(a.id()));
    assertEquals(Optional.empty(), stores.assignments().replace(a, ended), "a stale version");
    Assignment reinstated = ended.withVersion(1);
    assertEquals(Optional.of(a.withVersion(2)), stores.assignments().replace(reinstated, a));
  }

  private static LineSubject subject(String assignmentId, String currency, Optional<String> did, int quantity,
      boolean autoDecrement) {
    return new LineSubject(assignmentId, "c-" + assignmentId, did, "p-" + currency, quantity, autoDecrement);
  }

  static Stream<ChargeLine> lines() {
    BillingPeriod march = new BillingPeriod(D, D.plusMonths(1));
    LocalDate last = LocalDate.of(9999, 12, 30);
    return Stream.of(
        ChargeLine.recurring(subject("l1", "USD", Optional.empty(), 1, false), march, Money.of("10", "USD"),
            Money.of("4", "USD"), Proration.WHOLE),
        ChargeLine.recurring(subject("l2", "USD", Optional.of("4420123"), 3, true),
            new BillingPeriod(D.plusDays(14), D.plusMonths(1)), Money.of("12.345678", "USD"),
            Money.of("0.000001", "USD"), new Proration(17, 31)),
        ChargeLine.setup(subject("l3", "JPY", Optional.empty(), 7, true), D, Money.of("1000", "JPY"),
            Money.of("1", "JPY")),
        ChargeLine.freeMinutes(subject("l4", "BHD", Optional.of("1"), 2, false), march, Currency.getInstance("BHD"),
            Proration.WHOLE, 60_000_000_000L, Optional.of(D.plusMonths(1))),
        ChargeLine.freeMinutes(subject("l5", "EUR", Optional.empty(), 1, false), march, Currency.getInstance("EUR"),
            new Proration(3, 31), 0, Optional.empty()),
        ChargeLine.minimumSpend(subject("l6", "BHD", Optional.empty(), 1, true), march, Money.of("50.125", "BHD"),
            Proration.WHOLE, Money.of("25.125", "BHD")),
        ChargeLine.adjustment(subject("l7", "USD", Optional.empty(), 1, true), march, 3, D.plusMonths(5),
            Money.of("10", "USD"), Money.of("4", "USD"), new Proration(1, 31), Money.of("-9.68", "USD"),
            Money.of("-3.87", "USD")),
        // The last day a DATE column holds as a period start, the largest quantity, a huge price.
        ChargeLine.recurring(subject("l8", "USD", Optional.empty(), Limits.MAX_QUANTITY, false), BillingPeriod.ofDay(last),
            Money.of("0.01", "USD"), Money.zero(Currency.getInstance("USD")), Proration.WHOLE),
        ChargeLine.recurring(subject("l9", "USD", Optional.empty(), 1, false), march,
            Money.of("9999999999999.99", "USD"), Money.zero(Currency.getInstance("USD")),
            new Proration(Long.MAX_VALUE - 1, Long.MAX_VALUE)));
  }

  @ParameterizedTest
  @MethodSource("lines")
  void aChargeLineComesBackEqual(ChargeLine line) {
    assertEquals(BatchResult.committed(1), stores.unitOfWork().commit(Fixtures.lines(List.of(line), Map.of())));
    assertEquals(List.of(line), stores.journal().lines(line.assignmentId()));
    assertEquals(new ChargeHistory(Optional.empty(), List.of(line)), stores.journal()
        .histories(List.of(new HistoryRequest(line.assignmentId(), Optional.empty()))).get(line.assignmentId()));
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(Fixtures.lines(List.of(line), Map.of())));
  }

  /** A row no factory can make (written around the store) is reported, not read as another line. */
  @Test
  void aRowNoLineCanBeIsReported() throws SQLException {
    ChargeLine line = lines().findFirst().orElseThrow();
    stores.unitOfWork().commit(Fixtures.lines(List.of(line), Map.of()));
    try (Connection connection = db().dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE allotment_charge_line SET retail = 11 WHERE assignment_id = 'l1'");
    }
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> stores.journal().lines("l1"));
    assertTrue(e.getMessage().contains("l1/RECURRING/2026-03-01") && e.getMessage().contains("not valid"),
        e.getMessage());
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
  void aCreditEntryComesBackEqual(CreditEntry entry) throws SQLException {
    assertTrue(stores.creditLedger().credit(entry));
    assertFalse(stores.creditLedger().credit(entry), "a key is applied once");
    assertEquals(entry.amount(), stores.creditLedger().balance(entry.customerId(), entry.amount().currency()));
    try (Connection connection = db().dataSource().getConnection(); PreparedStatement statement =
        connection.prepareStatement("SELECT customer_id, debit, currency, amount FROM allotment_credit_entry"
            + " WHERE entry_key = ?")) {
      statement.setString(1, entry.key());
      try (ResultSet rs = statement.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(entry, new CreditEntry(entry.key(), rs.getString(1), Money.of(rs.getBigDecimal(4),
            Currency.getInstance(rs.getString(3)))));
        assertFalse(rs.getBoolean(2));
      }
    }
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
    stores.unitOfWork().commit(Fixtures.lines(List.of(last, other), Map.of("a-last", Columns.MAX_DATE, "a-other", D)));

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
