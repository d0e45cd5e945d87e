package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.eur;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Money;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.SplitCreditLedger.DebitResult;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-memory credit ledger as a {@link SplitCreditLedger}, what the split-stores adapter relies
 * on: a debit with {@code onlyIfCovered} checks and debits in one atomic step, a key is applied
 * once, and {@code find} reads an entry back with its direction.
 */
final class InMemorySplitCreditLedgerTest {
  private static final Currency USD = Currency.getInstance("USD");
  private final SplitCreditLedger ledger = new InMemoryCreditLedger();

  @ParameterizedTest(name = "balance {0}, debit {1}, only if covered {2}: {3}")
  @CsvSource({
      "10.00, 10.01, true,  INSUFFICIENT_CREDIT, 10.00",
      "10.00, 10.00, true,  DEBITED,             0.00",
      "10.00, 10.01, false, DEBITED,             -0.01",
      "0.00,  0.01,  true,  INSUFFICIENT_CREDIT, 0.00",
      "0.00,  5.00,  false, DEBITED,             -5.00"})
  void aDebitIsCheckedAgainstTheBalanceOnlyWhenAsked(String balance, String amount, boolean onlyIfCovered,
      DebitResult expected, String after) {
    if (usd(balance).signum() > 0) {
      ledger.credit(new CreditEntry("top", "c1", usd(balance)));
    }
    assertEquals(expected, ledger.debit(new CreditEntry("d", "c1", usd(amount)), onlyIfCovered));
    assertEquals(usd(after), ledger.balance("c1", USD));
    assertEquals(expected == DebitResult.DEBITED, ledger.find("d").isPresent(), "a refused debit holds no key");
  }

  @Test
  void aRefusedDebitLeavesItsKeyFreeForLater() {
    CreditEntry d = new CreditEntry("d", "c1", usd("5.00"));
    assertEquals(DebitResult.INSUFFICIENT_CREDIT, ledger.debit(d, true));
    ledger.credit(new CreditEntry("top", "c1", usd("5.00")));
    assertEquals(DebitResult.DEBITED, ledger.debit(d, true));
    assertEquals(usd("0"), ledger.balance("c1", USD));
  }

  @Test
  void creditInAnotherCurrencyCoversNothing() {
    ledger.credit(new CreditEntry("top", "c1", eur("100.00")));
    assertEquals(DebitResult.INSUFFICIENT_CREDIT, ledger.debit(new CreditEntry("d", "c1", usd("0.01")), true));
  }

  @Test
  void aKeyIsAppliedOnceWhateverTheAmountOrDirection() {
    assertEquals(DebitResult.DEBITED, ledger.debit(new CreditEntry("k", "c1", usd("10")), false));
    assertEquals(DebitResult.ALREADY_APPLIED, ledger.debit(new CreditEntry("k", "c1", usd("10")), false));
    assertEquals(DebitResult.ALREADY_APPLIED, ledger.debit(new CreditEntry("k", "c1", usd("20")), true));
    assertEquals(DebitResult.ALREADY_APPLIED, ledger.debit(new CreditEntry("k", "c2", usd("20")), false));
    assertFalse(ledger.credit(new CreditEntry("k", "c1", usd("10"))));
    assertEquals(usd("-10"), ledger.balance("c1", USD));
    assertEquals(usd("0"), ledger.balance("c2", USD));
  }

  @Test
  void findReturnsTheEntryAndItsDirection() {
    CreditEntry debit = new CreditEntry("d", "c1", usd("1.50"));
    ledger.debit(debit, false);
    CreditEntry credit = new CreditEntry("c", "c1", usd("2.00"));
    ledger.credit(credit);
    assertEquals(Optional.of(new Posting(debit, true)), ledger.find("d"));
    assertEquals(Optional.of(new Posting(credit, false)), ledger.find("c"));
    assertEquals(usd("-1.50"), ledger.find("d").orElseThrow().signedAmount());
    assertEquals(Optional.empty(), ledger.find("none"));
  }

  @Test
  void findSeesThePostingsOfTheInMemoryUnitOfWork() {
    InMemoryStores stores = new InMemoryStores();
    Posting posting = new Posting(new CreditEntry("line-1", "c1", usd("3.00")), true);
    stores.unitOfWork().commit(ChargeBatch.builder().postings(List.of(posting)).build());
    assertEquals(Optional.of(posting), stores.creditLedger().find("line-1"));
    assertEquals(DebitResult.ALREADY_APPLIED, stores.creditLedger().debit(posting.entry(), false));
  }

  @Test
  void concurrentCoveredDebitsNeverOverdraw() throws Exception {
    ledger.credit(new CreditEntry("top", "c1", usd("100.00")));
    AtomicInteger debited = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ConcurrentRunner.run(4, 100, (thread, i) -> {
      DebitResult result = ledger.debit(new CreditEntry("d-" + thread + "-" + i, "c1", usd("1.00")), true);
      (result == DebitResult.DEBITED ? debited : refused).incrementAndGet();
    });
    assertEquals(100, debited.get());
    assertEquals(300, refused.get());
    assertEquals(usd("0"), ledger.balance("c1", USD));
  }

  @Test
  void concurrentReplaysOfOneKeyApplyItOnceEvenUnderTwoCustomers() throws Exception {
    AtomicInteger applied = new AtomicInteger();
    ConcurrentRunner.run(4, 50, (thread, i) -> {
      String customer = thread % 2 == 0 ? "c1" : "c2";
      if (ledger.debit(new CreditEntry("line-" + i, customer, usd("2.00")), false) == DebitResult.DEBITED) {
        applied.incrementAndGet();
      }
    });
    assertEquals(50, applied.get());
    Money total = ledger.balance("c1", USD).plus(ledger.balance("c2", USD));
    assertEquals(usd("-100.00"), total);
  }

  @Test
  void aCountingLedgerCountsOnlyTheEntriesApplied() {
    AtomicInteger applied = new AtomicInteger();
    SplitCreditLedger counting = new CountingCreditLedger(ledger, applied);
    assertTrue(counting.credit(new CreditEntry("top", "c1", usd("1.00"))));
    assertFalse(counting.credit(new CreditEntry("top", "c1", usd("1.00"))));
    assertEquals(DebitResult.DEBITED, counting.debit(new CreditEntry("d", "c1", usd("1.00")), true));
    assertEquals(DebitResult.ALREADY_APPLIED, counting.debit(new CreditEntry("d", "c1", usd("1.00")), true));
    assertEquals(DebitResult.INSUFFICIENT_CREDIT, counting.debit(new CreditEntry("e", "c1", usd("1.00")), true));
    assertEquals(2, applied.get());
    assertEquals(ledger.find("d"), counting.find("d"));
    assertEquals(usd("0"), counting.balance("c1", USD));
  }
}
