package dev.allotment.spi;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until told to move: for tests, simulations and demos.
 *
 * <p>Thread-safe.
 */
public final class MutableBillingClock implements BillingClock {
  private final ZoneId zone;
  private final AtomicReference<Instant> now;

  private MutableBillingClock(ZoneId zone, Instant now) {
    this.zone = zone;
    this.now = new AtomicReference<>(now);
  }

  /**
   * A clock standing at {@code instant} in {@code zone}.
   *
   * @param instant the instant it shows
   * @param zone the billing zone
   * @return the clock
   */
  public static MutableBillingClock at(Instant instant, ZoneId zone) {
    return new MutableBillingClock(Objects.requireNonNull(zone, "zone"), Objects.requireNonNull(instant, "instant"));
  }

  /**
   * A clock standing at the start of {@code date} in {@code zone}.
   *
   * @param date the billing date
   * @param zone the billing zone
   * @return the clock
   */
  public static MutableBillingClock startOf(LocalDate date, ZoneId zone) {
    return at(date.atStartOfDay(zone).toInstant(), zone);
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public Instant now() {
    return now.get();
  }

  /**
   * Moves the clock to {@code instant} (backwards too).
   *
   * @param instant the new instant
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Moves the clock to the start of {@code date}.
   *
   * @param date the billing date
   */
  public void setDate(LocalDate date) {
    set(startOf(date));
  }

  /**
   * Moves the clock forward by {@code duration}.
   *
   * @param duration how far (a negative one moves it back)
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    now.updateAndGet(i -> i.plus(duration));
  }

  @Override
  public String toString() {
    return "MutableBillingClock[" + now.get() + " " + zone + "]";
  }
}
