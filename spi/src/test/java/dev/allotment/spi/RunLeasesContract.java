package dev.allotment.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RunLeases} must meet: two claimers never hold one partition at once,
 * expired leases are claimable again (and their first holder is then refused), complete is
 * idempotent and a done partition is never claimed again. Extend it and return fresh, empty leases
 * from {@link #newLeases()}, called once per test.
 *
 * <p>Test methods are public: a store in another package extends this class (junit-framework#5098).
 */
public abstract class RunLeasesContract {
  private static final Instant T0 = Instant.parse("2026-03-31T02:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private RunLeases leases;

  /** Fresh leases, holding no run. */
  protected abstract RunLeases newLeases();

  @BeforeEach
  public final void setUpLeases() {
    leases = newLeases();
  }

  private RunLease claim(String run, String owner, Instant now) {
    return leases.claim(run, owner, now, MINUTE).orElseThrow(() -> new AssertionError("nothing claimable"));
  }

  @Test
  public void claimsHandOutEveryPartitionOnceThenNothing() {
    leases.open("r1", 4);
    leases.open("r1", 4); // a second engine opening the same run changes nothing
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      RunLease lease = claim("r1", "e" + (i % 2), T0);
      assertEquals(4, lease.partitions());
      assertEquals(T0.plus(MINUTE), lease.expiresAt());
      assertTrue(taken.add(lease.partition()), "partition " + lease.partition() + " claimed twice");
    }
    assertEquals(Optional.empty(), leases.claim("r1", "e2", T0.plusSeconds(59), MINUTE));
    assertEquals(new FleetStatus("r1", 4, 0, 4), leases.status("r1", T0));
    assertEquals(new FleetStatus("other", 0, 0, 0), leases.status("other", T0));
    assertEquals(Optional.empty(), leases.claim("other", "e1", T0, MINUTE), "a run never opened has nothing");
  }

  @Test
  public void aRunKeepsItsPartitionCount() {
    leases.open("r1", 4);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> leases.open("r1", 8));
    assertTrue(e.getMessage().contains("4"), e.getMessage());
  }

  @Test
  public void badInputsAreRefusedNamingTheField() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> leases.open("r1", 0)).getMessage()
        .contains("partitions"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> leases.open("r 1", 4)).getMessage()
        .contains("runId"));
    leases.open("r1", 2);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> leases.claim("r1", "", T0, MINUTE)).getMessage()
        .contains("owner"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> leases.claim("r1", "e1", T0, Duration.ZERO))
        .getMessage().contains("duration"));
    assertTrue(assertThrows(NullPointerException.class, () -> leases.claim("r1", "e1", null, MINUTE)).getMessage()
        .contains("now"));
  }

  @Test
  public void anExpiredLeaseIsClaimedAgainAndItsFirstHolderIsRefused() {
    leases.open("r1", 1);
    RunLease first = claim("r1", "e1", T0);
    assertEquals(Optional.empty(), leases.claim("r1", "e2", T0.plus(MINUTE).minusMillis(1), MINUTE), "still live");
    RunLease second = claim("r1", "e2", T0.plus(MINUTE));
    assertEquals(first.partition(), second.partition());
    assertNotEquals(first.token(), second.token());
    assertEquals(Optional.empty(), leases.renew(first, T0.plus(MINUTE), MINUTE), "the first holder's renew");
    assertFalse(leases.complete(first, T0.plus(MINUTE)), "the first holder's complete");
    assertEquals(new FleetStatus("r1", 1, 0, 1), leases.status("r1", T0.plus(MINUTE)));
    assertTrue(leases.complete(second, T0.plus(MINUTE)));
    assertEquals(new FleetStatus("r1", 1, 1, 0), leases.status("r1", T0.plus(MINUTE)));
  }

  @Test
  public void aRenewedLeaseStaysItsHolders() {
    leases.open("r1", 1);
    RunLease lease = claim("r1", "e1", T0);
    RunLease renewed = leases.renew(lease, T0.plusSeconds(50), MINUTE).orElseThrow();
    assertEquals(T0.plusSeconds(110), renewed.expiresAt());
    assertEquals(lease.token(), renewed.token());
    assertEquals(Optional.empty(), leases.claim("r1", "e2", T0.plusSeconds(100), MINUTE), "renewed: still live");
    // Expired but taken by nobody: the holder may still renew (expiry only makes it claimable).
    assertTrue(leases.renew(renewed, T0.plusSeconds(200), MINUTE).isPresent());
    assertTrue(leases.complete(renewed, T0.plusSeconds(201)));
  }

  @Test
  public void completeIsIdempotentAndADonePartitionIsNeverClaimedAgain() {
    leases.open("r1", 2);
    RunLease a = claim("r1", "e1", T0);
    assertTrue(leases.complete(a, T0));
    assertTrue(leases.complete(a, T0.plusSeconds(1)), "again");
    assertEquals(Optional.empty(), leases.renew(a, T0, MINUTE), "a done partition is not renewed");
    RunLease b = claim("r1", "e1", T0.plus(Duration.ofDays(1)));
    assertNotEquals(a.partition(), b.partition());
    assertTrue(leases.complete(b, T0.plus(Duration.ofDays(1))));
    assertEquals(Optional.empty(), leases.claim("r1", "e1", T0.plus(Duration.ofDays(2)), MINUTE));
    assertTrue(leases.status("r1", T0).complete());
  }

  @Test
  public void concurrentClaimersNeverGetTheSamePartition() throws Exception {
    int partitions = 64;
    leases.open("r1", partitions);
    List<Integer> claimed = Collections.synchronizedList(new ArrayList<>());
    ConcurrentRunner.run(4, partitions / 4 + 2, (thread, i) ->
        leases.claim("r1", "e" + thread, T0, MINUTE).ifPresent(lease -> claimed.add(lease.partition())));
    assertEquals(claimed.size(), new HashSet<>(claimed).size(), "none twice: " + claimed);
    assertTrue(claimed.size() >= partitions / 2, "most claims found a partition: " + claimed);
    // A claim may find nothing while the last rows are locked by claims in flight; those are now over.
    for (Optional<RunLease> more = leases.claim("r1", "e9", T0, MINUTE); more.isPresent();
        more = leases.claim("r1", "e9", T0, MINUTE)) {
      claimed.add(more.get().partition());
    }
    assertEquals(partitions, claimed.size(), "every partition claimed once: " + claimed);
    assertEquals(partitions, new HashSet<>(claimed).size(), "none twice: " + claimed);
  }
}
