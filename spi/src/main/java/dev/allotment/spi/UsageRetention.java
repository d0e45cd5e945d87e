package dev.allotment.spi;

import dev.allotment.core.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The retention window of an {@link InMemoryFreeMinuteStore}: which consumed calls it still holds.
 * Calls are kept in buckets by the minute they started; once a call starting more than the window
 * after a bucket's minute has been consumed, the bucket's calls are forgotten (and the grants that
 * expired before it with them), so memory is bounded by the calls of one window. Time is the calls'
 * own (the latest start seen), not a clock: a replayed old file behaves as it did live.
 *
 * <p>A call starting before the window's start can no longer be told from a replay, so it is
 * refused rather than consumed twice.
 *
 * <p>Thread-safe: buckets are concurrent queues; one thread at a time forgets, and the others go on.
 */
final class UsageRetention {
  private final long windowMinutes;
  private final ConcurrentHashMap<Long, Queue<String>> buckets = new ConcurrentHashMap<>();
  /** The latest start minute seen. */
  private final AtomicLong latest = new AtomicLong(Long.MIN_VALUE);
  /** Calls starting before this minute are forgotten, and refused. */
  private volatile long forgottenBefore = Long.MIN_VALUE;
  private final ReentrantLock forgetting = new ReentrantLock();

  UsageRetention(Duration window) {
    if (window.isNegative() || window.toMinutes() < 1) {
      throw new IllegalArgumentException("retention window must be at least one minute, was " + window);
    }
    this.windowMinutes = window.toMinutes();
  }

  /** {@return the window, whole minutes} */
  Duration window() {
    return Duration.ofMinutes(windowMinutes);
  }

  private static long minute(Instant start) {
    return Math.floorDiv(start.getEpochSecond(), 60);
  }

  /**
   * Refuses a call that starts before the window: it may be a replay of a call already forgotten.
   * Called while the call's id is locked in the store's usage map, as {@link #forgetExpired}'s
   * removals are, so a replay racing the removal of its call is refused, never consumed twice.
   *
   * @throws IllegalArgumentException naming the usage id, its start and the window's start
   */
  void admit(UsageRecord usage) {
    long minute = minute(usage.start());
    long before = forgottenBefore;
    if (minute < before) {
      throw new IllegalArgumentException("usage '" + usage.usageId() + "' starts at " + usage.start()
          + ", before the store's retention window (calls from " + Instant.ofEpochSecond(before * 60) + " on are"
          + " held, " + window() + " back from the latest call): a replay that old cannot be recognised");
    }
  }

  /** Remembers a newly consumed call in its start minute's bucket. */
  void remember(UsageRecord usage) {
    long minute = minute(usage.start());
    buckets.computeIfAbsent(minute, m -> new ConcurrentLinkedQueue<>()).add(usage.usageId());
    long seen = latest.get();
    while (minute > seen && !latest.compareAndSet(seen, minute)) {
      seen = latest.get();
    }
  }

  /**
   * When the latest call moved the window on, forgets the calls of the minutes it left behind,
   * handing each id to {@code forget}, then the grants that expired before the window with
   * {@code pruneGrants}; by one thread at a time (the others skip, the next call catches up).
   * Never called inside a computation of the store's usage map: it removes from that map.
   */
  void forgetExpired(Consumer<String> forget, Consumer<Instant> pruneGrants) {
    long cutoff = latest.get() - windowMinutes;
    if (cutoff <= forgottenBefore || !forgetting.tryLock()) {
      return;
    }
    try {
      long from = forgottenBefore;
      forgottenBefore = cutoff; // from now on calls before it are refused, so none joins a bucket being emptied
      List<Long> expired = buckets.keySet().stream().filter(m -> m < cutoff).toList();
      for (Long minute : expired) {
        Queue<String> ids = buckets.remove(minute);
        if (ids != null) {
          ids.forEach(forget);
        }
      }
      if (from == Long.MIN_VALUE || Math.floorDiv(cutoff, 60) != Math.floorDiv(from, 60)) {
        pruneGrants.accept(Instant.ofEpochSecond(cutoff * 60)); // at most once an hour of calls
      }
    } finally {
      forgetting.unlock();
    }
  }

  /** {@return how many calls the buckets hold} */
  long held() {
    return buckets.values().stream().mapToLong(Queue::size).sum();
  }
}
