package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.CALL;
import static dev.allotment.spi.ContractFixtures.RULES;
import static dev.allotment.spi.ContractFixtures.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.UsageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-memory free-minute store runs the contract kit, and keeps its taker to its own call. */
final class InMemoryFreeMinuteStoreTest extends FreeMinuteStoreContract {
  private final InMemoryFreeMinuteStore store = new InMemoryFreeMinuteStore();

  @Override
  protected BillingStores newStores() {
    return new InMemoryStores();
  }

  private long used(String customerId, String grantId) {
    return store.balances(customerId, CALL).stream().filter(b -> b.grant().id().equals(grantId)).findFirst()
        .orElseThrow().usedSeconds();
  }

  @Test
  void aTakerKeptBeyondItsConsumptionIsRefused() {
    Grant g = grant("g", "c", 100).build();
    store.addGrants(List.of(g));
    List<GrantTaker> kept = new ArrayList<>();
    store.consume(UsageRecord.of("u-1", "c", "44", CALL, 10), (usage, grants, taker) -> {
      kept.add(taker);
      return RULES.allocate(usage, grants, taker);
    });
    assertThrows(IllegalStateException.class, () -> kept.get(0).take(g, 10));
    assertEquals(10, used("c", "g"));
  }

  @Test
  void aTakerOnlyTakesFromTheCallersGrants() {
    Grant theirs = grant("theirs", "other", 100).build();
    store.addGrants(List.of(theirs, grant("mine", "c", 100).build()));
    assertThrows(IllegalArgumentException.class, () -> store.consume(UsageRecord.of("u-1", "c", "44", CALL, 10),
        (usage, grants, taker) -> {
          taker.take(grants.get(0), 10);
          taker.take(theirs, 10);
          throw new AssertionError("unreachable: the second take must be refused");
        }));
    assertEquals(0, used("other", "theirs"));
    assertEquals(0, used("c", "mine"));
    assertEquals(Optional.empty(), store.consumption("u-1"));
  }

  @ParameterizedTest(name = "{0} s")
  @ValueSource(longs = {-1, Long.MIN_VALUE})
  void aNegativeTakeIsRefusedAndTheCallUndone(long seconds) {
    Grant g = grant("g", "c", 100).build();
    store.addGrants(List.of(g));
    assertThrows(IllegalArgumentException.class, () -> store.consume(UsageRecord.of("u-1", "c", "44", CALL, 10),
        (usage, grants, taker) -> {
          taker.take(g, 30);
          taker.take(g, seconds);
          throw new AssertionError("unreachable: the negative take must be refused");
        }));
    assertEquals(0, used("c", "g"));
    assertEquals(Optional.empty(), store.consumption("u-1"));
  }

  @Test
  void aSizedStoreBehavesLikeAnyOtherAndANegativeSizeIsRefused() {
    InMemoryFreeMinuteStore sized = new InMemoryFreeMinuteStore(1_000);
    InMemoryStores stores = new InMemoryStores(sized);
    Grant g = grant("g", "c", 100).build();
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(g)));
    UsageRecord call = UsageRecord.of("u-1", "c", "44", CALL, 10);
    assertEquals(sized.consume(call, RULES), stores.freeMinutes().consume(call, RULES));
    assertEquals(List.of(new GrantBalance(g, 10)), sized.balances("c", CALL));
    assertEquals("expectedUsages must be >= 0, was -1",
        assertThrows(IllegalArgumentException.class, () -> new InMemoryFreeMinuteStore(-1)).getMessage());
  }
}
