package dev.allotment.engine;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Money;
import dev.allotment.spi.CreditFloor;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.CreditLedger.Posting;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link CreditPolicy#ONLY_IF_COVERED}: decides how far each assignment's due lines go, in the
 * order a run commits them, against the customers' balances as read once and then lowered by every
 * debit decided. The first auto-decrement debit a balance cannot cover stops the assignment: its
 * remaining lines are skipped, so its journal stays a prefix of its plan. A simulation and a charge
 * decide alike, so a simulation predicts the charge's skipped lines.
 *
 * <p>A charge commits each batch with the {@link #floors floors} its postings need, so a balance
 * that fell meanwhile (another engine debited) refuses the batch; the run then {@link #forget}s
 * what it knew of those customers and decides again.
 *
 * <p>On {@link SplitStores}, an attempt that crashed before its journal commit may have posted a
 * line's debit already, which the balance read reflects; the commit that finishes the line moves
 * only the difference to it. A decision therefore covers only that difference: counting the held
 * debit again would skip the very line the customer paid for, run after run.
 *
 * <p>Not thread-safe; one per run.
 */
final class CreditDecision {
  /** Stores whose commits post each line at once: nothing is ever held under a line not journaled. */
  static final Function<ChargeLine, Money> NOTHING_HELD = line -> Money.zero(line.retail().currency());

  private final CreditLedger ledger;
  private final Function<ChargeLine, Money> held;
  private final Map<String, Map<Currency, Money>> balances = new HashMap<>();

  /**
   * @param held the signed net already posted under a due line's key by earlier attempts
   *     ({@link SplitStores#held}), or {@link #NOTHING_HELD}
   */
  CreditDecision(CreditLedger ledger, Function<ChargeLine, Money> held) {
    this.ledger = ledger;
    this.held = held;
  }

  /** Decides due lines [from, to) of {@code run}, advancing {@code run.committed} or stopping it. */
  void decide(AssignmentRun run, int from, int to) {
    for (int i = from; i < to && !run.stopped; i++) {
      ChargeLine line = run.due.get(i);
      if (line.autoDecrement() && !line.retail().isZero()) {
        Map<Currency, Money> customer = balances.computeIfAbsent(line.customerId(), c -> new HashMap<>());
        Currency currency = line.retail().currency();
        Money balance = customer.computeIfAbsent(currency, c -> ledger.balance(line.customerId(), c));
        // What the commit still takes from the balance: the line's amount less what is held for it.
        Money outflow = line.retail().plus(held.apply(line));
        if (line.retail().signum() > 0 && outflow.signum() > 0 && balance.compareTo(outflow) < 0) {
          run.stopped = true;
          return;
        }
        customer.put(currency, balance.minus(outflow));
      }
      run.committed = i + 1;
    }
  }

  /** Forgets the balances of {@code customerIds}: the next decision reads them afresh. */
  void forget(Collection<String> customerIds) {
    customerIds.forEach(balances::remove);
  }

  /**
   * The balance each customer must have before {@code postings} (in order) so that every debit
   * among them is covered when it is applied: the largest net outflow up to any debit.
   */
  static List<CreditFloor> floors(List<Posting> postings) {
    Map<String, Map<Currency, Money[]>> running = new LinkedHashMap<>();
    for (Posting posting : postings) {
      Money amount = posting.signedAmount();
      Money[] netAndNeed = running.computeIfAbsent(posting.entry().customerId(), c -> new LinkedHashMap<>())
          .computeIfAbsent(amount.currency(), c -> new Money[] {Money.zero(c), Money.zero(c)});
      netAndNeed[0] = netAndNeed[0].plus(amount);
      if (posting.debit() && netAndNeed[0].negate().compareTo(netAndNeed[1]) > 0) {
        netAndNeed[1] = netAndNeed[0].negate();
      }
    }
    List<CreditFloor> floors = new ArrayList<>();
    running.forEach((customer, currencies) -> currencies.forEach((currency, netAndNeed) -> {
      if (netAndNeed[1].signum() > 0) {
        floors.add(new CreditFloor(customer, netAndNeed[1]));
      }
    }));
    return floors;
  }
}
