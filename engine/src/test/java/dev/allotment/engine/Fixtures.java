package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.SpendSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Packages, assignments and store snapshots shared by the engine tests. */
final class Fixtures {
  static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  static final Currency USD = Currency.getInstance("USD");
  static final Currency EUR = Currency.getInstance("EUR");

  private Fixtures() {}

  static MutableBillingClock clock() {
    return MutableBillingClock.startOf(JAN_1, ZoneOffset.UTC);
  }

  static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  /** Monthly on the start's day of month, 30.00 retail, 12.00 cost. */
  static ServicePackage monthly(String id) {
    return ServicePackage.builder(id).name("Monthly " + id).currency("USD").retail("30.00").cost("12.00")
        .frequency(Frequency.MONTHLY).build();
  }

  /**
   * Spend that depends only on customer and period, so simulations and charges agree and a
   * run can be repeated: 0.00..49.99 per period.
   */
  static SpendSource deterministicSpend() {
    return (customerId, currency, period) -> Money.of(java.math.BigDecimal.valueOf(
        Math.floorMod(customerId.hashCode() * 31L + period.start().toEpochDay() * 7 + period.days(), 5000L), 2),
        currency);
  }

  /** {@link ContractFixtures#mixedCatalog()}. */
  static List<ServicePackage> mixedCatalog() {
    return ContractFixtures.mixedCatalog();
  }

  /** {@code count} assignments spread over the mixed catalog and a few customers. */
  static List<Assignment> mixedAssignments(int count, LocalDate firstStart) {
    List<ServicePackage> catalog = mixedCatalog();
    List<Assignment> assignments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ServicePackage p = catalog.get(i % catalog.size());
      Assignment.Builder b = Assignment.builder(String.format("a%03d", i)).customerId("c" + (i % 7))
          .packageId(p.id()).quantity(1 + i % 3).startDate(firstStart.plusDays(i * 5L % 90))
          .autoDecrementCredit(i % 4 != 3);
      if (i % 5 == 2) {
        b.endDate(firstStart.plusDays(100 + i % 60));
      }
      if (i % 11 == 4) {
        b.did("4420" + i);
      }
      if (p.grantsFreeMinutes()) {
        b.minutes(100 + i);
      }
      assignments.add(b.build());
    }
    return assignments;
  }

  static PackageBilling.Builder engine(MutableBillingClock clock) {
    return PackageBilling.builder().clock(clock);
  }

  static void setUp(PackageBilling billing, List<ServicePackage> packages, List<Assignment> assignments) {
    packages.forEach(billing::define);
    assignments.forEach(billing::assign);
  }

  /** Every journal line, by assignment id, in key order. */
  static Map<String, List<ChargeLine>> journal(ChargeJournal journal, AssignmentStore store) {
    Map<String, List<ChargeLine>> lines = new TreeMap<>();
    for (Assignment a : store.page(Optional.empty(), Optional.empty(), Integer.MAX_VALUE)) {
      lines.put(a.id(), journal.lines(a.id()));
    }
    return lines;
  }

  /** Every customer's balance in USD and EUR. */
  static Map<String, Money> balances(CreditLedger ledger, AssignmentStore store) {
    Map<String, Money> balances = new TreeMap<>();
    for (Assignment a : store.page(Optional.empty(), Optional.empty(), Integer.MAX_VALUE)) {
      for (Currency currency : List.of(USD, EUR)) {
        balances.put(a.customerId() + " " + currency.getCurrencyCode(), ledger.balance(a.customerId(), currency));
      }
    }
    return balances;
  }

  /** The lines of a report with {@code from} replaced by {@code to}. */
  static List<PlannedLine> relabel(List<PlannedLine> lines, LineStatus from, LineStatus to) {
    return lines.stream().map(l -> l.status() == from ? l.withStatus(to) : l).toList();
  }

  /**
   * A grant writer that records what it is given and keeps the live grants by key, as a real
   * ledger would: a held key keeps its first terms, a revoked one stops being live until it is
   * written again, which revives it with those first terms.
   */
  static final class RecordingGrants implements GrantWriter {
    final List<List<ChargeLine>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The live grants. */
    final Map<String, ChargeLine> grants = new ConcurrentHashMap<>();
    /** Every grant ever written, live or revoked, with its first terms. */
    private final Map<String, ChargeLine> held = new ConcurrentHashMap<>();

    @Override
    public synchronized void write(List<ChargeLine> freeMinuteLines) {
      calls.add(List.copyOf(freeMinuteLines));
      for (ChargeLine line : freeMinuteLines) {
        String key = line.key().toString();
        grants.put(key, held.computeIfAbsent(key, k -> line));
      }
    }

    @Override
    public synchronized void revoke(List<ChargeLine> freeMinuteLines) {
      for (ChargeLine line : freeMinuteLines) {
        grants.remove(line.key().toString());
      }
    }
  }

  /** The customer's spend over a period, for tests that need one fixed period's spend. */
  static BillingPeriod period(LocalDate start, LocalDate endExclusive) {
    return new BillingPeriod(start, endExclusive);
  }
}
