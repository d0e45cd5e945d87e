package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.MinimumDaysException;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every refusal of {@link PackageBilling#change}, {@link PackageBilling#suspend} and
 * {@link PackageBilling#resume} (domain.md "Changing an assignment", "Suspending and resuming"):
 * the exception's type, a message naming the field or value at fault, and nothing stored (the
 * assignment as it was, same version, no successor, no event).
 */
final class LifecycleRefusalsTest {
  private static final LocalDate APR_1 = LocalDate.of(2026, 4, 1);

  private final MutableBillingClock clock = MutableBillingClock.startOf(APR_1, ZoneOffset.UTC);
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores).build();

  private static LocalDate apr(int day) {
    return LocalDate.of(2026, 4, day);
  }

  @BeforeEach
  void catalog() {
    billing.define(LifecycleLines.monthlyOnThe1st("basic", "30.00", "9.00").build());
    billing.define(LifecycleLines.monthlyOnThe1st("gold", "60.00", "24.00").build());
    billing.define(LifecycleLines.monthlyOnThe1st("locked", "30.00", "9.00").minimumDays(30).build());
    billing.define(ServicePackage.builder("euro").name("Euro").currency("EUR").retail("30.00")
        .frequency(Frequency.MONTHLY).build());
    billing.define(ServicePackage.builder("once").name("Once").currency("USD").setupRetail("99.00")
        .frequency(Frequency.NONE).build());
    assign("a", "basic");
  }

  private void assign(String id, String packageId) {
    billing.assign(Assignment.builder(id).customerId("c").packageId(packageId).startDate(APR_1).build());
  }

  /** Runs {@code call}, expecting {@code type} with every one of {@code named} in its message, and nothing stored. */
  private <T extends Throwable> T refused(Class<T> type, String id, Executable call, String... named) {
    Optional<Assignment> before = billing.findAssignment(id);
    List<Assignment> all = Fixtures.all(stores.assignments());
    long events = billing.events().read(0, 10_000).size();

    T e = assertThrows(type, call);

    for (String name : named) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(name), "'" + name + "' in: " + e.getMessage());
    }
    assertEquals(before, billing.findAssignment(id), "the assignment is as it was, same version");
    assertEquals(all, Fixtures.all(stores.assignments()), "no successor, nothing else changed");
    assertEquals(events, billing.events().read(0, 10_000).size(), "no event");
    return e;
  }

  @Test
  void anUnknownAssignmentOrNewPackageIsRefused() {
    refused(UnknownAssignmentException.class, "nope",
        () -> billing.change("nope", PlanChange.immediate(apr(10)).toPackage("gold")), "nope");
    refused(UnknownPackageException.class, "a",
        () -> billing.change("a", PlanChange.immediate(apr(10)).toPackage("platinum")), "platinum");
    refused(UnknownAssignmentException.class, "nope", () -> billing.suspend("nope", apr(10)), "nope");
    refused(UnknownAssignmentException.class, "nope", () -> billing.resume("nope", apr(10)), "nope");
  }

  @Test
  void aChangeThatChangesNothingIsRefused() {
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(apr(10)).toPackage("basic").toQuantity(1)), "basic", "'a'");
    refused(IllegalArgumentException.class, "a", () -> billing.change("a", PlanChange.immediate(apr(10))), "'a'");
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.nextPeriod(apr(10)).toQuantity(1)), "'a'");
  }

  @Test
  void aChangeToAnotherCurrencyIsRefused() {
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(apr(10)).toPackage("euro")), "euro", "EUR");
  }

  @Test
  void aChangeEffectiveOnOrBeforeTheStartIsRefused() {
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(APR_1).toPackage("gold")), "effective", "2026-04-01");
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(LocalDate.of(2026, 3, 20)).toPackage("gold")),
        "effective", "2026-03-20");
  }

  @Test
  void aChangeAfterTheAssignmentEndedIsRefused() {
    billing.unassign("a", apr(20));
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(apr(25)).toPackage("gold")), "2026-04-25");
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(apr(21)).toPackage("gold")), "2026-04-21");
    // No period begins after 15 April before the end: May's would begin after it.
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.nextPeriod(apr(15)).toPackage("gold")), "2026-04-15");
    // The end day itself is the last effective date: the successor then lives on that one day.
    Assignment last = billing.change("a", PlanChange.immediate(apr(20)).toPackage("gold"));
    assertEquals(List.of("a~2026-04-20", "2026-04-20", "Optional[2026-04-20]"),
        List.of(last.id(), last.startDate().toString(), last.endDate().toString()));
  }

  @Test
  void aChangeEffectiveWithinOrBeforeASuspensionIsRefused() {
    billing.suspend("a", apr(10));
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(apr(25)).toPackage("gold")), "effective", "2026-04-25");
    billing.resume("a", apr(20));
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(apr(15)).toPackage("gold")), "effective", "2026-04-15");
    refused(IllegalArgumentException.class, "a",
        () -> billing.change("a", PlanChange.immediate(apr(5)).toPackage("gold")), "effective", "2026-04-05");
    assertEquals("a~2026-04-20", billing.change("a", PlanChange.immediate(apr(20)).toPackage("gold")).id(),
        "the resume day is billed: a change may take effect on it");
  }

  /** locked: 30 minimum days from 1 April, so the first allowed end is 1 May and the first effective date 2 May. */
  @Test
  void aChangeBeforeTheMinimumDaysIsRefusedNamingTheFirstAllowedEnd() {
    assign("l", "locked");
    MinimumDaysException e = refused(MinimumDaysException.class, "l",
        () -> billing.change("l", PlanChange.immediate(apr(15)).toPackage("gold")), "2026-05-01");
    assertEquals(LocalDate.of(2026, 5, 1), e.firstAllowedEndDate());
    refused(MinimumDaysException.class, "l",
        () -> billing.change("l", PlanChange.immediate(LocalDate.of(2026, 5, 1)).toPackage("gold")), "2026-05-01");
    assertEquals(Optional.of(LocalDate.of(2026, 5, 1)),
        billing.findAssignment(billing.change("l", PlanChange.immediate(LocalDate.of(2026, 5, 2)).toPackage("gold"))
            .previous().orElseThrow().assignmentId()).orElseThrow().endDate());
  }

  @Test
  void suspendingTwiceOrOverlappingIsRefused() {
    billing.suspend("a", apr(10));
    refused(IllegalArgumentException.class, "a", () -> billing.suspend("a", apr(15)), "2026-04-15");
    refused(IllegalArgumentException.class, "a", () -> billing.suspend("a", apr(5)), "2026-04-05");
    billing.resume("a", apr(20));
    refused(IllegalArgumentException.class, "a", () -> billing.suspend("a", apr(15)), "2026-04-15");
    refused(IllegalArgumentException.class, "a", () -> billing.suspend("a", apr(5)), "2026-04-05");
    refused(IllegalArgumentException.class, "a", () -> billing.suspend("a", apr(10)), "2026-04-10");
  }

  @Test
  void resumingWhatIsNotSuspendedOrBeforeTheSuspensionIsRefused() {
    refused(IllegalArgumentException.class, "a", () -> billing.resume("a", apr(15)), "2026-04-15");
    billing.suspend("a", apr(10));
    refused(IllegalArgumentException.class, "a", () -> billing.resume("a", apr(10)), "2026-04-10");
    refused(IllegalArgumentException.class, "a", () -> billing.resume("a", apr(5)), "2026-04-05");
    billing.resume("a", apr(20));
    refused(IllegalArgumentException.class, "a", () -> billing.resume("a", apr(25)), "2026-04-25");
  }

  @Test
  void suspendingOutsideTheAssignmentIsRefused() {
    refused(IllegalArgumentException.class, "a", () -> billing.suspend("a", LocalDate.of(2026, 3, 31)),
        "from", "2026-03-31");
    billing.unassign("a", apr(20));
    refused(IllegalArgumentException.class, "a", () -> billing.suspend("a", apr(21)), "from", "2026-04-21");
  }

  @Test
  void aOneOffPackageCannotBeSuspended() {
    assign("o", "once");
    refused(IllegalArgumentException.class, "o", () -> billing.suspend("o", apr(10)), "once", "NONE");
  }

  /**
   * A replaced assignment whose end moved later (or was removed) would bill the days its successor
   * bills: refused, naming the end and the successor; moving it earlier stays allowed.
   */
  @Test
  void aReplacedAssignmentCannotBeReopenedOverItsSuccessor() {
    billing.change("a", PlanChange.immediate(apr(11)).toQuantity(2));
    refused(IllegalArgumentException.class, "a", () -> billing.reinstate("a"), "2026-04-10", "a~2026-04-11");
    refused(IllegalArgumentException.class, "a", () -> billing.unassign("a", apr(30)), "endDate", "2026-04-30",
        "a~2026-04-11");
    assertEquals(Optional.of(apr(8)), billing.unassign("a", apr(8)).endDate(), "an earlier end is no overlap");
  }
}
