package dev.allotment.engine;

import dev.allotment.core.AllotmentException;
import dev.allotment.core.Money;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.SplitCreditLedger;
import dev.allotment.spi.SplitCreditLedger.DebitResult;
import java.util.Currency;
import java.util.Optional;

/**
 * Posts a line's credit effect on a ledger that lives apart from the journal ({@link SplitStores}):
 * the net of the postings under the line's key must end at exactly the wanted amount, once,
 * whatever crashed before.
 *
 * <p>A key the ledger already holds means an earlier attempt posted it and crashed before its
 * journal entry. Usually the held amount is the one wanted; if the inputs changed between that
 * attempt and this one (a new price, a moved end date, new spend), the difference is posted under
 * the next free derived key {@code key~1}, {@code key~2}, ..., so that the postings under the key
 * and its derived keys sum to the wanted amount. Derived keys are deterministic, so reruns find
 * them and post nothing twice.
 *
 * <p>Not thread-safe; concurrency between attempts is the ledger's (keys are claimed atomically).
 */
final class CreditPoster {
  /** An attempt racing another over the same derived key gives up after this many rounds. */
  private static final int MAX_ROUNDS = 16;

  private final SplitCreditLedger ledger;

  CreditPoster(SplitCreditLedger ledger) {
    this.ledger = ledger;
  }

  /** The derived key of the {@code n}-th correction of {@code key}. */
  static String correctionKey(String key, int n) {
    return key + "~" + n;
  }

  /**
   * Brings the net under the posting's key to its signed amount.
   *
   * @param onlyIfCovered refuse a debit the balance does not cover
   * @return false when {@code onlyIfCovered} refused a debit (nothing changed by it)
   */
  boolean post(Posting posting, boolean onlyIfCovered) {
    CreditEntry entry = posting.entry();
    if (posting.debit()) {
      DebitResult result = ledger.debit(entry, onlyIfCovered);
      if (result != DebitResult.ALREADY_APPLIED) {
        return result == DebitResult.DEBITED;
      }
    } else if (ledger.credit(entry)) {
      return true;
    }
    return reconcile(entry.key(), entry.customerId(), posting.signedAmount(), onlyIfCovered);
  }

  /**
   * The net of what is posted under {@code key} and its correction keys (negative for a debit):
   * what earlier attempts of the key's line posted, zero when they posted nothing.
   */
  Money held(String key, Currency currency) {
    Money held = Money.zero(currency);
    Optional<Posting> posting = ledger.find(key);
    for (int n = 1; posting.isPresent(); n++) {
      held = held.plus(posting.get().signedAmount());
      posting = ledger.find(correctionKey(key, n));
    }
    return held;
  }

  /** Brings the net under {@code key} back to zero: undoes what earlier attempts posted. */
  void undo(String key, String customerId, Money zero) {
    reconcile(key, customerId, zero, false);
  }

  private boolean reconcile(String key, String customerId, Money wanted, boolean onlyIfCovered) {
    Optional<Posting> first = ledger.find(key);
    if (first.isEmpty()) {
      // Nothing was posted under the key (derived keys exist only beside a held key): only an undo
      // gets here, and there is nothing to undo.
      return true;
    }
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Money held = first.get().signedAmount();
      int n = 1;
      for (Optional<Posting> p = ledger.find(correctionKey(key, n)); p.isPresent();
          p = ledger.find(correctionKey(key, ++n))) {
        held = held.plus(p.get().signedAmount());
      }
      Money difference = wanted.minus(held);
      if (difference.isZero()) {
        return true;
      }
      CreditEntry correction = new CreditEntry(correctionKey(key, n), customerId,
          difference.isNegative() ? difference.negate() : difference);
      if (difference.isNegative()) {
        DebitResult result = ledger.debit(correction, onlyIfCovered);
        if (result != DebitResult.ALREADY_APPLIED) {
          return result == DebitResult.DEBITED;
        }
      } else if (ledger.credit(correction)) {
        return true;
      }
      // Another attempt claimed the same derived key a moment ago; count again.
    }
    throw new AllotmentException("credit postings under key '" + key + "' keep changing under concurrent runs; "
        + "run again");
  }
}
