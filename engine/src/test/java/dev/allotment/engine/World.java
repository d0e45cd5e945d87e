package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.PackageCatalog;
import dev.allotment.spi.SpendSource;
import dev.allotment.spi.SplitCreditLedger;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The embedded default: one {@link InMemoryStores} that several engines, clean or with a unit of
 * work that fails on demand, can share; and the outcome a test compares.
 */
final class World {
  final MutableBillingClock clock = Fixtures.clock();
  final InMemoryStores memory = new InMemoryStores();
  /** {@link #memory}, or its stores with another spend source. */
  final BillingStores stores;
  final CreditPolicy policy;
  final int batchSize;
  final int pageSize;

  /** Spend recorded into the in-memory spend source for the fixtures' customers. */
  World(CreditPolicy policy, int batchSize) {
    this(policy, batchSize, 13, null);
  }

  /**
   * @param spend the spend source, or null for the in-memory one with {@link Fixtures#recordSpend}
   */
  World(CreditPolicy policy, int batchSize, int pageSize, SpendSource spend) {
    this.policy = policy;
    this.batchSize = batchSize;
    this.pageSize = pageSize;
    if (spend == null) {
      Fixtures.recordSpend(memory.spend(), Fixtures.CUSTOMERS);
      this.stores = memory;
    } else {
      this.stores = with(memory.unitOfWork(), spend);
    }
  }

  /** The in-memory stores with {@code unitOfWork} and {@code spend} in place of their own. */
  private BillingStores with(UnitOfWork unitOfWork, SpendSource spend) {
    return BillingStores.builder().catalog(memory.catalog()).assignments(memory.assignments())
        .journal(memory.journal()).creditLedger(memory.creditLedger()).spend(spend).freeMinutes(memory.freeMinutes())
        .unitOfWork(unitOfWork).events(memory.events()).build();
  }

  PackageBilling clean() {
    return engine(stores);
  }

  /**
   * An engine whose batches go through {@code unitOfWork} (which should end in {@link #memory}'s),
   * one batch at a time: the hooks of these tests act on the k-th commit, in the run's order.
   */
  PackageBilling through(UnitOfWork unitOfWork) {
    return engine(with(unitOfWork, stores.spend()), 1);
  }

  private PackageBilling engine(BillingStores bundle) {
    return engine(bundle, null);
  }

  /** @param commitsInFlight null for the engine's default */
  private PackageBilling engine(BillingStores bundle, Integer commitsInFlight) {
    PackageBillingBuilder builder = PackageBilling.builder().clock(clock).stores(bundle).creditPolicy(policy)
        .batchSize(batchSize).pageSize(pageSize);
    if (commitsInFlight != null) {
      builder.commitsInFlight(commitsInFlight);
    }
    return builder.build();
  }

  World define(List<ServicePackage> packages, List<Assignment> list) {
    Fixtures.setUp(clean(), packages, list);
    return this;
  }

  void topUp(String customerId, Money amount) {
    Fixtures.topUp(memory.creditLedger(), customerId, amount);
  }

  /**
   * Charges {@code date} with clean engines until a run charges nothing. Under ONLY_IF_COVERED a
   * run may take two: an adjustment's credit posted late in one run covers a line the run skipped
   * earlier; under ALLOW_NEGATIVE the first run does everything.
   */
  void chargeUntilSettled(LocalDate date) {
    settle(this::clean, date);
  }

  static void settle(Supplier<PackageBilling> engines, LocalDate date) {
    for (int i = 0; i < 10; i++) {
      if (engines.get().run(date, RunMode.CHARGE).summary().count(LineStatus.CHARGED) == 0) {
        return;
      }
    }
    throw new AssertionError("charging " + date + " did not settle");
  }

  /** Journal, balances, live grants and assignments: what "nothing lost, nothing twice" compares. */
  Outcome outcome() {
    return outcome(memory.catalog(), memory.assignments(), memory.journal(), memory.creditLedger(),
        memory.freeMinutes(), clock.zone());
  }

  /**
   * The outcome of stores, checked first for the laws every outcome keeps: every journaled
   * auto-decrement line moved its customer's balance by exactly -retail through its key (and, on
   * split stores, its correction keys), every other line posted nothing; the live grants are
   * exactly the grants of the journaled FREE_MINUTES lines, nothing used.
   */
  static Outcome outcome(PackageCatalog catalog, AssignmentStore assignments, ChargeJournal journal,
      SplitCreditLedger ledger, FreeMinuteStore freeMinutes, ZoneId zone) {
    Map<String, List<ChargeLine>> lines = Fixtures.journal(journal, assignments);
    checkNetPostings(lines, ledger);
    Map<String, GrantBalance> live = Fixtures.liveGrants(freeMinutes, assignments, zone);
    Map<String, Grant> grants = new TreeMap<>();
    live.forEach((id, balance) -> {
      assertEquals(0, balance.usedSeconds(), "no call consumed " + id);
      grants.put(id, balance.grant());
    });
    Map<String, Grant> expected = Fixtures.journaledGrants(lines, catalog, zone);
    if (!expected.equals(grants)) {
      java.util.Set<String> ids = new java.util.TreeSet<>(expected.keySet());
      ids.addAll(grants.keySet());
      List<String> diff = ids.stream().filter(id -> !java.util.Objects.equals(expected.get(id), grants.get(id)))
          .map(id -> id + ": journal says " + expected.get(id) + ", store holds " + grants.get(id)).toList();
      fail("the live grants are those of the journaled FREE_MINUTES lines; " + diff.size() + " differ: "
          + diff.subList(0, Math.min(3, diff.size())));
    }
    return new Outcome(lines, Fixtures.balances(ledger, assignments), grants, Fixtures.all(assignments));
  }

  private static void checkNetPostings(Map<String, List<ChargeLine>> lines, SplitCreditLedger ledger) {
    for (List<ChargeLine> assignmentLines : lines.values()) {
      for (ChargeLine line : assignmentLines) {
        String key = line.key().toString();
        if (!line.autoDecrement()) {
          assertEquals(Optional.empty(), ledger.find(key), "a line without auto-decrement posts nothing: " + key);
          continue;
        }
        assertEquals(line.retail().negate(), netPosted(ledger, key, line.retail().currency()),
            "net credit postings of " + key);
      }
    }
  }

  /** The net of the postings under {@code key} and its correction keys. */
  static Money netPosted(SplitCreditLedger ledger, String key, Currency currency) {
    Money net = Money.zero(currency);
    Optional<Posting> posting = ledger.find(key);
    for (int n = 1; posting.isPresent(); n++) {
      net = net.plus(posting.get().signedAmount());
      posting = ledger.find(CreditPoster.correctionKey(key, n));
    }
    return net;
  }

  /**
   * Asserts the outcomes are equal, naming only what differs (an outcome prints thousands of
   * lines): lines missing or extra per assignment, balances, grants and assignments that differ.
   */
  static void assertSameOutcome(Outcome expected, Outcome actual, String message) {
    if (expected.equals(actual)) {
      return;
    }
    StringBuilder diff = new StringBuilder(message).append(": outcomes differ");
    Set<String> ids = new TreeSet<>(expected.journal().keySet());
    ids.addAll(actual.journal().keySet());
    for (String id : ids) {
      List<ChargeLine> want = expected.journal().getOrDefault(id, List.of());
      List<ChargeLine> got = actual.journal().getOrDefault(id, List.of());
      want.stream().filter(l -> !got.contains(l)).forEach(l -> diff.append("\n  missing ").append(l));
      got.stream().filter(l -> !want.contains(l)).forEach(l -> diff.append("\n  extra   ").append(l));
    }
    differences(diff, "balance", expected.balances(), actual.balances());
    differences(diff, "grant", expected.grants(), actual.grants());
    if (!expected.assignments().equals(actual.assignments())) {
      diff.append("\n  assignments: ").append(expected.assignments()).append("\n  were ").append(actual.assignments());
    }
    throw new AssertionError(diff.toString());
  }

  private static <V> void differences(StringBuilder diff, String what, Map<String, V> expected, Map<String, V> actual) {
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      if (!Objects.equals(expected.get(key), actual.get(key))) {
        diff.append("\n  ").append(what).append(' ').append(key).append(": expected ").append(expected.get(key))
            .append(", was ").append(actual.get(key));
      }
    }
  }

  record Outcome(Map<String, List<ChargeLine>> journal, Map<String, Money> balances, Map<String, Grant> grants,
      List<Assignment> assignments) {}
}
