package dev.allotment.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.allotment.core.Grant;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.UsageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class InMemoryFreeMinuteStoreTest extends FreeMinuteStoreContract {

  @Override
  protected FreeMinuteStore newStore() {
    return new InMemoryFreeMinuteStore();
  }

  @Test
  void aTakerKeptBeyondItsConsumptionIsRefused() {
    InMemoryFreeMinuteStore store = new InMemoryFreeMinuteStore();
    Grant g = grant("g", "c", 100).build();
    store.addGrants(List.of(g));
    List<GrantTaker> kept = new ArrayList<>();
    store.consume(UsageRecord.of("u-1", "c", "44", CALL, 10), (usage, grants, taker) -> {
      kept.add(taker);
      return UsageAllocator.STANDARD.allocate(usage, grants, taker);
    });
    assertThrows(IllegalStateException.class, () -> kept.get(0).take(g, 10));
    assertEquals(10, store.balance("g").orElseThrow().usedSeconds());
  }

  @Test
  void aTakerOnlyTakesFromTheCallersGrants() {
    InMemoryFreeMinuteStore store = new InMemoryFreeMinuteStore();
    Grant theirs = grant("theirs", "other", 100).build();
    store.addGrants(List.of(theirs, grant("mine", "c", 100).build()));
    assertThrows(IllegalArgumentException.class, () -> store.consume(UsageRecord.of("u-1", "c", "44", CALL, 10),
        (usage, grants, taker) -> {
          taker.take(grants.get(0), 10);
          taker.take(theirs, 10);
          throw new AssertionError("unreachable: the second take must be refused");
        }));
    assertEquals(0, store.balance("theirs").orElseThrow().usedSeconds());
    assertEquals(0, store.balance("mine").orElseThrow().usedSeconds());
    assertEquals(Optional.empty(), store.consumption("u-1"));
  }

  @Test
  void aSizedStoreBehavesLikeAnyOtherAndANegativeSizeIsRefused() {
    InMemoryFreeMinuteStore sized = new InMemoryFreeMinuteStore(1_000);
    sized.addGrants(List.of(grant("g", "c", 100).build()));
    UsageRecord call = UsageRecord.of("u-1", "c", "44", CALL, 10);
    assertEquals(sized.consume(call, UsageAllocator.STANDARD), sized.consume(call, UsageAllocator.STANDARD));
    assertEquals(10, sized.balance("g").orElseThrow().usedSeconds());
    assertEquals("expectedUsages must be >= 0, was -1",
        assertThrows(IllegalArgumentException.class, () -> new InMemoryFreeMinuteStore(-1)).getMessage());
  }
}
