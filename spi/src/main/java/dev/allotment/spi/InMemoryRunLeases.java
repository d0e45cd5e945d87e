package dev.allotment.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RunLeases} in memory: the fleet coordination of engines sharing one process (and of the
 * embedded {@link InMemoryStores}). Nothing is persisted.
 *
 * <p>Thread-safe: every call holds this object's lock, so claims are serialized and no two ever
 * return one partition's live lease.
 */
public final class InMemoryRunLeases implements RunLeases {
  /** One partition: done, or held under a token until an expiry, or open (no token). */
  private static final class Slot {
    String owner;
    String token;
    Instant expiresAt;
    boolean done;
  }

  private final Map<String, Slot[]> runs = new HashMap<>();

  /** No runs. */
  public InMemoryRunLeases() {}

  @Override
  public synchronized void open(String runId, int partitions) {
    RunLeases.checkRun(runId, partitions);
    Slot[] existing = runs.get(runId);
    if (existing == null) {
      Slot[] slots = new Slot[partitions];
      for (int i = 0; i < partitions; i++) {
        slots[i] = new Slot();
      }
      runs.put(runId, slots);
    } else if (existing.length != partitions) {
      throw new IllegalStateException("fleet run '" + runId + "' has " + existing.length + " partitions, not "
          + partitions + ": every engine of a run must ask for the same count (or use another run id)");
    }
  }

  @Override
  public synchronized Optional<RunLease> claim(String runId, String owner, Instant now, Duration duration) {
    RunLeases.checkClaim(runId, owner, now, duration);
    Slot[] slots = runs.getOrDefault(runId, new Slot[0]);
    for (int i = 0; i < slots.length; i++) {
      Slot slot = slots[i];
      if (!slot.done && (slot.token == null || !slot.expiresAt.isAfter(now))) {
        slot.owner = owner;
        slot.token = UUID.randomUUID().toString();
        slot.expiresAt = now.plus(duration);
        return Optional.of(new RunLease(runId, i, slots.length, owner, slot.token, slot.expiresAt));
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized Optional<RunLease> renew(RunLease lease, Instant now, Duration duration) {
    Objects.requireNonNull(lease, "lease");
    RunLeases.checkTerm(now, duration);
    Slot slot = slot(lease);
    if (slot == null || slot.done || !lease.token().equals(slot.token)) {
      return Optional.empty();
    }
    slot.expiresAt = now.plus(duration);
    return Optional.of(lease.until(slot.expiresAt));
  }

  @Override
  public synchronized boolean complete(RunLease lease, Instant now) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(now, "now");
    Slot slot = slot(lease);
    if (slot == null || !lease.token().equals(slot.token)) {
      return false;
    }
    // The token stays with the done partition, so completing again with the same lease answers true.
    slot.done = true;
    return true;
  }

  @Override
  public synchronized FleetStatus status(String runId, Instant now) {
    Objects.requireNonNull(now, "now");
    Slot[] slots = runs.getOrDefault(Objects.requireNonNull(runId, "runId"), new Slot[0]);
    int done = 0;
    int leased = 0;
    for (Slot slot : slots) {
      if (slot.done) {
        done++;
      } else if (slot.token != null && slot.expiresAt.isAfter(now)) {
        leased++;
      }
    }
    return new FleetStatus(runId, slots.length, done, leased);
  }

  /** The lease's slot, or null when its run or partition is unknown here. */
  private Slot slot(RunLease lease) {
    Slot[] slots = runs.get(lease.runId());
    return slots == null || lease.partition() >= slots.length ? null : slots[lease.partition()];
  }
}
