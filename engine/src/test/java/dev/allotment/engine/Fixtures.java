package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.SpendQuery;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.InMemorySpendSource;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.PackageCatalog;
import dev.allotment.spi.SpendSource;
import dev.allotment.spi.UnitOfWork;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Packages, assignments, spend and store snapshots shared by the engine tests. */
final class Fixtures {
  static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  static final Currency USD = Currency.getInstance("USD");
  static final Currency EUR = Currency.getInstance("EUR");
  /** The customers of {@link #mixedAssignments}. */
  static final List<String> CUSTOMERS = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6");
  /** The days {@link #recordSpend} records spend on: every run of the tests looks inside them. */
  static final LocalDate SPEND_FROM = LocalDate.of(2025, 10, 1);
  static final LocalDate SPEND_UNTIL = LocalDate.of(2027, 2, 1);

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

  /** An engine on fresh in-memory stores, with the builder's defaults. */
  static PackageBilling inMemory(MutableBillingClock clock, InMemoryStores stores) {
    return PackageBilling.builder().clock(clock).stores(stores).build();
  }

  /** {@code stores} with {@code unitOfWork} in place of their own (a wrapper of it, usually). */
  static BillingStores withUnitOfWork(InMemoryStores stores, UnitOfWork unitOfWork) {
    return BillingStores.builder().catalog(stores.catalog()).assignments(stores.assignments())
        .journal(stores.journal()).creditLedger(stores.creditLedger()).spend(stores.spend())
        .freeMinutes(stores.freeMinutes()).unitOfWork(unitOfWork).events(stores.events()).build();
  }

  /**
   * The spend of one customer on one day, which depends only on both, so simulations and charges
   * agree and a run can be repeated: 0.00..2.99 a day, about 45.00 a month, so a 50.00 minimum is
   * trued up most months and not all.
   */
  static Money dailySpend(String customerId, LocalDate day) {
    return Money.of(BigDecimal.valueOf(Math.floorMod(customerId.hashCode() * 31L + day.toEpochDay() * 7, 300L), 2),
        USD);
  }

  /** Records {@link #dailySpend} of each customer, in USD, on every day of [SPEND_FROM, SPEND_UNTIL). */
  static void recordSpend(InMemorySpendSource spend, Collection<String> customerIds) {
    for (String customer : customerIds) {
      for (LocalDate day = SPEND_FROM; day.isBefore(SPEND_UNTIL); day = day.plusDays(1)) {
        spend.record(customer, day, dailySpend(customer, day));
      }
    }
  }

  /**
   * A spend source that answers in any currency and depends only on customer and period
   * (0.00..49.99 a period): for scenarios whose minimum-spend packages bill in several currencies,
   * which a recording source in one currency cannot answer.
   */
  static SpendSource deterministicSpend() {
    return queries -> {
      Map<SpendQuery, Money> answers = new HashMap<>();
      for (SpendQuery q : queries) {
        answers.put(q, Money.of(BigDecimal.valueOf(Math.floorMod(q.customerId().hashCode() * 31L
            + q.period().start().toEpochDay() * 7 + q.period().days(), 5000L), 2), q.currency()));
      }
      return answers;
    };
  }

  /**
   * A mixed catalog that exercises every rule: every frequency, weekday and month-day matches, the
   * three first-period policies, setup fees, minimum spend, free minutes with a destination,
   * features, and a second currency (EUR). (The spi contract fixtures' catalog, kept here so the
   * engine's tests stand on their own.)
   */
  static List<ServicePackage> mixedCatalog() {
    return List.of(
        ServicePackage.builder("daily").name("Daily").currency("USD").retail("1.10").cost("0.40")
            .frequency(Frequency.DAILY).build(),
        ServicePackage.builder("weekly").name("Weekly").currency("USD").retail("7.00").cost("2.00")
            .frequency(Frequency.WEEKLY).frequencyMatch(FrequencyMatch.daysOfWeek(DayOfWeek.MONDAY, DayOfWeek.THURSDAY))
            .firstPeriod(FirstPeriod.FULL).build(),
        ServicePackage.builder("monthly").name("Monthly").currency("USD").retail("30.00").cost("12.00")
            .setupRetail("25.00").setupCost("5.00").frequency(Frequency.MONTHLY)
            .frequencyMatch(FrequencyMatch.daysOfMonth(15, 31)).build(),
        ServicePackage.builder("monthly-eur").name("Monthly EUR").currency("EUR").retail("19.99").cost("3.33")
            .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).firstPeriod(FirstPeriod.FREE)
            .build(),
        ServicePackage.builder("yearly").name("Yearly").currency("USD").retail("120.00").cost("20.00")
            .frequency(Frequency.YEARLY).build(),
        ServicePackage.builder("minspend").name("Minimum spend").currency("USD").retail("50.00")
            .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).minimumSpend(true).build(),
        ServicePackage.builder("minutes").name("Free minutes").currency("USD").retail("5.00").cost("1.00")
            .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44|^1").build(),
        ServicePackage.builder("setup-only").name("Setup only").currency("USD").setupRetail("99.00")
            .setupCost("10.00").frequency(Frequency.NONE).features("sip-trunk").build());
  }

  /** {@code count} assignments spread over the mixed catalog and the seven {@link #CUSTOMERS}. */
  static List<Assignment> mixedAssignments(int count, LocalDate firstStart) {
    List<ServicePackage> catalog = mixedCatalog();
    List<Assignment> assignments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ServicePackage p = catalog.get(i % catalog.size());
      AssignmentBuilder b = Assignment.builder(String.format("a%03d", i)).customerId("c" + (i % 7))
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

  static void setUp(PackageBilling billing, List<ServicePackage> packages, List<Assignment> assignments) {
    packages.forEach(billing::define);
    assignments.forEach(billing::assign);
  }

  static void topUp(CreditLedger ledger, String customerId, Money amount) {
    ledger.credit(new CreditEntry("top-up/" + customerId + "/" + amount.currency().getCurrencyCode() + "/"
        + amount.amount().toPlainString(), customerId, amount));
  }

  static List<Assignment> all(AssignmentStore store) {
    return store.page(Optional.empty(), Optional.empty(), Integer.MAX_VALUE);
  }

  /** Every journal line, by assignment id, in key order. */
  static Map<String, List<ChargeLine>> journal(ChargeJournal journal, AssignmentStore store) {
    Map<String, List<ChargeLine>> lines = new TreeMap<>();
    for (Assignment a : all(store)) {
      lines.put(a.id(), journal.lines(a.id()));
    }
    return lines;
  }

  /** Every customer's balance in USD and EUR. */
  static Map<String, Money> balances(CreditLedger ledger, AssignmentStore store) {
    Map<String, Money> balances = new TreeMap<>();
    for (Assignment a : all(store)) {
      for (Currency currency : List.of(USD, EUR)) {
        balances.put(a.customerId() + " " + currency.getCurrencyCode(), ledger.balance(a.customerId(), currency));
      }
    }
    return balances;
  }

  /** The days on which {@link #liveGrants} looks for grants: every period a test charges starts in them. */
  static final LocalDate GRANTS_FROM = LocalDate.of(2025, 10, 1);
  static final LocalDate GRANTS_UNTIL = LocalDate.of(2027, 2, 1);

  /**
   * Every grant the store lists (so not revoked) for the customers of {@code store}'s assignments,
   * by id. A grant is listed at its valid-from instant, the start of a billing day, so looking at
   * the start of every day of [GRANTS_FROM, GRANTS_UNTIL) finds each one.
   */
  static Map<String, GrantBalance> liveGrants(FreeMinuteStore freeMinutes, AssignmentStore store, ZoneId zone) {
    Map<String, GrantBalance> live = new TreeMap<>();
    for (String customer : new TreeSet<>(all(store).stream().map(Assignment::customerId).toList())) {
      for (LocalDate day = GRANTS_FROM; day.isBefore(GRANTS_UNTIL); day = day.plusDays(1)) {
        for (GrantBalance balance : freeMinutes.balances(customer, day.atStartOfDay(zone).toInstant())) {
          live.putIfAbsent(balance.grant().id(), balance);
        }
      }
    }
    return live;
  }

  /**
   * The grant of every journaled FREE_MINUTES line, by id, as {@link Grant#of} derives it now,
   * revised by its latest journaled GRANT_ADJUSTMENT (with no seconds used); those a revision
   * voided (their period no longer exists) are left out, as no call can find them.
   */
  static Map<String, Grant> journaledGrants(Map<String, List<ChargeLine>> journal, PackageCatalog catalog,
      ZoneId zone) {
    Map<String, Grant> grants = new TreeMap<>();
    Map<String, ChargeLine> latestRevision = new TreeMap<>();
    journal.values().forEach(lines -> lines.stream().filter(l -> l.kind() == LineKind.GRANT_ADJUSTMENT)
        .forEach(l -> latestRevision.merge(l.key().adjusted().toString(), l,
            (a, b) -> a.key().sequence() > b.key().sequence() ? a : b)));
    journal.values().forEach(lines -> lines.stream().filter(l -> l.kind() == LineKind.FREE_MINUTES).forEach(l -> {
      Grant grant = Grant.of(l, catalog.find(l.packageId()).orElseThrow(), zone);
      ChargeLine revision = latestRevision.get(l.key().toString());
      Grant revised = revision == null ? grant : GrantRevision.of(revision, zone).applyTo(grant, 0);
      if (!revised.validUntil().equals(Optional.of(revised.validFrom()))) { // a voided grant serves no call: not live
        grants.put(l.key().toString(), revised);
      }
    }));
    return grants;
  }

  /** The lines of a report with {@code from} replaced by {@code to}. */
  static List<PlannedLine> relabel(List<PlannedLine> lines, LineStatus from, LineStatus to) {
    return lines.stream().map(l -> l.status() == from ? l.withStatus(to) : l).toList();
  }
}
