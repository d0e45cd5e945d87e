package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.Assignment;
import dev.allotment.core.Frequency;
import dev.allotment.core.Grant;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.MutableBillingClock;
import dev.allotment.spi.StoredEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The thresholds of events, with values computed by hand: a grant is low once its remaining
 * seconds are at most its low-balance percent of its allocation ({@code remaining * 100 <=
 * allocated * percent}), GRANT_LOW and GRANT_EXHAUSTED come once per grant; a balance crossing the
 * host's threshold from at or above to below writes one CREDIT_LOW per crossing.
 */
final class EventThresholdsTest {
  private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant CALL = Instant.parse("2026-01-10T12:00:00Z");

  private final MutableBillingClock clock = MutableBillingClock.startOf(LocalDate.of(2026, 1, 1), ZoneOffset.UTC);
  private final InMemoryStores stores = new InMemoryStores();
  private final PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores)
      .creditLowThresholds(Fixtures.usd("50.00"), dev.allotment.core.Money.of("5.00", "EUR")).build();

  private List<String> idsOf(String prefix) {
    List<String> ids = new ArrayList<>();
    for (StoredEvent event : billing.events().read(0, 1000)) {
      if (event.event().id().startsWith(prefix)) {
        ids.add(event.event().id());
      }
    }
    return ids;
  }

  private void grant(long seconds, int lowBalancePercent) {
    billing.freeMinutes().addGrants(List.of(Grant.builder("g").assignmentId("a").customerId("c")
        .allocatedSeconds(seconds).validFrom(FROM).lowBalancePercent(lowBalancePercent).build()));
  }

  /** The 1-based call after which the event first appeared, 0 for never. */
  @ParameterizedTest(name = "{0} s at {1} %: calls {2} -> low at call {3}, exhausted at call {4}")
  @CsvSource({
      // used 300 (remaining 50 %), 450 (25 %), 550 (8 %: low), 600 (exhausted, the call took 50 of 100)
      "600, 20, 300 150 100 100, 3, 4",
      // remaining 150 of 600 is 25 %: low exactly at the boundary
      "600, 25, 450, 1, 0",
      // remaining 151 is 25.17 %: not yet; one more second makes 150
      "600, 25, 449 1, 2, 0",
      // one call takes everything: low and exhausted together
      "1000, 10, 1000, 1, 1",
      // no percent: never low, still exhausted
      "600, 0, 600, 0, 1",
      // 3 s at 50 %: low at remaining <= 1.5 s, so at 1 s left
      "3, 50, 1 1 1, 2, 3",
      // 99 %: low once 1 % is used, i.e. at 6 s of 600
      "600, 99, 5 1 1, 2, 0"})
  void grantLowAndExhaustedAtTheirThresholds(long allocated, int percent, String calls, int lowAt, int exhaustedAt) {
    grant(allocated, percent);
    int low = 0;
    int exhausted = 0;
    String[] seconds = calls.split(" ");
    for (int i = 0; i < seconds.length; i++) {
      billing.consume(UsageRecord.of("u" + i, "c", "4420", CALL, Long.parseLong(seconds[i])));
      if (low == 0 && !idsOf("GRANT_LOW:").isEmpty()) {
        low = i + 1;
      }
      if (exhausted == 0 && !idsOf("GRANT_EXHAUSTED:").isEmpty()) {
        exhausted = i + 1;
      }
    }
    assertEquals(lowAt, low, "low at call");
    assertEquals(exhaustedAt, exhausted, "exhausted at call");
    assertEquals(lowAt == 0 ? List.of() : List.of("GRANT_LOW:g"), idsOf("GRANT_LOW:"), "once");
  }

  @Test
  void aGrantIsLowAndExhaustedOnceWhateverRefundsAndCallsFollow() {
    grant(600, 20);
    for (int round = 0; round < 3; round++) {
      billing.consume(UsageRecord.of("u" + round, "c", "4420", CALL, 600));
      billing.refund("u" + round);
    }
    assertEquals(List.of("GRANT_LOW:g"), idsOf("GRANT_LOW:"));
    assertEquals(List.of("GRANT_EXHAUSTED:g"), idsOf("GRANT_EXHAUSTED:"));
    assertEquals(0, billing.balances("c", CALL).get(0).usedSeconds(), "the last refund gave everything back");
  }

  /**
   * A customer with an auto-decrement package of 30.00 a month from January, charged month by
   * month from January to April with top-ups before some months; the host's threshold is 50.00.
   */
  @ParameterizedTest(name = "credit {0}, top-ups {1} -> CREDIT_LOW at {2}")
  @CsvSource({
      // 100 -> 70 -> 40 (crosses in February) -> 10 -> -20
      "100.00, '', 2026-02-01",
      // 100 -> 70 -> 40 (crosses) -> +60 = 100 -> 70 -> 40 (crosses again in April)
      "100.00, 2026-03-01:60.00, 2026-02-01 2026-04-01",
      // exactly at the threshold counts as not low: 50 -> 20 crosses in January
      "50.00, '', 2026-01-01",
      // below from the start: never crosses
      "49.99, '', ''",
      // 80 -> 50 (not below) -> 20 (crosses in February)
      "80.00, '', 2026-02-01",
      // 60 -> 30 (crosses) -> +10 = 40, still low -> 10 -> +100 = 110 -> 80 (April: not below)
      "60.00, 2026-02-01:10.00 2026-04-01:100.00, 2026-01-01"})
  void creditLowOncePerCrossing(String credit, String topUps, String crossings) {
    billing.define(ServicePackage.builder("p").name("P").currency("USD").retail("30.00").frequency(Frequency.MONTHLY)
        .build());
    billing.assign(Assignment.builder("a1").customerId("c1").packageId("p").startDate(LocalDate.of(2026, 1, 1))
        .autoDecrementCredit(true).build());
    stores.creditLedger().credit(new CreditEntry("credit", "c1", Fixtures.usd(credit)));
    List<String> topUpList = topUps.isBlank() ? List.of() : Arrays.asList(topUps.split(" "));
    for (int month = 1; month <= 4; month++) {
      LocalDate run = LocalDate.of(2026, month, 1);
      for (String topUp : topUpList) {
        if (topUp.startsWith(run.toString())) {
          stores.creditLedger().credit(new CreditEntry("top-" + run, "c1", Fixtures.usd(topUp.split(":")[1])));
        }
      }
      clock.setDate(run);
      billing.run(run, RunMode.CHARGE);
    }
    List<String> expected = new ArrayList<>();
    for (String month : crossings.isBlank() ? new String[0] : crossings.split(" ")) {
      expected.add("CREDIT_LOW:c1:USD:a1/RECURRING/" + month);
    }
    assertEquals(expected, idsOf("CREDIT_LOW:"));
    billing.run(LocalDate.of(2026, 4, 1), RunMode.CHARGE);
    assertEquals(expected, idsOf("CREDIT_LOW:"), "a replayed run crosses nothing again");
  }
}
