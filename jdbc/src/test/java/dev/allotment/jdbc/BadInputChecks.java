package dev.allotment.jdbc;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.assignment;
import static dev.allotment.spi.ContractFixtures.recurring;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input reaching a store or the unit of work is refused with an error naming the value, and
 * the operation's transaction leaves nothing behind (a whole batch included); so does a database
 * failure half-way through a write.
 */
abstract class BadInputChecks {
  private JdbcStores stores;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    stores = Fixtures.withContractPackages(db().freshStores());
  }

  private static IllegalArgumentException refused(Executable executable, String... named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
    for (String text : named) {
      assertTrue(e.getMessage().contains(text), () -> "'" + e.getMessage() + "' should name " + text);
    }
    return e;
  }

  private ChargeHistory history(String assignmentId) {
    return stores.journal().histories(List.of(new HistoryRequest(assignmentId, Optional.empty())))
        .getOrDefault(assignmentId, ChargeHistory.EMPTY);
  }

  private static ServicePackage monthly(String id, String retail) {
    return ServicePackage.builder(id).name(id).currency("USD").retail(retail).frequency(Frequency.MONTHLY).build();
  }

  @Test
  void aPackagePriceWithMoreFractionDigitsThanTheColumnIsRefused() {
    // PostgreSQL would round it silently to 0.000000; core refuses it for every store (Limits).
    refused(() -> stores.catalog().define(monthly("tiny", "0.0000001")), "retail", "0.0000001", "6 fraction digits");
    assertEquals(Optional.empty(), stores.catalog().find("tiny"));
  }

  @Test
  void aPackagePriceTooLargeForTheColumnIsRefused() {
    refused(() -> stores.catalog().define(monthly("huge", "12345678901234")), "retail", "12345678901234");
    assertEquals(Optional.empty(), stores.catalog().find("huge"));
  }

  @Test
  void redefiningWithABadPriceKeepsThePackageAsItWas() {
    stores.catalog().define(monthly("p2", "10"));
    refused(() -> stores.catalog().define(monthly("p2", "10.0000001")), "10.0000001");
    assertEquals(Optional.of(monthly("p2", "10")), stores.catalog().find("p2"));
  }

  @Test
  void anAssignmentOfAnUndefinedPackageIsRefused() {
    refused(() -> stores.assignments().add(assignment("a1", "c1", "nope")), "packageId", "'nope'", "a1");
    assertEquals(Optional.empty(), stores.assignments().find("a1"));
  }

  @Test
  void replacingWithAnUndefinedPackageIsRefusedAndKeepsTheAssignment() {
    Assignment original = assignment("a1", "c1", "p1");
    stores.assignments().add(original);
    Assignment moved = Assignment.builder("a1").customerId("c1").packageId("nope").startDate(JAN_1).build();
    refused(() -> stores.assignments().replace(original, moved), "'nope'");
    assertEquals(Optional.of(original), stores.assignments().find("a1"), "the version stays 0 too");
  }

  private ChargeBatch batch(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    return Fixtures.lines(lines, watermarks);
  }

  @Test
  void aLineInAnotherCurrencyThanItsPackageIsRefusedAndNothingOfTheBatchIsStored() {
    ChargeLine good = recurring("a1", JAN_1, "10.00");
    ChargeLine euro = Fixtures.withAmounts(recurring("a2", JAN_1, "10.00"), Money.of("10.00", "EUR"));
    refused(() -> stores.unitOfWork().commit(batch(List.of(good, euro), Map.of("a1", JAN_1, "a2", JAN_1))),
        "a2/RECURRING/2026-01-01", "EUR", "'p1'", "USD");
    assertEquals(List.of(), stores.journal().lines("a1"));
    assertEquals(ChargeHistory.EMPTY, history("a1"));
  }

  @Test
  void aLineOfAnUndefinedPackageIsRefusedAndNothingIsStored() {
    ChargeLine good = recurring("a1", JAN_1, "10.00");
    ChargeLine dangling = Fixtures.withPackage(recurring("a2", JAN_1, "10.00"), "gone");
    refused(() -> stores.unitOfWork().commit(batch(List.of(good, dangling), Map.of("a1", JAN_1))), "'gone'", "a2");
    assertEquals(List.of(), stores.journal().lines("a1"));
    assertEquals(ChargeHistory.EMPTY, history("a1"));
  }

  @Test
  void aLineAmountTooLargeForItsColumnIsRefusedAndNothingIsStored() {
    // A line no money column keeps cannot be built any more (core's Limits): no store ever sees it.
    refused(() -> recurring("a2", JAN_1, "12345678901234.00"), "a2/RECURRING/2026-01-01", "12345678901234.00");
    assertEquals(List.of(), stores.journal().lines("a1"));
    assertEquals(List.of(), stores.journal().lines("a2"));
  }

  @Test
  void aDidTooLongForItsColumnIsRefused() {
    ChargeLine line = recurring("a1", JAN_1, "10.00");
    LineSubject s = line.subject();
    // Refused by core's LineSubject, for every store alike.
    refused(() -> new LineSubject(s.assignmentId(), s.customerId(), Optional.of("1".repeat(33)), s.packageId(), 1,
        false), "did", "1".repeat(33));
    assertEquals(List.of(), stores.journal().lines("a1"));
  }

  @Test
  void aWatermarkOfAnIdTooLongIsRefusedAndTheLinesWithItAreNotStored() {
    String longId = "a".repeat(101);
    refused(() -> stores.unitOfWork().commit(batch(List.of(recurring("a1", JAN_1, "1.00")), Map.of(longId, JAN_1))),
        longId);
    assertEquals(List.of(), stores.journal().lines("a1"));
  }

  @Test
  void aDateOutsideTheDateColumnIsRefused() {
    LocalDate far = LocalDate.of(12000, 1, 1);
    refused(() -> stores.unitOfWork().commit(batch(List.of(), Map.of("a1", far))), "12000");
    assertEquals(ChargeHistory.EMPTY, history("a1"));
  }

  @Test
  void aCreditAmountTooLargeForItsColumnIsRefused() {
    // No store ever sees it: core's CreditEntry refuses it (Limits.amount).
    refused(() -> new CreditEntry("k1", "c1", usd("12345678901234.00")), "amount", "12345678901234.00");
    assertEquals(List.of(), stores.journal().lines("a1"));
    assertEquals(usd("0"), stores.creditLedger().balance("c1", Currency.getInstance("USD")));
    assertTrue(stores.creditLedger().credit(new CreditEntry("k0", "c1", usd("1"))), "k0 was not stored");
  }

  @Test
  void aCreditCustomerIdTooLongIsRefused() {
    String customer = "c".repeat(101);
    // No store ever sees it: core's CreditEntry refuses it (Ids).
    refused(() -> stores.creditLedger().credit(new CreditEntry("k1", customer, usd("1"))), "customerId",
        "1..100 characters, was 101");
    assertTrue(stores.creditLedger().credit(new CreditEntry("k1", "c1", usd("1"))), "k1 was not stored");
  }

  @Test
  void aFailureAfterTheLinesAreWrittenRollsBackTheWholeBatch() {
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    JdbcStores broken = JdbcStores.builder(failing).migrateOnStart(false).build();
    failing.failOn(JdbcChargeJournal.WATERMARKS);
    List<ChargeLine> lines = List.of(recurring("a1", JAN_1, "1.00"), recurring("a1", JAN_1.plusMonths(1), "1.00"),
        recurring("a2", JAN_1, "2.00"));
    ChargeBatch commit = batch(lines, Map.of("a1", JAN_1.plusMonths(1), "a2", JAN_1));
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> broken.unitOfWork().commit(commit));
    assertEquals(Optional.of(FailingDataSource.STATE), e.sqlState());
    assertEquals(List.of(), stores.journal().lines("a1"));
    assertEquals(List.of(), stores.journal().lines("a2"));
    assertEquals(ChargeHistory.EMPTY, history("a1"));
    // The same batch, once the database is well again, stores everything.
    assertEquals(BatchResult.committed(3), stores.unitOfWork().commit(commit));
  }

  @Test
  void aFailureAfterTheEntryIsWrittenRollsBackThePosting() {
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    JdbcStores broken = JdbcStores.builder(failing).migrateOnStart(false).build();
    stores.creditLedger().credit(new CreditEntry("top", "c1", usd("10.00")));
    failing.failOn(JdbcCreditLedger.BALANCES);
    CreditEntry debit = new CreditEntry("d1", "c1", usd("4.00"));
    ChargeBatch posting = ChargeBatch.builder().lines(List.of(recurring("a1", JAN_1, "4.00")))
        .postings(List.of(new Posting(debit, true))).build();
    assertThrows(JdbcStoreException.class, () -> broken.unitOfWork().commit(posting));
    assertThrows(JdbcStoreException.class, () -> broken.creditLedger().credit(new CreditEntry("c2", "c1", usd("1"))));
    assertEquals(usd("10.00"), stores.creditLedger().balance("c1", Currency.getInstance("USD")));
    assertEquals(List.of(), stores.journal().lines("a1"));
    assertEquals(BatchResult.committed(1), stores.unitOfWork().commit(posting));
    assertEquals(usd("6.00"), stores.creditLedger().balance("c1", Currency.getInstance("USD")));
    assertTrue(stores.creditLedger().credit(new CreditEntry("c2", "c1", usd("1"))));
  }

  @Test
  void theSqlStateOfADatabaseFailureIsReported() {
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    JdbcStores broken = JdbcStores.builder(failing).migrateOnStart(false).build();
    failing.failOn(JdbcAssignmentStore.TABLE);
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> broken.assignments().find("a1"));
    assertEquals(Optional.of(FailingDataSource.STATE), e.sqlState());
    assertTrue(e.getMessage().contains("find assignment 'a1'"), e.getMessage());
    assertTrue(e.getMessage().contains(FailingDataSource.STATE), e.getMessage());
  }
}
