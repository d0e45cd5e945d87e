package dev.allotment.engine;

import dev.allotment.core.AllotmentException;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Money;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.CreditLedger.DebitResult;
import dev.allotment.spi.CreditLedger.Posting;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Posts the credit effect of auto-decrement lines: a line of retail {@code r} must leave the
 * customer's balance changed by exactly {@code -r}, once, whatever crashed before.
 *
 * <p>A line's posting is keyed by {@code line.key().toString()}: a debit for {@code r > 0}, a
 * credit of {@code -r} for an ADJUSTMENT credit ({@code r < 0}), nothing for {@code r == 0}. A
 * key the ledger already holds means an earlier attempt posted it and crashed before its journal
 * entry (or another engine is committing the same line right now). Usually the held amount is the
 * one planned and the posting is done. If the inputs changed between that attempt and this one (a
 * new price, a moved end date, new spend), the held amount differs; the difference is then posted
 * under the next free derived key {@code key~1}, {@code key~2}, ... so that the sum of the postings
 * under the key and its derived keys equals the line being journaled. The derived keys are
 * deterministic, so reruns find them and post nothing twice, however often the inputs change
 * between crashes.
 *
 * <p>Not thread-safe; one per run. Concurrency between runs is the ledger's (keys are claimed
 * atomically). One race is out of reach of keys alone: two runs planning the same key from
 * different inputs at the same moment (an end date moved while two engines charge the same
 * assignment) each correct towards their own amount, and the journal keeps whichever line came
 * first. Partitioned runs, which never share an assignment, cannot meet it.
 */
final class CreditPoster {
  /** A run racing another over the same derived key gives up after this many rounds. */
  private static final int MAX_RECONCILE_ROUNDS = 16;

  private final CreditLedger ledger;

  CreditPoster(CreditLedger ledger) {
    this.ledger = ledger;
  }

  /** The derived key of the {@code n}-th correction of {@code key}. */
  static String correctionKey(String key, int n) {
    return key + "~" + n;
  }

  /**
   * Posts one line's effect.
   *
   * @param onlyIfCovered refuse a debit the balance does not cover
   * @return false when {@code onlyIfCovered} refused the debit (nothing changed); true when the
   *     line's effect is in place (or the line does not touch credit)
   */
  boolean post(ChargeLine line, boolean onlyIfCovered) {
    if (!line.autoDecrement()) {
      return true;
    }
    String key = line.key().toString();
    int sign = line.retail().signum();
    if (sign > 0) {
      DebitResult result = ledger.debit(entry(key, line, line.retail()), onlyIfCovered);
      if (result == DebitResult.DEBITED) {
        return true;
      }
      if (result == DebitResult.INSUFFICIENT_CREDIT) {
        return false;
      }
    } else if (sign < 0) {
      if (ledger.credit(entry(key, line, line.retail().negate()))) {
        return true;
      }
    }
    return reconcile(key, line, line.retail().negate(), onlyIfCovered);
  }

  /**
   * Undoes what earlier attempts posted for a line that will not be journaled (its plan changed
   * since): brings the net of the postings under its key and derived keys back to zero.
   */
  void undo(ChargeLine line) {
    if (line.autoDecrement()) {
      reconcile(line.key().toString(), line, Money.zero(line.retail().currency()), false);
    }
  }

  /**
   * Posts the effect of many lines without a coverage check (the default policy): debits in one
   * {@link CreditLedger#debitAll} call, then credits, then the reconciliation of held keys.
   */
  void postAll(List<ChargeLine> lines) {
    List<ChargeLine> debits = new ArrayList<>();
    List<CreditEntry> entries = new ArrayList<>();
    List<ChargeLine> others = new ArrayList<>();
    for (ChargeLine line : lines) {
      if (!line.autoDecrement()) {
        continue;
      }
      if (line.retail().signum() > 0) {
        debits.add(line);
        entries.add(entry(line.key().toString(), line, line.retail()));
      } else {
        others.add(line);
      }
    }
    if (!entries.isEmpty()) {
      List<DebitResult> results = ledger.debitAll(entries);
      if (results.size() != entries.size()) {
        throw new IllegalStateException("debitAll answered " + results.size() + " results for " + entries.size()
            + " entries");
      }
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) == DebitResult.ALREADY_APPLIED) {
          reconcile(entries.get(i).key(), debits.get(i), debits.get(i).retail().negate(), false);
        } else if (results.get(i) != DebitResult.DEBITED) {
          throw new IllegalStateException("debitAll answered " + results.get(i) + " for " + entries.get(i).key());
        }
      }
    }
    for (ChargeLine line : others) {
      post(line, false);
    }
  }

  /**
   * Brings the net of the postings under the line's key and its derived keys to {@code wanted}
   * ({@code -retail} to finish a line, zero to undo one). Called when the key is held already, for
   * a zero line (which posts nothing unless an earlier attempt at another amount did), or to undo.
   */
  private boolean reconcile(String key, ChargeLine line, Money wanted, boolean onlyIfCovered) {
    Optional<Posting> first = ledger.find(key);
    if (first.isEmpty()) {
      // Nothing was posted under the key (derived keys exist only beside a held key).
      return true;
    }
    for (int round = 0; round < MAX_RECONCILE_ROUNDS; round++) {
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
      String correction = correctionKey(key, n);
      if (difference.isNegative()) {
        DebitResult result = ledger.debit(entry(correction, line, difference.negate()), onlyIfCovered);
        if (result == DebitResult.DEBITED) {
          return true;
        }
        if (result == DebitResult.INSUFFICIENT_CREDIT) {
          return false;
        }
      } else if (ledger.credit(entry(correction, line, difference))) {
        return true;
      }
      // Another run claimed the same derived key a moment ago; count again.
    }
    throw new AllotmentException("credit postings under key '" + key + "' keep changing under concurrent runs; "
        + "run again");
  }

  private static CreditEntry entry(String key, ChargeLine line, Money amount) {
    return new CreditEntry(key, line.customerId(), amount);
  }
}
