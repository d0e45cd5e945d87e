package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.eur;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Money;
import dev.allotment.spi.CreditLedger.Posting;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link CreditLedger} must meet: top-ups through {@link CreditLedger#credit},
 * postings through the stores' {@link UnitOfWork}. Extend it and return fresh stores with an empty
 * ledger from {@link #newStores()}, called once per test.
 *
 * <p>Test methods are public: a store in another package extends this class, and JUnit's handling
 * of package-private test methods inherited across packages has had bugs (junit-framework#5098).
 */
public abstract class CreditLedgerContract {
  private static final Currency USD = Currency.getInstance("USD");
  private static final Currency EUR = Currency.getInstance("EUR");
  private CreditLedger ledger;
  private UnitOfWork unitOfWork;

  /** Fresh stores with an empty credit ledger. */
  protected abstract BillingStores newStores();

  @BeforeEach
  public final void setUpLedger() {
    BillingStores stores = newStores();
    ledger = stores.creditLedger();
    unitOfWork = stores.unitOfWork();
  }

  private void post(Posting... postings) {
    BatchResult result = unitOfWork.commit(ChargeBatch.builder().postings(List.of(postings)).build());
    assertEquals(BatchResult.committed(0), result);
  }

  private static Posting debit(String key, String customerId, Money amount) {
    return new Posting(new CreditEntry(key, customerId, amount), true);
  }

  private static Posting credit(String key, String customerId, Money amount) {
    return new Posting(new CreditEntry(key, customerId, amount), false);
  }

  @Test
  public void balanceIsCreditsMinusDebitsPerCurrency() {
    assertTrue(ledger.credit(new CreditEntry("top-1", "c1", usd("100.00"))));
    post(debit("d-1", "c1", usd("30.25")), credit("refund-1", "c1", usd("0.50")));
    assertTrue(ledger.credit(new CreditEntry("top-2", "c1", eur("5"))));
    post(debit("d-2", "c1", eur("7.10")));
    assertEquals(usd("70.25"), ledger.balance("c1", USD));
    assertEquals(eur("-2.10"), ledger.balance("c1", EUR));
    assertEquals(usd("0"), ledger.balance("c2", USD));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"USD, 12.34", "EUR, 0.01", "JPY, 1500", "KWD, 1.234", "USD, 999999999.99"})
  public void aBalanceKeepsTheAmountExactlyInItsCurrency(String code, String amount) {
    Money money = Money.of(amount, code);
    assertTrue(ledger.credit(new CreditEntry("top", "c1", money)));
    post(debit("d", "c1", money), credit("back", "c1", money));
    assertEquals(money, ledger.balance("c1", money.currency()));
    Currency other = money.currency().equals(USD) ? EUR : USD;
    assertEquals(Money.zero(other), ledger.balance("c1", other));
  }

  @Test
  public void anUnknownCustomerOrCurrencyHasAZeroBalance() {
    ledger.credit(new CreditEntry("top", "c1", usd("1.00")));
    assertEquals(Money.zero(EUR), ledger.balance("c1", EUR));
    assertEquals(Money.zero(USD), ledger.balance("nobody", USD));
  }

  @Test
  public void aTopUpKeyIsAppliedOnceWhateverTheAmountOrCustomer() {
    assertTrue(ledger.credit(new CreditEntry("k", "c1", usd("10"))));
    assertFalse(ledger.credit(new CreditEntry("k", "c1", usd("10"))));
    assertFalse(ledger.credit(new CreditEntry("k", "c1", usd("20"))));
    assertFalse(ledger.credit(new CreditEntry("k", "c2", eur("20"))));
    assertEquals(usd("10"), ledger.balance("c1", USD));
    assertEquals(usd("0"), ledger.balance("c2", USD));
    assertEquals(eur("0"), ledger.balance("c2", EUR));
  }

  @Test
  public void aKeyOfTwoHundredCharactersIsHeldLikeAnyOther() {
    String key = "k".repeat(199) + "x";
    assertTrue(ledger.credit(new CreditEntry(key, "c1", usd("1.00"))));
    assertFalse(ledger.credit(new CreditEntry(key, "c1", usd("1.00"))));
    post(debit(key, "c1", usd("1.00")));
    assertEquals(usd("1.00"), ledger.balance("c1", USD));
  }

  /** The three ways an entry reaches the ledger. */
  public enum Way {
    TOP_UP, CREDIT_POSTING, DEBIT_POSTING
  }

  private void apply(Way way, CreditEntry entry) {
    switch (way) {
      case TOP_UP -> ledger.credit(entry);
      case CREDIT_POSTING -> post(new Posting(entry, false));
      case DEBIT_POSTING -> post(new Posting(entry, true));
    }
  }

  public static Stream<Arguments> repeats() {
    List<Arguments> pairs = new ArrayList<>();
    for (Way first : Way.values()) {
      for (Way again : Way.values()) {
        pairs.add(Arguments.of(first, again));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0}, then {1}")
  @MethodSource("repeats")
  public void aKeyIsAppliedOnceWhicheverWayItComesAgain(Way first, Way again) {
    apply(first, new CreditEntry("k", "c1", usd("10.00")));
    Money after = ledger.balance("c1", USD);
    assertEquals(first == Way.DEBIT_POSTING ? usd("-10.00") : usd("10.00"), after);
    apply(again, new CreditEntry("k", "c1", usd("25.00")));
    apply(again, new CreditEntry("k", "c1", usd("10.00")));
    assertEquals(after, ledger.balance("c1", USD));
  }

  @Test
  public void withoutAFloorADebitPostingMayTakeTheBalanceNegative() {
    post(debit("d", "c1", usd("5")));
    assertEquals(usd("-5"), ledger.balance("c1", USD));
  }

  @Test
  public void concurrentTopUpsAndPostingsApplyEachKeyOnce() throws Exception {
    AtomicInteger credited = new AtomicInteger();
    ConcurrentRunner.run(4, 50, (thread, i) -> {
      if (ledger.credit(new CreditEntry("top-" + i, "c1", usd("0.03")))) {
        credited.incrementAndGet();
      }
      post(debit("line-" + i, "c1", usd("0.01")), credit("refund-" + (i % 10), "c1", usd("0.10")));
    });
    assertEquals(50, credited.get());
    // 50 top-ups of 0.03, 50 debits of 0.01, 10 refunds of 0.10
    assertEquals(usd("2.00"), ledger.balance("c1", USD));
  }
}
