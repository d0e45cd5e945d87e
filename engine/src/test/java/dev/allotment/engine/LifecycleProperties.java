package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.LifecycleModel.Kind;
import dev.allotment.engine.LifecycleModel.Member;
import dev.allotment.engine.LifecycleModel.Op;
import dev.allotment.engine.LifecycleModel.Pkg;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Plan changes, suspensions, resumes and end dates in random order over a few months of random
 * monthly, weekly and daily PRORATED packages (with and without free minutes), against
 * {@link LifecycleModel}, an oracle written from domain.md:
 * (1) charging every day nets the same journal as one catch-up charge on the last day;
 * (2) every SIMULATE predicts the CHARGE after it line for line;
 * (3) what is charged is, per billed period, the sum of its active days' shares of the whole
 * rule period's price (rounded once), and grants likewise;
 * (4) no grant is overdrawn, and no call on a day its assignment is not active is covered by it.
 * Every operation is also checked against the rules' refusals, and the stored terms against the model's.
 */
final class LifecycleProperties {
  private static final LocalDate BASE = LocalDate.of(2026, 1, 1);
  private static final String CUSTOMER = "c";

  /** A call: day offset from the start, second of that day, duration; late calls are consumed after the last run. */
  record Call(int day, int second, int duration, boolean late) {}

  record Scenario(List<Pkg> catalog, int startOffset, int quantity, int minutes, int days, List<Op> ops,
      List<Call> calls) {
    LocalDate start() {
      return BASE.plusDays(startOffset);
    }

    LocalDate last() {
      return start().plusDays(days);
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return scenarios(Arbitraries.just(FirstPeriod.PRORATED));
  }

  @Provide
  Arbitrary<Scenario> anyFirstPeriod() {
    return scenarios(Arbitraries.of(FirstPeriod.class));
  }

  private static Arbitrary<Scenario> scenarios(Arbitrary<FirstPeriod> firstPeriod) {
    Arbitrary<Frequency> frequency = Arbitraries.of(Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY,
        Frequency.MONTHLY);
    Arbitrary<Pkg> pkg = Combinators.combine(frequency, Arbitraries.integers().between(1, 31).set().ofMinSize(1)
        .ofMaxSize(2), Arbitraries.integers().between(1, 7).set().ofMinSize(1).ofMaxSize(3),
        Arbitraries.integers().between(0, 9_999), Arbitraries.integers().between(0, 4_000),
        Arbitraries.integers().between(0, 3_000), Arbitraries.of(true, false))
        .as((f, monthDays, weekDays, retail, cost, setup, minutes) -> new Pkg("p", f,
            f == Frequency.MONTHLY ? List.copyOf(monthDays) : f == Frequency.WEEKLY ? List.copyOf(weekDays) : List.of(),
            retail, cost, setup % 3 == 0 ? 0 : setup, minutes, FirstPeriod.PRORATED));
    Arbitrary<List<Pkg>> catalog = Combinators.combine(pkg.list().ofSize(3), firstPeriod.list().ofSize(3))
        .as((ps, policies) -> {
          List<Pkg> named = new ArrayList<>();
          for (int i = 0; i < ps.size(); i++) {
            Pkg p = ps.get(i);
            named.add(new Pkg("p" + i, p.frequency(), p.match(), p.retailCents(), p.costCents(), p.setupCents(),
                p.minutes(), policies.get(i)));
          }
          return named;
        });
    Arbitrary<Kind> kind = Arbitraries.frequency(Tuple.of(3, Kind.CHANGE_IMMEDIATE), Tuple.of(2,
        Kind.CHANGE_NEXT_PERIOD), Tuple.of(3, Kind.SUSPEND), Tuple.of(1, Kind.RESUME), Tuple.of(1, Kind.UNASSIGN));
    // A suspension mostly comes with its resume, asked up to 10 days later for up to 40 days after its start.
    Arbitrary<List<Op>> op = Combinators.combine(Arbitraries.integers().between(0, 90), kind,
        Arbitraries.integers().between(-10, 25), Arbitraries.integers().between(-1, 2),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(-1, 10),
        Arbitraries.integers().between(1, 40)).as((day, k, offset, p, q, askedAfter, span) -> {
          if (k == Kind.SUSPEND && askedAfter >= 0) {
            return List.of(new Op(day, k, offset, p, q), new Op(day + askedAfter, Kind.RESUME, offset + span - askedAfter,
                p, q));
          }
          // Keeping both the package and the quantity changes nothing: a refusal the table test covers.
          return List.of(new Op(day, k, offset, p, p < 0 && q == 0 ? 2 : q));
        });
    Arbitrary<Call> call = Combinators.combine(Arbitraries.integers().between(-3, 125),
        Arbitraries.integers().between(0, 86_399), Arbitraries.integers().between(1, 4_000), Arbitraries.of(true, false))
        .as(Call::new);
    return Combinators.combine(catalog, Arbitraries.integers().between(0, 40), Arbitraries.integers().between(1, 3),
        Arbitraries.integers().between(10, 300), Arbitraries.integers().between(30, 95),
        op.list().ofMaxSize(7).map(ops -> ops.stream().flatMap(List::stream).toList()),
        call.list().ofMaxSize(25)).as(Scenario::new);
  }

  /** An engine on fresh in-memory stores with its own clock. */
  private record Engine(PackageBilling billing, MutableBillingClock clock) {
    static Engine of(Scenario s) {
      MutableBillingClock clock = MutableBillingClock.startOf(s.start(), ZoneOffset.UTC);
      PackageBilling billing = PackageBilling.builder().clock(clock).stores(new InMemoryStores()).build();
      s.catalog().forEach(p -> billing.define(p.toPackage()));
      Pkg first = s.catalog().get(0);
      var b = Assignment.builder("a").customerId(CUSTOMER).packageId(first.id()).quantity(s.quantity())
          .startDate(s.start());
      if (first.minutes()) {
        b.minutes(s.minutes());
      }
      billing.assign(b.build());
      return new Engine(billing, clock);
    }

    RunReport run(LocalDate date, RunMode mode) {
      clock.setDate(date);
      RunReport report = billing.run(date, mode);
      assertEquals(List.of(), report.summary().failures(), "no assignment fails to plan on " + date);
      return report;
    }
  }

  /** A play of a scenario: the model chain, and the engines it drives day by day. */
  private static final class Play {
    final Scenario s;
    final List<Member> chain = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    Play(Scenario s) {
      this.s = s;
      Pkg first = s.catalog().get(0);
      chain.add(new Member("a", first, s.quantity(), s.start(), null, null, first.minutes() ? s.minutes() : null));
    }

    /** Applies the ops asked on {@code day} to every engine, checking each outcome against the rules. */
    void ops(LocalDate day, Engine... engines) {
      for (Op op : s.ops()) {
        if (!s.start().plusDays(op.day()).equals(day)) {
          continue;
        }
        LocalDate[] effective = new LocalDate[1];
        String refusal = LifecycleModel.refusal(chain, s.catalog(), op, day, effective);
        String head = chain.get(chain.size() - 1).id;
        log.add(day + " " + op + " on " + head + (refusal == null ? "" : " refused: " + refusal));
        for (Engine e : engines) {
          e.clock().setDate(day);
          Optional<Assignment> before = e.billing().findAssignment(head);
          RuntimeException thrown = null;
          try {
            apply(e.billing(), head, op, day.plusDays(op.offset()));
          } catch (IllegalArgumentException | dev.allotment.core.AllotmentException x) {
            thrown = x;
          }
          if (LifecycleModel.ASKED_AGAIN.equals(refusal)) {
            assertEquals(before, e.billing().findAssignment(head), "asked again: nothing changes\n" + this);
            continue;
          }
          assertEquals(refusal == null, thrown == null, "rules say " + (refusal == null ? "accept" : refusal)
              + ", engine " + (thrown == null ? "accepted" : "refused: " + thrown.getMessage()) + "\n" + this);
        }
        if (refusal == null) {
          LifecycleModel.apply(chain, s.catalog(), op, day, effective[0]);
          for (Engine e : engines) {
            for (Member m : chain) {
              assertEquals(m.terms(), Member.terms(e.billing().findAssignment(m.id).orElseThrow()), "stored terms\n"
                  + this);
            }
          }
        }
      }
    }

    private static void apply(PackageBilling billing, String id, Op op, LocalDate date) {
      switch (op.kind()) {
        case SUSPEND -> billing.suspend(id, date);
        case RESUME -> billing.resume(id, date);
        case UNASSIGN -> billing.unassign(id, date);
        default -> {
          PlanChange change = op.kind() == Kind.CHANGE_IMMEDIATE ? PlanChange.immediate(date)
              : PlanChange.nextPeriod(date);
          if (op.pkg() >= 0) {
            change = change.toPackage("p" + op.pkg());
          }
          if (op.quantity() > 0) {
            change = change.toQuantity(op.quantity());
          }
          billing.change(id, change);
        }
      }
    }

    Map<String, String> expected() {
      return LifecycleModel.expected(chain, s.last());
    }

    Map<String, String> actual(Engine e) {
      return LifecycleModel.actual(e.billing(), chain);
    }

    @Override
    public String toString() {
      return "catalog " + s.catalog() + ", start " + s.start() + " x" + s.quantity() + ", last run " + s.last()
          + "\nops:\n  " + String.join("\n  ", log) + "\nchain:\n  "
          + String.join("\n  ", chain.stream().map(Member::terms).toList());
    }
  }

  /** (1) and (3): a CHARGE every day nets what one catch-up CHARGE on the last day does, and both what the rules give. */
  @Property(tries = 200)
  void chargingDailyNetsWhatOneCatchUpChargesAndWhatTheRulesGive(@ForAll("scenarios") Scenario s) {
    Engine daily = Engine.of(s);
    Engine catchUp = Engine.of(s);
    Play play = new Play(s);
    for (LocalDate day = s.start(); !day.isAfter(s.last()); day = day.plusDays(1)) {
      play.ops(day, daily, catchUp);
      daily.run(day, RunMode.CHARGE);
    }
    catchUp.run(s.last(), RunMode.CHARGE);

    assertEquals(play.actual(catchUp), play.actual(daily), "(1) daily vs catch-up\n" + play);
    assertEquals(play.expected(), play.actual(catchUp), "(3) the rules vs one catch-up charge\n" + play);
    assertEquals(play.expected(), play.actual(daily), "(3) the rules vs daily charges\n" + play);
  }

  /**
   * (1) and (3) with FULL and FREE packages too: a stub or cut bills a whole period under FULL, a
   * cut a whole period under FREE, the first stub nothing under FREE, a resume's or successor's
   * stub is PRORATED under FREE; grants keep their seconds where money is not prorated.
   */
  @Property(tries = 200)
  void everyFirstPeriodRuleNetsTheSameDailyAsInOneCatchUp(@ForAll("anyFirstPeriod") Scenario s) {
    chargingDailyNetsWhatOneCatchUpChargesAndWhatTheRulesGive(s);
  }

  /** (2): every day's SIMULATE lists as DUE exactly the lines the CHARGE after it charges. */
  @Property(tries = 150)
  void everySimulationPredictsTheChargeAfterIt(@ForAll("scenarios") Scenario s) {
    Engine engine = Engine.of(s);
    Play play = new Play(s);
    for (LocalDate day = s.start(); !day.isAfter(s.last()); day = day.plusDays(1)) {
      play.ops(day, engine);
      List<ChargeLine> simulated = lines(engine.run(day, RunMode.SIMULATE), LineStatus.DUE);
      List<ChargeLine> charged = lines(engine.run(day, RunMode.CHARGE), LineStatus.CHARGED);
      assertEquals(simulated, charged, "(2) on " + day + "\n" + play);
    }
  }

  private static List<ChargeLine> lines(RunReport report, LineStatus status) {
    return report.lines(status).stream().map(PlannedLine::line).sorted(Comparator.comparing(ChargeLine::key)).toList();
  }

  /**
   * (4): calls as they happen (after each day's charge) and late ones (after the last): no grant
   * ever has more used than allocated, and a grant covers no call starting on a day its assignment
   * is not active as the rules stand when the call is consumed.
   */
  @Property(tries = 150)
  void grantsAreNeverOverdrawnAndServeOnlyActiveDays(@ForAll("scenarios") Scenario s) {
    Engine engine = Engine.of(s);
    Play play = new Play(s);
    int n = 0;
    for (LocalDate day = s.start(); !day.isAfter(s.last()); day = day.plusDays(1)) {
      play.ops(day, engine);
      engine.run(day, RunMode.CHARGE);
      for (Call call : s.calls()) {
        if (!call.late() && s.start().plusDays(call.day()).equals(day)) {
          consume(engine, play, call, n++);
        }
      }
    }
    for (Call call : s.calls()) {
      if (call.late() || s.start().plusDays(call.day()).isAfter(s.last())) {
        consume(engine, play, call, n++);
      }
    }
    Map<String, GrantBalance> live = new TreeMap<>();
    for (LocalDate day = s.start().minusDays(3); day.isBefore(s.last().plusDays(40)); day = day.plusDays(1)) {
      for (GrantBalance b : engine.billing().balances(CUSTOMER, day.atStartOfDay(ZoneOffset.UTC).toInstant())) {
        assertTrue(b.usedSeconds() <= b.allocatedSeconds(), "(4) overdrawn on " + day + ": " + b + "\n" + play);
        live.putIfAbsent(b.grant().id(), b);
      }
    }
    // The store holds each grant as its latest journaled revision says, never below what was used.
    Map<String, String> held = new TreeMap<>();
    live.forEach((id, b) -> held.put(id, b.allocatedSeconds() + "s until "
        + b.grant().validUntil().map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC).toString()).orElse("-")));
    Map<String, String> journaled = new TreeMap<>();
    play.actual(engine).keySet().stream().filter(key -> key.contains("/FREE_MINUTES/")).forEach(key -> {
      ChargeLine revision = revised(engine, key);
      long used = live.containsKey(key) ? live.get(key).usedSeconds() : 0;
      journaled.put(key, Math.max(revision.grantSeconds(), used) + "s until "
          + revision.grantValidUntil().map(LocalDate::toString).orElse("-"));
    });
    assertEquals(journaled, held, "(4) the live grants are the journaled ones as last revised, never below used\n"
        + play);
  }

  /** The latest journaled FREE_MINUTES or GRANT_ADJUSTMENT line of the grant {@code grantId}. */
  private static ChargeLine revised(Engine engine, String grantId) {
    LineKey key = LineKey.parse(grantId);
    return engine.billing().charged(key.assignmentId()).stream()
        .filter(l -> l.key().adjusted().equals(key))
        .max(Comparator.comparingInt(l -> l.key().sequence())).orElseThrow();
  }

  private static void consume(Engine engine, Play play, Call call, int n) {
    LocalDate day = play.s.start().plusDays(call.day());
    Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(call.second());
    Consumption c = engine.billing().consume(UsageRecord.of("u" + n, CUSTOMER, "4420", at, call.duration()));
    for (GrantSeconds take : c.takes()) {
      String assignmentId = LineKey.parse(take.grantId()).assignmentId();
      Optional<Member> member = play.chain.stream().filter(m -> m.id.equals(assignmentId)).findFirst();
      assertTrue(member.isPresent() && member.get().active(day), "(4) call " + call + " on " + day
          + " took " + take + " from a grant of an assignment not active that day\n" + play);
    }
    for (GrantBalance b : engine.billing().balances(CUSTOMER, at)) {
      assertTrue(b.usedSeconds() <= b.allocatedSeconds(), "(4) overdrawn: " + b + "\n" + play);
    }
  }
}
