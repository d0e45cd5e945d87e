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
  /** The zone in which billing dates are counted (the provider's zone). */
  ZoneId zone();

  /** The current instant. */
  Instant now();

  /** Today's billing date in {@link #zone()}. */
  default LocalDate today() {
    return LocalDate.ofInstant(now(), zone());
  }

  /** The first instant of {@code date} in the billing zone. */
  default Instant startOf(LocalDate date) {
    return date.atStartOfDay(zone()).toInstant();
  }

  /** The billing date of {@code instant} in the billing zone. */
  default LocalDate dateOf(Instant instant) {
    return LocalDate.ofInstant(instant, zone());
  }

  /** Wraps a {@link Clock}; its zone is the billing zone. */
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

  /** The system clock in the given billing zone. */
  static BillingClock system(ZoneId zone) {
    return of(Clock.system(zone));
  }
}
