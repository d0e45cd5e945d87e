package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class FreeMinuteRulesTest {
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant MAR_20 = Instant.parse("2026-03-20T00:00:00Z");
  private static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");
  private static final Instant MAY_1 = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");

  /** Remaining seconds per grant id; takes as a store would, never below zero. */
  private static final class Balances implements GrantTaker {
    final Map<String, Long> remaining = new HashMap<>();

    Balances(Grant... grants) {
      for (Grant g : grants) {
        remaining.put(g.id(), g.allocatedSeconds());
      }
    }

    @Override
    public long take(Grant grant, long seconds) {
      long left = remaining.get(grant.id());
      long taken = Math.min(left, seconds);
      remaining.put(grant.id(), left - taken);
      return taken;
    }
  }

  private static Grant.Builder grant(String id, long seconds) {
    return Grant.builder(id).assignmentId("a-" + id).customerId("c").allocatedSeconds(seconds).validFrom(MAR_1);
  }

  private static UsageRecord call(String number, long seconds) {
    return UsageRecord.of("u-1", "c", number, CALL, seconds);
  }

  private static Consumption consume(UsageRecord usage, Grant... grants) {
    return FreeMinuteRules.allocate(usage, List.of(grants), new Balances(grants));
  }

  @ParameterizedTest(name = "increment {0}: {1} s -> {2} s")
  @CsvSource({
      "60,   61,  120",
      "60,   60,   60",
      "60,    1,   60",
      "60,    0,    0",
      "1,    61,   61",
      "6,    61,   66",
      "3600,  1, 3600",
  })
  void theCallIsRoundedUpBeforeItConsumes(int increment, long duration, long rounded) {
    Grant g = grant("g", 100_000).roundingIncrementSeconds(increment).build();
    Consumption c = consume(call("4420", duration), g);
    assertEquals(rounded, c.roundedSeconds());
    assertEquals(rounded, c.coveredSeconds());
    assertEquals(0, c.uncoveredSeconds());
    assertEquals(rounded == 0 ? List.of() : List.of(new GrantSeconds("g", rounded)), c.takes());
  }

  @Test
  void aGrantMayCoverPartOfAnIncrement() {
    Grant g = grant("g", 100).roundingIncrementSeconds(60).build();
    Consumption c = consume(call("4420", 61), g);
    assertEquals(120, c.roundedSeconds());
    assertEquals(List.of(new GrantSeconds("g", 100)), c.takes());
    assertEquals(20, c.uncoveredSeconds());
  }

  @Test
  void theCallIsSplitAcrossGrantsInOrderAndTheRestIsUncovered() {
    Grant uk = grant("uk", 100).destination("^44").build();
    Grant any = grant("any", 50).build();
    Consumption c = consume(call("4420", 200), any, uk);
    assertEquals(List.of(new GrantSeconds("uk", 100), new GrantSeconds("any", 50)), c.takes());
    assertEquals(150, c.coveredSeconds());
    assertEquals(50, c.uncoveredSeconds());
  }

  @Test
  void orderIsLongestPrefixThenEarliestExpiryThenOldest() {
    Grant prefix4 = grant("p4", 10).destination("^4").validUntil(MAR_20).build();
    Grant prefix44 = grant("p44", 10).destination("^44|^91").validUntil(MAY_1).build();
    Grant anyApril = grant("anyApr", 10).validUntil(APR_1).build();
    Grant anyMarch = grant("anyMar", 10).validUntil(MAR_20).build();
    Grant anyForever = grant("anyForever", 10).build();
    Grant anyAprilYounger = Grant.builder("anyAprYoung").assignmentId("a").customerId("c").allocatedSeconds(10)
        .validFrom(MAR_20.minusSeconds(86_400 * 15)).validUntil(APR_1).build();
    Grant anyAprilSameAgeLaterId = grant("anyApz", 10).validUntil(APR_1).build();
    List<Grant> all = List.of(anyForever, anyAprilSameAgeLaterId, anyApril, prefix4, anyMarch, anyAprilYounger,
        prefix44);

    List<String> expected = List.of("p44", "p4", "anyMar", "anyApr", "anyApz", "anyAprYoung", "anyForever");
    assertEquals(expected, FreeMinuteRules.eligibleInOrder(all, "c", Optional.empty(), "4420", CALL).stream()
        .map(Grant::id).toList());
    Consumption c = FreeMinuteRules.allocate(call("4420", 65), all, new Balances(all.toArray(Grant[]::new)));
    assertEquals(List.of("p44", "p4", "anyMar", "anyApr", "anyApz", "anyAprYoung", "anyForever"),
        c.takes().stream().map(GrantSeconds::grantId).toList());
    assertEquals(5, c.takenFrom("anyForever"));
  }

  @ParameterizedTest(name = "call on DID {0}: eligible {1}")
  @CsvSource(delimiter = '|', value = {
      "100  | did100 customer",
      "200  | customer",
      "''   | customer",
  })
  void aDidBoundGrantServesOnlyCallsOnItsDid(String did, String expected) {
    Grant onDid = grant("did100", 10).did("100").validUntil(APR_1).build();
    Grant customer = grant("customer", 10).validUntil(MAY_1).build();
    Optional<String> callDid = did.isEmpty() ? Optional.empty() : Optional.of(did);
    List<String> eligible = FreeMinuteRules.eligibleInOrder(List.of(customer, onDid), "c", callDid, "4420", CALL)
        .stream().map(Grant::id).toList();
    assertEquals(List.of(expected.split(" ")), eligible);

    UsageRecord usage = new UsageRecord("u", "c", callDid, "4420", CALL, 20);
    Consumption c = FreeMinuteRules.allocate(usage, List.of(customer, onDid), new Balances(customer, onDid));
    assertEquals(eligible.size() * 10L, c.coveredSeconds());
  }

  @ParameterizedTest(name = "call at {0} covers {1}")
  @CsvSource({
      "2026-03-01T00:00:00Z,          30",
      "2026-02-28T23:59:59Z,           0",
      "2026-03-31T23:59:59Z,          30",
      "2026-04-01T00:00:00Z,           0",
  })
  void aCallStartingWithinValidityConsumesEvenIfItEndsAfter(String start, long covered) {
    Grant g = grant("g", 100).validUntil(APR_1).build();
    UsageRecord usage = UsageRecord.of("u", "c", "4420", Instant.parse(start), 30);
    assertEquals(covered, FreeMinuteRules.allocate(usage, List.of(g), new Balances(g)).coveredSeconds());
  }

  @Test
  void anotherCustomersGrantIsIgnored() {
    Grant theirs = Grant.builder("g").assignmentId("a").customerId("someone-else").allocatedSeconds(100)
        .validFrom(MAR_1).build();
    Consumption c = consume(call("4420", 30), theirs);
    assertEquals(List.of(), c.takes());
    assertEquals(30, c.uncoveredSeconds());
  }

  @Test
  void theFirstEligibleGrantSetsTheIncrementEvenWhenItIsUsedUp() {
    Grant perMinute = grant("perMinute", 0).destination("^44").roundingIncrementSeconds(60).build();
    Grant perSecond = grant("perSecond", 1000).build();
    Consumption c = consume(call("4420", 61), perSecond, perMinute);
    assertEquals(120, c.roundedSeconds());
    assertEquals(List.of(new GrantSeconds("perSecond", 120)), c.takes());
  }

  @Test
  void aCallNoGrantServesIsNotRounded() {
    Grant elsewhere = grant("in", 1000).destination("^91").roundingIncrementSeconds(60).build();
    Consumption c = consume(call("4420", 61), elsewhere);
    assertEquals(61, c.roundedSeconds());
    assertEquals(61, c.uncoveredSeconds());
    assertEquals(List.of(), c.takes());
  }

  @Test
  void usedUpGrantsAreSkippedAndNotListed() {
    Grant first = grant("first", 100).destination("^44").build();
    Grant second = grant("second", 100).build();
    Balances balances = new Balances(first, second);
    balances.remaining.put("first", 0L);
    Consumption c = FreeMinuteRules.allocate(call("4420", 30), List.of(first, second), balances);
    assertEquals(List.of(new GrantSeconds("second", 30)), c.takes());
  }

  @Test
  void aTakerReturningTooMuchOrANegativeAmountIsAnError() {
    Grant g = grant("g", 100).build();
    assertThrows(IllegalStateException.class, () -> FreeMinuteRules.allocate(call("44", 30), List.of(g), (x, s) -> s + 1));
    assertThrows(IllegalStateException.class, () -> FreeMinuteRules.allocate(call("44", 30), List.of(g), (x, s) -> -1));
  }

  @Test
  void availableSumsWhatEligibleGrantsHaveLeft() {
    Grant uk = grant("uk", 100).destination("^44").build();
    Grant onDid = grant("did", 40).did("100").build();
    Grant india = grant("in", 1000).destination("^91").build();
    Grant expired = grant("old", 500).validUntil(MAR_1.plusSeconds(1)).build();
    List<GrantBalance> balances = List.of(new GrantBalance(uk, 30), new GrantBalance(onDid, 0),
        new GrantBalance(india, 0), new GrantBalance(expired, 0));
    assertEquals(70, FreeMinuteRules.available(balances, "c", Optional.empty(), "4420", CALL));
    assertEquals(110, FreeMinuteRules.available(balances, "c", Optional.of("100"), "4420", CALL));
    assertEquals(0, FreeMinuteRules.available(balances, "other", Optional.empty(), "4420", CALL));
    assertEquals("number must contain digits only, was '44-20'", assertThrows(IllegalArgumentException.class,
        () -> FreeMinuteRules.available(balances, "c", Optional.empty(), "44-20", CALL)).getMessage());
  }

  @Test
  void roundUpRejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> FreeMinuteRules.roundUp(-1, 60));
    assertThrows(IllegalArgumentException.class, () -> FreeMinuteRules.roundUp(1, 0));
    assertThrows(IllegalArgumentException.class, () -> FreeMinuteRules.roundUp(1, 3601));
  }

  @Test
  void aConsumptionIsConsistentByConstruction() {
    UsageRecord usage = call("4420", 61);
    assertThrows(IllegalArgumentException.class, () -> new Consumption(usage, 60, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Consumption(usage, 61 + 3600, List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new Consumption(usage, 61, List.of(new GrantSeconds("g", 62))));
    assertThrows(IllegalArgumentException.class,
        () -> new Consumption(usage, 120, List.of(new GrantSeconds("g", 1), new GrantSeconds("g", 2))));
    assertThrows(IllegalArgumentException.class, () -> new GrantSeconds("g", 0));
    Consumption c = new Consumption(usage, 120, List.of(new GrantSeconds("g", 100)));
    assertThrows(IllegalArgumentException.class,
        () -> new Refund(c, CALL, List.of(new GrantSeconds("g", 101))));
    Refund refund = new Refund(c, CALL, List.of(new GrantSeconds("g", 70)));
    assertEquals(70, refund.returnedSeconds());
    assertEquals(30, refund.lapsedSeconds());
  }
}
