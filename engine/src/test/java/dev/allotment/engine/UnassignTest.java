package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static dev.allotment.engine.Fixtures.USD;
import static dev.allotment.engine.Fixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineStatus;
import dev.allotment.core.MinimumDaysException;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.InMemoryStores;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class UnassignTest {
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = Fixtures.inMemory(Fixtures.clock(), stores);
  private final Assignment a1 = Assignment.builder("a1").customerId("c1").packageId("m31").startDate(JAN_1)
      .autoDecrementCredit(true).build();

  /** 31.00 a month (1.00 a day in January), minimum 30 days. */
  private void setUp(int minimumDays) {
    billing.define(ServicePackage.builder("m31").name("Monthly").currency("USD").retail("31.00").cost("3.10")
        .frequency(Frequency.MONTHLY).minimumDays(minimumDays).build());
    billing.assign(a1);
  }

  private static LineKey adjustment(int month, int sequence) {
    return LineKey.adjustment("a1", LocalDate.of(2026, month, 1), sequence);
  }

  private List<ChargeLine> charged(RunReport report) {
    return report.lines(LineStatus.CHARGED).stream().map(l -> l.line()).toList();
  }

  @Test
  void anEndBeforeTheMinimumDaysIsRefusedNamingTheFirstAllowedDateAndNothingChanges() {
    setUp(30);
    MinimumDaysException e = assertThrows(MinimumDaysException.class,
        () -> billing.unassign("a1", LocalDate.of(2026, 1, 30)));

    assertTrue(e.getMessage().contains("2026-01-31"), e.getMessage());
    assertEquals(LocalDate.of(2026, 1, 31), e.firstAllowedEndDate());
    assertEquals(Optional.of(a1), billing.findAssignment("a1"), "the store is unchanged");
    assertThrows(MinimumDaysException.class, () -> billing.unassign("a1", JAN_1.minusDays(3)));
    assertEquals(Optional.of(a1), billing.findAssignment("a1"));

    Assignment ended = billing.unassign("a1", LocalDate.of(2026, 1, 31));
    assertEquals(Optional.of(LocalDate.of(2026, 1, 31)), ended.endDate());
    assertEquals(Optional.of(ended), billing.findAssignment("a1"));
  }

  @Test
  void anEndMovedIntoAChargedPeriodCreditsTheRestAndReinstatingChargesItAgain() {
    setUp(5);
    billing.run(JAN_1, RunMode.CHARGE);
    assertEquals(usd("-31.00"), stores.creditLedger().balance("c1", USD));

    billing.unassign("a1", LocalDate.of(2026, 1, 10));
    RunReport credit = billing.run(LocalDate.of(2026, 1, 15), RunMode.CHARGE);

    // January is now [Jan 1, Jan 11): 10 of 31 days, 10.00 retail and 1.00 cost instead of 31.00 and 3.10.
    ChargeLine adj = charged(credit).get(0);
    assertEquals(1, charged(credit).size());
    assertEquals(adjustment(1, 1), adj.key());
    assertEquals(usd("-21.00"), adj.retail());
    assertEquals(usd("-2.10"), adj.cost());
    assertEquals(LocalDate.of(2026, 1, 15), adj.dueDate());
    Posting posting = stores.creditLedger().find(adj.key().toString()).orElseThrow();
    assertFalse(posting.debit(), "an ADJUSTMENT credit is posted as a credit");
    assertEquals(usd("21.00"), posting.entry().amount());
    assertEquals(usd("-10.00"), stores.creditLedger().balance("c1", USD));
    assertEquals(Optional.empty(), billing.findAssignment("a1").orElseThrow().repriceFrom(),
        "the run cleared the reprice marker");
    assertEquals(0, billing.run(LocalDate.of(2026, 1, 15), RunMode.CHARGE).summary().count(LineStatus.CHARGED));

    billing.reinstate("a1");
    RunReport back = billing.run(LocalDate.of(2026, 1, 20), RunMode.CHARGE);
    assertEquals(List.of(adjustment(1, 2)), charged(back).stream().map(ChargeLine::key).toList());
    assertEquals(usd("21.00"), charged(back).get(0).retail());
    assertEquals(usd("-31.00"), stores.creditLedger().balance("c1", USD));

    billing.run(LocalDate.of(2026, 2, 1), RunMode.CHARGE);
    assertEquals(usd("-62.00"), stores.creditLedger().balance("c1", USD), "February bills as usual again");
  }

  @Test
  void endingBeforeChargedPeriodsCreditsThemWhollyAndExtendingChargesTheDifference() {
    setUp(5);
    billing.run(LocalDate.of(2026, 3, 1), RunMode.CHARGE);
    assertEquals(usd("-93.00"), stores.creditLedger().balance("c1", USD));

    billing.unassign("a1", LocalDate.of(2026, 1, 10));
    RunReport ended = billing.run(LocalDate.of(2026, 3, 5), RunMode.CHARGE);
    // January cut to 10 days (-21.00); February and March no longer exist (-31.00 each).
    assertEquals(List.of(adjustment(1, 1), adjustment(2, 1), adjustment(3, 1)),
        charged(ended).stream().map(ChargeLine::key).toList());
    assertEquals(List.of(usd("-21.00"), usd("-31.00"), usd("-31.00")),
        charged(ended).stream().map(ChargeLine::retail).toList());
    assertEquals(usd("-10.00"), stores.creditLedger().balance("c1", USD));

    billing.unassign("a1", LocalDate.of(2026, 2, 14));
    RunReport extended = billing.run(LocalDate.of(2026, 3, 6), RunMode.CHARGE);
    // January whole again (+21.00); February is [Feb 1, Feb 15): 14 of 28 days of 31.00 = 15.50.
    assertEquals(List.of(adjustment(1, 2), adjustment(2, 2)), charged(extended).stream().map(ChargeLine::key).toList());
    assertEquals(List.of(usd("21.00"), usd("15.50")), charged(extended).stream().map(ChargeLine::retail).toList());
    assertEquals(usd("-46.50"), stores.creditLedger().balance("c1", USD));
  }

  @Test
  void simulatingAnAdjustmentWritesNothingAndKeepsTheRepriceMarker() {
    setUp(0);
    billing.run(JAN_1, RunMode.CHARGE);
    Assignment ended = billing.unassign("a1", LocalDate.of(2026, 1, 10));

    RunReport simulated = billing.run(LocalDate.of(2026, 1, 15), RunMode.SIMULATE);

    assertEquals(1, simulated.summary().count(LineStatus.DUE));
    assertEquals(Optional.of(ended), billing.findAssignment("a1"));
    assertTrue(ended.repriceFrom().isPresent());
    assertEquals(usd("-31.00"), stores.creditLedger().balance("c1", USD));
  }
}
