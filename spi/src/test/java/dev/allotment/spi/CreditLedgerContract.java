package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Money;
import dev.allotment.spi.CreditLedger.DebitResult;
import java.util.Currency;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link CreditLedger} must meet. Extend it and return a fresh, empty ledger
 * from {@link #newLedger()}.
 */
public abstract class CreditLedgerContract {
  private static final Currency USD = Currency.getInstance("USD");
  private static final Currency EUR = Currency.getInstance("EUR");
  private CreditLedger ledger;

  /** A fresh, empty ledger. */
  protected abstract CreditLedger newLedger();

  @BeforeEach
  void setUpLedger() {
    ledger = newLedger();
  }

  @Test
  void balanceIsCreditsMinusDebitsPerCurrency() {
    assertTrue(ledger.credit(new CreditEntry("top-1", "c1", usd("100.00"))));
    assertEquals(DebitResult.DEBITED, ledger.debit(new CreditEntry("d-1", "c1", usd("30.25")), false));
    assertTrue(ledger.credit(new CreditEntry("top-2", "c1", Money.of("5", "EUR"))));
    assertEquals(usd("69.75"), ledger.balance("c1", USD));
    assertEquals(Money.of("5.00", "EUR"), ledger.balance("c1", EUR));
    assertEquals(usd("0"), ledger.balance("c2", USD));
  }

  @Test
  void aKeyIsAppliedOnceWhateverTheAmount() {
    assertEquals(DebitResult.DEBITED, ledger.debit(new CreditEntry("k", "c1", usd("10")), false));
    assertEquals(DebitResult.ALREADY_APPLIED, ledger.debit(new CreditEntry("k", "c1", usd("10")), false));
    assertEquals(DebitResult.ALREADY_APPLIED, ledger.debit(new CreditEntry("k", "c1", usd("20")), true));
    assertFalse(ledger.credit(new CreditEntry("k", "c1", usd("10"))));
    assertEquals(usd("-10"), ledger.balance("c1", USD));
  }

  @Test
  void findReturnsTheEntryAndItsDirection() {
    CreditEntry debit = new CreditEntry("d", "c1", usd("1.50"));
    ledger.debit(debit, false);
    CreditEntry credit = new CreditEntry("c", "c1", usd("2.00"));
    ledger.credit(credit);
    assertEquals(Optional.of(new CreditLedger.Posting(debit, true)), ledger.find("d"));
    assertEquals(Optional.of(new CreditLedger.Posting(credit, false)), ledger.find("c"));
    assertEquals(usd("-1.50"), ledger.find("d").orElseThrow().signedAmount());
    assertEquals(Optional.empty(), ledger.find("none"));
  }

  @Test
  void onlyIfCoveredRefusesWithoutChangingAnything() {
    ledger.credit(new CreditEntry("top", "c1", usd("10.00")));
    assertEquals(DebitResult.INSUFFICIENT_CREDIT, ledger.debit(new CreditEntry("big", "c1", usd("10.01")), true));
    assertEquals(Optional.empty(), ledger.find("big"));
    assertEquals(usd("10.00"), ledger.balance("c1", USD));
    assertEquals(DebitResult.DEBITED, ledger.debit(new CreditEntry("exact", "c1", usd("10.00")), true));
    assertEquals(usd("0"), ledger.balance("c1", USD));
  }

  @Test
  void withoutTheCoverCheckTheBalanceMayGoNegative() {
    assertEquals(DebitResult.DEBITED, ledger.debit(new CreditEntry("d", "c1", usd("5")), false));
    assertEquals(usd("-5"), ledger.balance("c1", USD));
  }

  @Test
  void debitAllAppliesEachKeyOnceInOrder() {
    ledger.debit(new CreditEntry("held", "c1", usd("1.00")), false);
    java.util.List<DebitResult> results = ledger.debitAll(java.util.List.of(
        new CreditEntry("a", "c1", usd("2.00")), new CreditEntry("held", "c1", usd("1.00")),
        new CreditEntry("b", "c2", usd("3.00")), new CreditEntry("a", "c1", usd("2.00"))));
    assertEquals(java.util.List.of(DebitResult.DEBITED, DebitResult.ALREADY_APPLIED, DebitResult.DEBITED,
        DebitResult.ALREADY_APPLIED), results);
    assertEquals(usd("-3.00"), ledger.balance("c1", USD));
    assertEquals(usd("-3.00"), ledger.balance("c2", USD));
  }

  @Test
  void concurrentCoveredDebitsNeverOverdraw() throws Exception {
    ledger.credit(new CreditEntry("top", "c1", usd("100.00")));
    AtomicInteger debited = new AtomicInteger();
    ConcurrentRunner.run(4, 100, (thread, i) -> {
      if (ledger.debit(new CreditEntry("d-" + thread + "-" + i, "c1", usd("1.00")), true) == DebitResult.DEBITED) {
        debited.incrementAndGet();
      }
    });
    assertEquals(100, debited.get());
    assertEquals(usd("0"), ledger.balance("c1", USD));
  }

  @Test
  void concurrentReplaysOfOneKeyApplyItOnce() throws Exception {
    AtomicInteger debited = new AtomicInteger();
    ConcurrentRunner.run(4, 50, (thread, i) -> {
      if (ledger.debit(new CreditEntry("line-" + i, "c1", usd("2.00")), false) == DebitResult.DEBITED) {
        debited.incrementAndGet();
      }
    });
    assertEquals(50, debited.get());
    assertEquals(usd("-100.00"), ledger.balance("c1", USD));
  }
}
