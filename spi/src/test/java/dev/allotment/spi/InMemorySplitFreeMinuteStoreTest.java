package dev.allotment.spi;

import static dev.allotment.spi.ContractFixtures.CALL;
import static dev.allotment.spi.ContractFixtures.RULES;
import static dev.allotment.spi.ContractFixtures.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-memory free-minute store as a {@link SplitFreeMinuteStore}, what the split-stores adapter
 * relies on: a revoked grant serves no call, takes nothing back and is not listed, yet keeps its
 * used seconds; adding it again revives it as it was.
 */
final class InMemorySplitFreeMinuteStoreTest {
  private final SplitFreeMinuteStore store = new InMemoryFreeMinuteStore();

  private static UsageRecord call(String usageId, String customerId, long seconds) {
    return UsageRecord.of(usageId, customerId, "4420", CALL, seconds);
  }

  private static List<String> ids(List<GrantBalance> balances) {
    return balances.stream().map(b -> b.grant().id()).toList();
  }

  @Test
  void addGrantsAddsNewGrantsAndAHeldIdTakesTheGivenTermsKeepingItsUsedSeconds() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    store.consume(call("u-1", "c", 30), RULES);
    Grant retermed = grant("g", "c", 999).did("4420").build();
    Grant fresh = grant("h", "c", 50).build();

    store.addGrants(List.of(retermed, fresh));

    assertEquals(List.of(new GrantBalance(retermed, 30), new GrantBalance(fresh, 0)), store.balances("c", CALL));
    UsageRecord onTheDid = UsageRecord.onDid("u-2", "c", "4420", "4420", CALL, 2_000);
    assertEquals(969, store.consume(onTheDid, RULES).takenFrom("g"), "it serves up to its new terms");
  }

  @ParameterizedTest(name = "used 30, new allocation {0}")
  @CsvSource({"100, 30", "31, 30", "30, 30", "20, 20", "1, 1"})
  void theUsedSecondsKeptAreAtMostTheNewAllocation(long allocation, long used) {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    store.consume(call("u-1", "c", 30), RULES);
    Grant retermed = grant("g", "c", allocation).build();
    store.addGrants(List.of(retermed));
    assertEquals(List.of(new GrantBalance(retermed, used)), store.balances("c", CALL));
  }

  @Test
  void addingAHeldGrantWithItsOwnTermsChangesNothing() {
    Grant g = grant("g", "c", 100).build();
    store.addGrants(List.of(g));
    store.consume(call("u-1", "c", 30), RULES);
    store.addGrants(List.of(g, g));
    assertEquals(List.of(new GrantBalance(g, 30)), store.balances("c", CALL));
  }

  @Test
  void aRevokedGrantNeitherServesCallsNorTakesBackNorIsListed() {
    Grant g = grant("g", "c", 100).build();
    Grant other = grant("h", "c", 100).build(); // after "g" in consumption order (same validity, id)
    store.addGrants(List.of(g, other));
    Consumption before = store.consume(call("u-1", "c", 150), RULES);
    assertEquals(List.of(new GrantSeconds("g", 100), new GrantSeconds("h", 50)), before.takes());

    assertTrue(store.revokeGrant("g"));

    assertEquals(List.of("h"), ids(store.balances("c", CALL)));
    Consumption after = store.consume(call("u-2", "c", 30), RULES);
    assertEquals(List.of(new GrantSeconds("h", 30)), after.takes());
    // A refund gives nothing back to the revoked grant; the other grant gets its seconds back.
    Refund refund = store.refund("u-1", CALL).orElseThrow();
    assertEquals(List.of(new GrantSeconds("h", 50)), refund.returned());
    assertEquals(List.of(new GrantBalance(other, 30)), store.balances("c", CALL));
  }

  @Test
  void aRevokedGrantIsNotHandedToAllocators() {
    store.addGrants(List.of(grant("g", "c", 100).build(), grant("h", "c", 100).build()));
    store.revokeGrant("g");
    List<List<String>> seen = new ArrayList<>();
    store.consume(call("u-1", "c", 30), (usage, grants, taker) -> {
      seen.add(grants.stream().map(Grant::id).toList());
      return RULES.allocate(usage, grants, taker);
    });
    assertEquals(List.of(List.of("h")), seen);
  }

  @Test
  void revokingIsIdempotentAndIgnoresUnknownIds() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    assertTrue(store.revokeGrant("g"));
    assertFalse(store.revokeGrant("g"), "revoking twice");
    assertFalse(store.revokeGrant("nope"), "an unknown id is ignored");
  }

  @Test
  void addingARevokedGrantAgainRevivesItWithItsUsage() {
    Grant g = grant("g", "c", 100).build();
    store.addGrants(List.of(g));
    store.consume(call("u-1", "c", 30), RULES);
    assertTrue(store.revokeGrant("g"));

    store.addGrants(List.of(g, g)); // twice in one batch: revived once

    assertEquals(List.of(new GrantBalance(g, 30)), store.balances("c", CALL));
    assertEquals(70, store.consume(call("u-2", "c", 500), RULES).takenFrom("g"), "it serves calls again");
    assertEquals(70, store.refund("u-2", CALL).orElseThrow().returnedSeconds(), "and takes back");
    assertTrue(store.revokeGrant("g"), "a revived grant can be revoked again");
  }

  @Test
  void addingARevokedGrantWithOtherTermsRevivesItWithThoseTerms() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    store.consume(call("u-1", "c", 30), RULES);
    store.revokeGrant("g");
    Grant retermed = grant("g", "c", 50).destination("^44").build();

    store.addGrants(List.of(retermed));

    assertEquals(List.of(new GrantBalance(retermed, 30)), store.balances("c", CALL));
    assertEquals(20, store.consume(call("u-2", "c", 500), RULES).takenFrom("g"));
    assertTrue(store.revokeGrant("g"));
    assertEquals(List.of(), store.balances("c", CALL));
  }

  @Test
  void aBatchOfTheInMemoryUnitOfWorkRevivesARevokedGrant() {
    InMemoryStores stores = new InMemoryStores();
    Grant g = grant("g", "c", 100).build();
    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(g)));
    stores.freeMinutes().consume(call("u-1", "c", 40), RULES);
    stores.freeMinutes().revokeGrant("g");
    assertEquals(List.of(), stores.freeMinutes().balances("c", CALL));

    stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(g)));

    assertEquals(List.of(new GrantBalance(g, 40)), stores.freeMinutes().balances("c", CALL));
  }

  // ---- reviseGrants

  private static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");

  @Test
  void reviseGrantsSetsTheAllocationAndValidityKeepingTheUsedSeconds() {
    store.addGrants(List.of(grant("g", "c", 100).build(), grant("h", "c", 50).build()));
    store.consume(call("u-1", "c", 30), RULES);

    store.reviseGrants(List.of(new GrantRevision("g", 200, Optional.of(APR_1))));

    Grant revised = grant("g", "c", 200).validUntil(APR_1).build();
    assertEquals(List.of(new GrantBalance(revised, 30), new GrantBalance(grant("h", "c", 50).build(), 0)),
        store.balances("c", CALL));
    assertEquals(List.of("h"), ids(store.balances("c", APR_1)), "g is no longer valid from its new end on");
    assertEquals(170, store.consume(call("u-2", "c", 170), RULES).takenFrom("g"));
  }

  @ParameterizedTest(name = "used 30, revised to {0}")
  @CsvSource({"100, 100", "31, 31", "30, 30", "20, 30", "0, 30"})
  void aRevisionNeverSetsTheAllocationBelowTheUsedSeconds(long revision, long allocation) {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    store.consume(call("u-1", "c", 30), RULES);
    store.reviseGrants(List.of(new GrantRevision("g", revision, Optional.empty())));
    assertEquals(List.of(new GrantBalance(grant("g", "c", allocation).build(), 30)), store.balances("c", CALL));
  }

  @Test
  void reviseGrantsIgnoresUnknownIdsAndIsIdempotent() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    GrantRevision revision = new GrantRevision("g", 60, Optional.of(APR_1));
    store.reviseGrants(List.of(new GrantRevision("nope", 1, Optional.empty()), revision));
    List<GrantBalance> once = store.balances("c", CALL);
    store.reviseGrants(List.of(revision, revision));
    assertEquals(once, store.balances("c", CALL));
    assertEquals(List.of(new GrantBalance(grant("g", "c", 60).validUntil(APR_1).build(), 0)), once);
    store.reviseGrants(List.of());
    assertEquals(once, store.balances("c", CALL));
  }

  @Test
  void aRevisedRevokedGrantStaysRevoked() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    store.consume(call("u-1", "c", 30), RULES);
    assertTrue(store.revokeGrant("g"));

    store.reviseGrants(List.of(new GrantRevision("g", 500, Optional.empty())));

    assertEquals(List.of(), store.balances("c", CALL));
    assertEquals(0, store.consume(call("u-2", "c", 60), RULES).takenFrom("g"));
    assertFalse(store.revokeGrant("g"), "still revoked");
  }

  @Test
  void aValidityEndingAtTheGrantsStartServesNoCallAndTakesNothingBack() {
    Grant g = grant("g", "c", 100).build();
    store.addGrants(List.of(g));
    store.consume(call("u-1", "c", 30), RULES);

    store.reviseGrants(List.of(new GrantRevision("g", 100, Optional.of(g.validFrom()))));

    assertEquals(List.of(), store.balances("c", CALL));
    assertEquals(List.of(), store.balances("c", g.validFrom()));
    assertEquals(0, store.consume(call("u-2", "c", 60), RULES).coveredSeconds());
    assertEquals(0, store.refund("u-1", CALL).orElseThrow().returnedSeconds());
  }

  /** One consumption of a round, and whether the revocation had returned before it started. */
  private record Taken(int round, Consumption consumption, boolean afterRevoke) {}

  @Test
  @Timeout(120)
  void callsRacingARevocationNeverTakeFromItOnceItReturned() throws Exception {
    int rounds = 100;
    int threads = 4;
    int callsPerThread = 20;
    AtomicReferenceArray<AtomicBoolean> revoked = new AtomicReferenceArray<>(rounds);
    for (int r = 0; r < rounds; r++) {
      // A customer per round: a grant revived at the end of a round never serves the next one.
      store.addGrants(List.of(grant("r" + r, "c" + r, 1_000_000).build()));
      revoked.set(r, new AtomicBoolean());
    }
    ConcurrentLinkedQueue<Taken> taken = new ConcurrentLinkedQueue<>();
    ConcurrentRunner.StartLine start = new ConcurrentRunner.StartLine(threads);
    ConcurrentRunner.run(threads, rounds, (thread, r) -> {
      start.await(r);
      if (thread == 0) {
        assertTrue(store.revokeGrant("r" + r));
        revoked.get(r).set(true);
        return;
      }
      for (int i = 0; i < callsPerThread; i++) {
        boolean after = revoked.get(r).get();
        taken.add(new Taken(r, store.consume(call("u-" + r + "-" + thread + "-" + i, "c" + r, 7), RULES), after));
      }
    });
    long[] reported = new long[rounds];
    for (Taken t : taken) {
      long fromGrant = t.consumption().takenFrom("r" + t.round());
      reported[t.round()] += fromGrant;
      if (t.afterRevoke()) {
        assertEquals(0, fromGrant, "round " + t.round() + ": a call after the revocation took from the grant");
      }
    }
    for (int r = 0; r < rounds; r++) {
      assertEquals(List.of(), store.balances("c" + r, CALL));
      store.addGrants(List.of(grant("r" + r, "c" + r, 1_000_000).build()));
      // Every take reported counts in the grant, and none was lost or added by the revocation.
      assertEquals(reported[r], store.balances("c" + r, CALL).get(0).usedSeconds(), "round " + r);
    }
  }

  @Test
  void oneIdTwiceWithOtherTermsInOneBatchIsListedOnceWithTheLastTerms() {
    Grant first = grant("h", "c", 50).build();
    Grant last = grant("h", "c", 1).build();
    store.addGrants(List.of(first, last));
    assertEquals(List.of(new GrantBalance(last, 0)), store.balances("c", CALL));
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @Test
  void aCheckedExceptionThrownByTheAllocatorUndoesItsTakes() {
    store.addGrants(List.of(grant("g", "c", 100).build()));
    assertThrows(IOException.class, () -> store.consume(call("u-1", "c", 40), (usage, grants, taker) -> {
      taker.take(grants.get(0), 25);
      throw InMemorySplitFreeMinuteStoreTest.<RuntimeException>sneaky(new IOException("disk"));
    }));
    assertEquals(Optional.empty(), store.consumption("u-1"));
    assertEquals(0, store.balances("c", CALL).get(0).usedSeconds());
  }

  /** Takes racing a change of terms count once, on the grant as it ends up: never twice, never lost. */
  @Test
  void takesRacingAChangeOfTermsAreNeitherCountedTwiceNorLost() throws Exception {
    int rounds = 300;
    for (int r = 0; r < rounds; r++) {
      store.addGrants(List.of(grant("g" + r, "c" + r, 1_000_000).build()));
    }
    ConcurrentLinkedQueue<Consumption> done = new ConcurrentLinkedQueue<>();
    ConcurrentRunner.StartLine start = new ConcurrentRunner.StartLine(4);
    ConcurrentRunner.run(4, rounds, (thread, r) -> {
      start.await(r);
      if (thread == 0) {
        store.addGrants(List.of(grant("g" + r, "c" + r, 1_000_001).build()));
        return;
      }
      for (int i = 0; i < 30; i++) {
        done.add(store.consume(UsageRecord.of("u-" + r + "-" + thread + "-" + i, "c" + r, "44", CALL, 7), RULES));
      }
    });
    long[] taken = new long[rounds];
    for (Consumption consumption : done) {
      int r = Integer.parseInt(consumption.usageId().split("-")[1]);
      taken[r] += consumption.takenFrom("g" + r);
    }
    for (int r = 0; r < rounds; r++) {
      long used = store.balances("c" + r, CALL).stream().mapToLong(GrantBalance::usedSeconds).sum();
      assertEquals(taken[r], used, "round " + r);
    }
  }
}
