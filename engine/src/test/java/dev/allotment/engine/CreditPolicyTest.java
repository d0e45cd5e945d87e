package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static dev.allotment.engine.Fixtures.USD;
import static dev.allotment.engine.Fixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PackageType;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.InMemoryStores;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The opt-in policy: lines the credit cannot cover are skipped, the rest of their assignment too. */
final class CreditPolicyTest {
  private static final LocalDate FEB_1 = LocalDate.of(2026, 2, 1);
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = PackageBilling.builder().clock(Fixtures.clock()).stores(stores)
      .creditPolicy(CreditPolicy.ONLY_IF_COVERED).build();

  private void topUp(String key, String customer, String amount) {
    stores.creditLedger().credit(new CreditEntry(key, customer, usd(amount)));
  }

  /** The grants the free-minute store lists, by id. */
  private Map<String, GrantBalance> liveGrants() {
    return Fixtures.liveGrants(stores.freeMinutes(), stores.assignments(), billing.clock().zone());
  }

  private void assign(String id, String customer, String packageId, boolean auto) {
    billing.assign(Assignment.builder(id).customerId(customer).packageId(packageId).startDate(JAN_1)
        .autoDecrementCredit(auto).build());
  }

  private static Map<LineKey, LineStatus> statuses(RunReport report) {
    Map<LineKey, LineStatus> statuses = new TreeMap<>();
    for (PlannedLine line : report.lines()) {
      statuses.put(line.line().key(), line.status());
    }
    return statuses;
  }

  private static LineKey recurring(String assignment, LocalDate start) {
    return LineKey.of(assignment, LineKind.RECURRING, start);
  }

  @Test
  void uncoveredLinesAreSkippedAndChargedOnceAfterATopUp() {
    billing.define(Fixtures.monthly("m")); // 30.00
    billing.define(ServicePackage.builder("cheap").name("Cheap").currency("USD").retail("5.00")
        .frequency(Frequency.MONTHLY).build());
    assign("a1", "c1", "m", true);
    assign("a2", "c1", "cheap", true);
    assign("a3", "c1", "m", false);
    topUp("t1", "c1", "40.00");

    RunReport simulated = billing.run(FEB_1, RunMode.SIMULATE);
    RunReport charged = billing.run(FEB_1, RunMode.CHARGE);

    // a1: January 30.00 leaves 10.00; February (30.00) is not covered. a2: 5.00 + 5.00 are.
    // a3 does not auto-decrement, so credit never holds it back.
    assertEquals(Map.of(
        recurring("a1", JAN_1), LineStatus.CHARGED, recurring("a1", FEB_1), LineStatus.SKIPPED_NO_CREDIT,
        recurring("a2", JAN_1), LineStatus.CHARGED, recurring("a2", FEB_1), LineStatus.CHARGED,
        recurring("a3", JAN_1), LineStatus.CHARGED, recurring("a3", FEB_1), LineStatus.CHARGED), statuses(charged));
    assertEquals(simulated.lines(), Fixtures.relabel(charged.lines(), LineStatus.CHARGED, LineStatus.DUE),
        "the simulation predicted the skip");
    assertEquals(usd("0.00"), stores.creditLedger().balance("c1", USD));
    assertEquals(1, billing.charged("a1").size(), "nothing journaled for the skipped line");
    assertEquals(usd("100.00"), charged.totals().of(USD).retail(), "30 + 5 + 5 + 30 + 30: the skipped line is not in the totals");

    assertEquals(LineStatus.SKIPPED_NO_CREDIT,
        statuses(billing.run(FEB_1, RunMode.CHARGE)).get(recurring("a1", FEB_1)), "still no credit");

    topUp("t2", "c1", "35.00");
    RunReport later = billing.run(FEB_1, RunMode.CHARGE);
    assertEquals(List.of(recurring("a1", FEB_1)),
        later.lines(LineStatus.CHARGED).stream().map(l -> l.line().key()).toList());
    assertEquals(usd("5.00"), stores.creditLedger().balance("c1", USD));
    assertEquals(0, billing.run(FEB_1, RunMode.CHARGE).summary().count(LineStatus.CHARGED));
    assertEquals(usd("5.00"), stores.creditLedger().balance("c1", USD));
  }

  @Test
  void everyLaterLineOfTheAssignmentIsSkippedEvenWhenItWouldBeCovered() {
    billing.define(ServicePackage.builder("setup").name("Setup heavy").currency("USD").setupRetail("100.00")
        .retail("5.00").frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).build());
    billing.assign(Assignment.builder("a1").customerId("c1").packageId("setup").startDate(JAN_1)
        .autoDecrementCredit(true).minutes(100).build());
    topUp("t1", "c1", "40.00");

    RunReport report = billing.run(FEB_1, RunMode.CHARGE);

    // SETUP 100.00 is not covered by 40.00; January's 5.00 would be, but the journal must stay a
    // prefix of the plan, so it and the grants wait too.
    assertEquals(List.of(LineKind.SETUP, LineKind.RECURRING, LineKind.FREE_MINUTES, LineKind.RECURRING,
        LineKind.FREE_MINUTES), report.lines().stream().map(l -> l.line().kind()).toList());
    assertEquals(5, report.summary().count(LineStatus.SKIPPED_NO_CREDIT));
    assertEquals(List.of(), billing.charged("a1"));
    assertEquals(Map.of(), liveGrants(), "no grant for a skipped line");
    assertEquals(usd("40.00"), stores.creditLedger().balance("c1", USD));

    topUp("t2", "c1", "70.00");
    RunReport paid = billing.run(FEB_1, RunMode.CHARGE);
    assertEquals(5, paid.summary().count(LineStatus.CHARGED));
    assertEquals(List.of("a1/FREE_MINUTES/2026-01-01", "a1/FREE_MINUTES/2026-02-01"),
        List.copyOf(liveGrants().keySet()));
    assertEquals(usd("0.00"), stores.creditLedger().balance("c1", USD));
  }

  @Test
  void aSkipKeepsTheWatermarkBelowTheSkippedLine() {
    billing.define(Fixtures.monthly("m"));
    assign("a1", "c1", "m", true);
    topUp("t1", "c1", "30.00");

    billing.run(LocalDate.of(2026, 3, 15), RunMode.CHARGE);
    assertEquals(1, billing.charged("a1").size());

    // Months later, with credit for everything, the skipped months are caught up, once each.
    topUp("t2", "c1", "200.00");
    RunReport report = billing.run(LocalDate.of(2026, 5, 1), RunMode.CHARGE);
    assertEquals(List.of(recurring("a1", FEB_1), recurring("a1", LocalDate.of(2026, 3, 1)),
        recurring("a1", LocalDate.of(2026, 4, 1)), recurring("a1", LocalDate.of(2026, 5, 1))),
        report.lines(LineStatus.CHARGED).stream().map(l -> l.line().key()).toList());
    assertEquals(usd("80.00"), stores.creditLedger().balance("c1", USD));
  }
}
