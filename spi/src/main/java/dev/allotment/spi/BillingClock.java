package dev.allotment.spi;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The provider's time: the current instant and the zone billing dates are counted in. Library code
 * never reads the system clock directly; hosts inject one of these, tests a fixed or mutable one.
 *
 * <p>Implementations must be thread-safe.
 */
public interface BillingClock {
  /** {@return the zone in which billing dates are counted (the provider's zone)} */
  ZoneId zone();

  /** {@return the current instant} */
  Instant now();

  /** {@return today's billing date in {@link #zone()}} */
  default LocalDate today() {
    return LocalDate.ofInstant(now(), zone());
  }

  /**
   * The first instant of {@code date} in the billing zone.
   *
   * @param date a billing date
   * @return the instant the date starts
   */
  default Instant startOf(LocalDate date) {
    return date.atStartOfDay(zone()).toInstant();
  }

  /**
   * The billing date of {@code instant} in the billing zone.
   *
   * @param instant an instant
   * @return its billing date
   */
  default LocalDate dateOf(Instant instant) {
    return LocalDate.ofInstant(instant, zone());
  }

  /**
   * Wraps a {@link Clock}; its zone is the billing zone.
   *
   * @param clock the clock to read
   * @return a billing clock over it
   */
  static BillingClock of(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return new BillingClock() {
      @Override
      public ZoneId zone() {
        return clock.getZone();
      }

      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public String toString() {
        return "BillingClock[" + clock + "]";
      }
    };
  }

  /**
   * The system clock in the given billing zone.
   *
   * @param zone the provider's zone
   * @return a billing clock over the system clock
   */
  static BillingClock system(ZoneId zone) {
    return of(Clock.system(zone));
  }
}
