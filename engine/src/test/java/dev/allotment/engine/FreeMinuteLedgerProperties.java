package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The ledger's laws over random grants and calls, against an oracle written independently from
 * the implementation: eligibility by {@code startsWith} over the prefixes, the order as a
 * {@link Comparator} chain, and balances simulated call by call.
 */
final class FreeMinuteLedgerProperties {
  private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");
  private static final List<String> CUSTOMERS = List.of("c", "other");

  /** A grant and the prefixes its destination was written from (empty: no destination). */
  record GrantCase(Grant grant, List<String> prefixes) {}

  record Scenario(List<GrantCase> grants, List<UsageRecord> calls) {
    List<Grant> grantList() {
      return grants.stream().map(GrantCase::grant).toList();
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<String> did = Arbitraries.of("", "100", "200");
    Arbitrary<List<String>> prefixes = Arbitraries.of(List.of(), List.of("44"), List.of("4"), List.of("441", "91"),
        List.of("9"), List.of("4", "44"));
    Arbitrary<GrantCase> grant = Combinators.combine(Arbitraries.of("c", "c", "c", "other"), did, prefixes,
        Arbitraries.longs().between(0, 900), Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 40),
        Arbitraries.of(1, 6, 30, 60)).as((customer, d, p, seconds, fromDay, days, increment) -> {
          Instant from = BASE.plus(Duration.ofDays(fromDay));
          Grant.Builder b = Grant.builder("g").assignmentId("a").customerId(customer).allocatedSeconds(seconds)
              .validFrom(from).roundingIncrementSeconds(increment);
          if (!d.isEmpty()) {
            b.did(d);
          }
          if (!p.isEmpty()) {
            b.destination(p.stream().map(x -> "^" + x).collect(Collectors.joining("|")));
          }
          if (days > 0) {
            b.validUntil(from.plus(Duration.ofDays(days)));
          }
          return new GrantCase(b.build(), p);
        });
    Arbitrary<String> number = Combinators.combine(Arbitraries.of("44", "441", "4", "91", "9", "3"),
        Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(8)).as(String::concat);
    Arbitrary<UsageRecord> call = Combinators.combine(Arbitraries.of("c", "c", "c", "other"), did, number,
        Arbitraries.longs().between(0, 45L * 86_400), Arbitraries.longs().between(0, 2_000))
        .as((customer, d, n, second, duration) -> new UsageRecord("u", customer,
            d.isEmpty() ? Optional.empty() : Optional.of(d), n, BASE.plusSeconds(second), duration));
    return Combinators.combine(grant.list().ofMaxSize(6), call.list().ofMinSize(1).ofMaxSize(25))
        .as(FreeMinuteLedgerProperties::withIds);
  }

  /** Gives the generated grants and calls distinct ids (several grants may share every other field). */
  private static Scenario withIds(List<GrantCase> grants, List<UsageRecord> calls) {
    List<GrantCase> named = new ArrayList<>();
    for (int i = 0; i < grants.size(); i++) {
      Grant g = grants.get(i).grant();
      Grant.Builder b = Grant.builder("g" + i).assignmentId("a" + i).customerId(g.customerId())
          .allocatedSeconds(g.allocatedSeconds()).validFrom(g.validFrom())
          .roundingIncrementSeconds(g.roundingIncrementSeconds());
      g.did().ifPresent(b::did);
      g.destination().ifPresent(b::destination);
      g.validUntil().ifPresent(b::validUntil);
      named.add(new GrantCase(b.build(), grants.get(i).prefixes()));
    }
    List<UsageRecord> numbered = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      UsageRecord u = calls.get(i);
      numbered.add(new UsageRecord("u" + i, u.customerId(), u.did(), u.number(), u.start(), u.durationSeconds()));
    }
    return new Scenario(named, numbered);
  }

  // ---- the oracle

  private static int matchLength(GrantCase g, UsageRecord call) {
    if (g.prefixes().isEmpty()) {
      return 0;
    }
    int longest = -1;
    for (String p : g.prefixes()) {
      if (call.number().startsWith(p)) {
        longest = Math.max(longest, p.length());
      }
    }
    return longest;
  }

  private static boolean serves(GrantCase g, UsageRecord call) {
    Grant grant = g.grant();
    boolean valid = !call.start().isBefore(grant.validFrom())
        && grant.validUntil().map(call.start()::isBefore).orElse(true);
    boolean didOk = grant.did().isEmpty() || grant.did().equals(call.did());
    return grant.customerId().equals(call.customerId()) && valid && didOk && matchLength(g, call) >= 0;
  }

  private static List<GrantCase> expectedOrder(Scenario s, UsageRecord call) {
    return s.grants().stream().filter(g -> serves(g, call))
        .sorted(Comparator.comparingInt((GrantCase g) -> matchLength(g, call)).reversed()
            .thenComparing(g -> g.grant().validUntil().orElse(null), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(g -> g.grant().validFrom())
            .thenComparing(g -> g.grant().id()))
        .toList();
  }

  /** What the call should do given what each grant has left; updates {@code remaining}. */
  private static Consumption expected(Scenario s, UsageRecord call, Map<String, Long> remaining) {
    List<GrantCase> order = expectedOrder(s, call);
    long duration = call.durationSeconds();
    long rounded = duration;
    if (!order.isEmpty()) {
      long increment = order.get(0).grant().roundingIncrementSeconds();
      rounded = (duration + increment - 1) / increment * increment;
    }
    long need = rounded;
    List<GrantSeconds> takes = new ArrayList<>();
    for (GrantCase g : order) {
      long left = remaining.get(g.grant().id());
      long take = Math.min(left, need);
      if (take > 0) {
        takes.add(new GrantSeconds(g.grant().id(), take));
        remaining.put(g.grant().id(), left - take);
        need -= take;
      }
    }
    return new Consumption(call, rounded, takes);
  }

  private static Map<String, Long> allocations(Scenario s) {
    Map<String, Long> remaining = new HashMap<>();
    s.grantList().forEach(g -> remaining.put(g.id(), g.allocatedSeconds()));
    return remaining;
  }

  private static FreeMinuteLedger ledger(Scenario s, MutableBillingClock clock) {
    InMemoryStores stores = new InMemoryStores();
    FreeMinuteLedger ledger = FreeMinuteLedger.of(stores.freeMinutes(), stores.unitOfWork(), clock);
    ledger.addGrants(s.grantList());
    return ledger;
  }

  private static FreeMinuteLedger ledger(Scenario s) {
    return ledger(s, MutableBillingClock.at(BASE, ZoneOffset.UTC));
  }

  /** Every grant of every customer, whatever its validity. */
  private static List<GrantBalance> allBalances(FreeMinuteLedger ledger, Scenario s) {
    List<GrantBalance> all = new ArrayList<>();
    for (String customer : CUSTOMERS) {
      for (Grant g : s.grantList()) {
        if (g.customerId().equals(customer)) {
          ledger.balances(customer, g.validFrom()).stream().filter(b -> b.grant().equals(g)).forEach(all::add);
        }
      }
    }
    return all;
  }

  // ---- the laws

  /**
   * Order (longest prefix, earliest expiry, oldest), rounding (by the first eligible grant) and
   * coverage are exactly the oracle's, call after call; covered + uncovered is the rounded
   * duration, and something stays uncovered only when every eligible grant is used up.
   */
  @Property(tries = 300)
  void consumptionFollowsTheRules(@ForAll("scenarios") Scenario s) {
    FreeMinuteLedger ledger = ledger(s);
    Map<String, Long> remaining = allocations(s);
    for (UsageRecord call : s.calls()) {
      Consumption actual = ledger.consume(call);
      Consumption expected = expected(s, call, remaining);
      assertEquals(expected, actual, () -> call.toString());
      assertEquals(actual.roundedSeconds(), actual.coveredSeconds() + actual.uncoveredSeconds());
      assertTrue(actual.uncoveredSeconds() >= 0);
      if (actual.uncoveredSeconds() > 0) {
        for (GrantCase g : expectedOrder(s, call)) {
          assertEquals(0L, remaining.get(g.grant().id()), () -> g.grant().id() + " still had seconds for " + call);
        }
      }
    }
  }

  /** After every call each grant's used seconds is within 0..allocated and is what calls took from it. */
  @Property(tries = 200)
  void noGrantGoesBelowZeroOrAboveItsAllocation(@ForAll("scenarios") Scenario s) {
    FreeMinuteLedger ledger = ledger(s);
    Map<String, Long> taken = new HashMap<>();
    for (UsageRecord call : s.calls()) {
      for (GrantSeconds take : ledger.consume(call).takes()) {
        taken.merge(take.grantId(), take.seconds(), Long::sum);
      }
      for (GrantBalance b : allBalances(ledger, s)) {
        assertTrue(b.usedSeconds() >= 0 && b.usedSeconds() <= b.allocatedSeconds(), b::toString);
        assertEquals(taken.getOrDefault(b.grant().id(), 0L), b.usedSeconds(), b::toString);
      }
    }
  }

  /** Replaying every call, in reverse order, returns the first results and changes no balance. */
  @Property(tries = 200)
  void aReplayChangesNothing(@ForAll("scenarios") Scenario s) {
    FreeMinuteLedger ledger = ledger(s);
    List<Consumption> first = s.calls().stream().map(ledger::consume).toList();
    List<GrantBalance> before = allBalances(ledger, s);
    for (int i = s.calls().size() - 1; i >= 0; i--) {
      assertEquals(first.get(i), ledger.consume(s.calls().get(i)));
    }
    assertEquals(before, allBalances(ledger, s));
  }

  /**
   * Refunding a call at its start and consuming it again takes the same seconds from the same
   * grants, and leaves every balance as it was before the refund.
   */
  @Property(tries = 200)
  void refundThenReconsumeGivesTheSameTotal(@ForAll("scenarios") Scenario s,
      @ForAll @IntRange(min = 0, max = 24) int pick) {
    MutableBillingClock clock = MutableBillingClock.at(BASE, ZoneOffset.UTC);
    FreeMinuteLedger ledger = ledger(s, clock);
    List<Consumption> first = s.calls().stream().map(ledger::consume).toList();
    List<GrantBalance> before = allBalances(ledger, s);
    int k = pick % s.calls().size();
    UsageRecord call = s.calls().get(k);

    clock.set(call.start());
    long returned = ledger.refund(call.usageId()).orElseThrow().returnedSeconds();
    Consumption again = ledger.consume(call);

    assertEquals(first.get(k).coveredSeconds(), returned);
    assertEquals(first.get(k).coveredSeconds(), again.coveredSeconds());
    assertEquals(first.get(k), again);
    assertEquals(before, allBalances(ledger, s));
  }

  /** What {@code available} says before a call is at least what the call then covers. */
  @Property(tries = 200)
  void availableBeforeACallBoundsWhatItCovers(@ForAll("scenarios") Scenario s) {
    FreeMinuteLedger ledger = ledger(s);
    Map<String, Long> remaining = allocations(s);
    for (UsageRecord call : s.calls()) {
      long available = ledger.available(call.customerId(), call.did(), call.number(), call.start());
      long oracle = expectedOrder(s, call).stream().mapToLong(g -> remaining.get(g.grant().id())).sum();
      Consumption c = ledger.consume(call);
      expected(s, call, remaining);
      assertEquals(oracle, available, call::toString);
      assertTrue(available >= c.coveredSeconds(), () -> available + " < " + c.coveredSeconds() + " for " + call);
      if (available >= c.roundedSeconds()) {
        assertEquals(0, c.uncoveredSeconds(), call::toString);
      }
    }
  }
}
