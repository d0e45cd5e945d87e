package dev.allotment.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The free-minute consumption rules, as pure functions.
 *
 * <p><b>Eligibility.</b> A grant serves a call when it belongs to the call's customer, is valid at
 * the call's start ({@link Grant#isValidAt}), is customer-level or bound to the DID the call was
 * made on, and its destination (if any) matches the dialed number.
 *
 * <p><b>Order.</b> Eligible grants are used by longest matching destination prefix first (a grant
 * without a destination matches with length 0), then earliest expiry (a grant that never expires
 * comes last), then oldest ({@code validFrom}, then grant id, so the order is total and every
 * store gets the same answer).
 *
 * <p><b>Rounding.</b> The call is rounded up to the rounding increment of the <em>first</em>
 * eligible grant in that order, whether or not that grant has seconds left, and the rounded
 * duration is what the grants cover: the most specific package that applies to a call sets its
 * billing rules, and the choice never depends on balances that concurrent calls are changing. A
 * call no grant serves is not rounded. Grants are then drawn in order, each as far as it goes; a
 * grant may cover part of an increment (61 s at increment 60 against a grant with 100 s left covers
 * 100 s and leaves 20 s uncovered).
 *
 * <p>Thread-safe (stateless).
 */
public final class FreeMinuteRules {
  /** The largest rounding increment a package or grant may have: one hour. */
  public static final int MAX_ROUNDING_INCREMENT = 3600;

  private FreeMinuteRules() {}

  /**
   * Consumes {@code usage} from {@code grants}: picks and orders the eligible grants, rounds the
   * call, and asks {@code taker} for the seconds grant by grant until the call is covered. What the
   * taker returns is what was taken; nothing is computed from a balance read earlier, so concurrent
   * calls can never push a grant below zero. Has the shape of the SPI's {@code UsageAllocator}.
   *
   * @param usage the call
   * @param grants the customer's grants (others, and grants not valid at the call, are ignored)
   * @param taker takes seconds from one grant and says how many it took
   * @return the rounded duration and the positive takes, in the order they were made
   * @throws IllegalStateException when the taker returns a negative amount or more than asked
   */
  public static Consumption allocate(UsageRecord usage, List<Grant> grants, GrantTaker taker) {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(grants, "grants");
    Objects.requireNonNull(taker, "taker");
    int size = grants.size();
    Grant[] order = new Grant[size];
    int[] match = new int[size];
    int count = eligibleInOrder(grants, usage.customerId(), usage.did().orElse(null), usage.number(), usage.start(),
        order, match);
    if (count == 0) {
      return new Consumption(usage, usage.durationSeconds(), List.of());
    }
    long rounded = roundUp(usage.durationSeconds(), order[0].roundingIncrementSeconds());
    long remaining = rounded;
    // Most calls are covered by their first grant: one take, no array.
    GrantSeconds firstTake = null;
    GrantSeconds[] takes = null;
    int taken = 0;
    for (int i = 0; i < count && remaining > 0; i++) {
      long got = taker.take(order[i], remaining);
      if (got < 0 || got > remaining) {
        throw new IllegalStateException("taker must return 0.." + remaining + " seconds for grant '"
            + order[i].id() + "', returned " + got);
      }
      if (got > 0) {
        GrantSeconds take = new GrantSeconds(order[i].id(), got);
        if (taken == 0) {
          firstTake = take;
        } else {
          if (takes == null) {
            takes = new GrantSeconds[count];
            takes[0] = firstTake;
          }
          takes[taken] = take;
        }
        taken++;
        remaining -= got;
      }
    }
    List<GrantSeconds> list = taken == 0 ? List.of() : taken == 1 ? List.of(firstTake)
        : List.of(Arrays.copyOf(takes, taken));
    return new Consumption(usage, rounded, list);
  }

  /**
   * The grants of {@code grants} that serve a call of {@code customerId} (on {@code did}, to
   * {@code number}) starting at {@code at}, in consumption order.
   *
   * @param grants the customer's grants (others, and grants not valid at the instant, are ignored)
   * @param customerId the customer calling
   * @param did the DID called from, for DID-bound grants
   * @param number the dialed number
   * @param at the call's start
   * @return the grants that serve the call, in the order a call consumes them
   * @throws IllegalArgumentException when the customer id, DID or number is malformed
   */
  public static List<Grant> eligibleInOrder(Collection<Grant> grants, String customerId, Optional<String> did,
      String number, Instant at) {
    Objects.requireNonNull(grants, "grants");
    String callDid = checkCall(customerId, did, number, at);
    List<Grant> copy = new ArrayList<>(grants);
    Grant[] order = new Grant[copy.size()];
    int count = eligibleInOrder(copy, customerId, callDid, number, at, order, new int[copy.size()]);
    return List.of(Arrays.copyOf(order, count));
  }

  /**
   * How many free seconds a call of {@code customerId} (on {@code did}, to {@code number}) starting
   * at {@code at} could use: the remaining seconds of every grant that would serve it. A call
   * consumed right after covers at most this much (less only if other calls consume in between).
   * It is not rounded down to the rounding increment: a switch wanting calls that stay entirely
   * free caps them at this amount rounded down to the increment.
   *
   * @param balances the customer's grants with their used seconds
   * @param customerId the customer calling
   * @param did the DID called from, for DID-bound grants
   * @param number the dialed number
   * @param at the call's start
   * @return the seconds available, 0 when no grant serves the call
   * @throws IllegalArgumentException when the customer id, DID or number is malformed
   */
  public static long available(Collection<GrantBalance> balances, String customerId, Optional<String> did,
      String number, Instant at) {
    Objects.requireNonNull(balances, "balances");
    String callDid = checkCall(customerId, did, number, at);
    long total = 0;
    for (GrantBalance balance : balances) {
      if (balance.grant().matchLength(customerId, callDid, number, at) >= 0) {
        total = Math.addExact(total, balance.remainingSeconds());
      }
    }
    return total;
  }

  /**
   * {@code seconds} rounded up to a multiple of {@code increment}.
   *
   * @param seconds seconds, not negative
   * @param increment the increment, 1..{@value #MAX_ROUNDING_INCREMENT}
   * @return the smallest multiple of increment not below seconds
   * @throws IllegalArgumentException when seconds is negative or the increment is not within 1..3600
   */
  public static long roundUp(long seconds, int increment) {
    if (seconds < 0) {
      throw new IllegalArgumentException("seconds must be >= 0, was " + seconds);
    }
    if (increment < 1 || increment > MAX_ROUNDING_INCREMENT) {
      throw new IllegalArgumentException("increment must be within 1.." + MAX_ROUNDING_INCREMENT + ", was " + increment);
    }
    long rest = seconds % increment;
    return rest == 0 ? seconds : seconds - rest + increment;
  }

  private static String checkCall(String customerId, Optional<String> did, String number, Instant at) {
    Ids.require("customerId", customerId);
    Objects.requireNonNull(did, "did");
    did.ifPresent(d -> Ids.requireDigits("did", d));
    Ids.requireDigits("number", number);
    Objects.requireNonNull(at, "at");
    return did.orElse(null);
  }

  /**
   * Fills {@code order}/{@code match} with the eligible grants and their match lengths, sorted by
   * insertion (a customer has a handful of grants; this beats a Comparator and allocates nothing),
   * and returns how many there are. Each destination is matched once per grant.
   */
  private static int eligibleInOrder(List<Grant> grants, String customerId, String did, String number, Instant at,
      Grant[] order, int[] match) {
    int count = 0;
    for (int i = 0, size = grants.size(); i < size; i++) {
      Grant grant = grants.get(i);
      int length = grant.matchLength(customerId, did, number, at);
      if (length < 0) {
        continue;
      }
      int j = count++;
      while (j > 0 && precedes(grant, length, order[j - 1], match[j - 1])) {
        order[j] = order[j - 1];
        match[j] = match[j - 1];
        j--;
      }
      order[j] = grant;
      match[j] = length;
    }
    return count;
  }

  /** True when grant a (matching with length ma) is used before grant b (length mb). */
  private static boolean precedes(Grant a, int ma, Grant b, int mb) {
    if (ma != mb) {
      return ma > mb;
    }
    Instant ua = a.validUntilOrNull();
    Instant ub = b.validUntilOrNull();
    if (ua != ub) {
      if (ua == null || ub == null) {
        return ub == null;
      }
      int c = ua.compareTo(ub);
      if (c != 0) {
        return c < 0;
      }
    }
    int c = a.validFrom().compareTo(b.validFrom());
    if (c != 0) {
      return c < 0;
    }
    return a.id().compareTo(b.id()) < 0;
  }
}
