package dev.allotment.core;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik arbitraries for random rules, packages, assignments and dates. */
final class Generators {
  private Generators() {}

  /** Dates from 1990 to 2060, with month ends and leap days well represented. */
  static Arbitrary<LocalDate> dates() {
    Arbitrary<LocalDate> any = Arbitraries.longs()
        .between(LocalDate.of(1990, 1, 1).toEpochDay(), LocalDate.of(2060, 12, 31).toEpochDay())
        .map(LocalDate::ofEpochDay);
    Arbitrary<LocalDate> monthEnds = Combinators.combine(Arbitraries.integers().between(1990, 2060),
            Arbitraries.integers().between(1, 12), Arbitraries.integers().between(0, 3))
        .as((year, month, back) -> {
          LocalDate first = LocalDate.of(year, month, 1);
          return first.withDayOfMonth(first.lengthOfMonth() - back);
        });
    Arbitrary<LocalDate> leapDays = Arbitraries.of(1992, 1996, 2000, 2004, 2024, 2028, 2048)
        .map(year -> LocalDate.of(year, 2, 29));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, any), net.jqwik.api.Tuple.of(3, monthEnds), net.jqwik.api.Tuple.of(1, leapDays));
  }

  static Arbitrary<Set<DayOfWeek>> weekdays() {
    return Arbitraries.of(DayOfWeek.class).set().ofMaxSize(7);
  }

  /** Days of month, with 28..31 over-represented because that is where the rules differ. */
  static Arbitrary<Set<Integer>> monthDays() {
    Arbitrary<Integer> day = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 31)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(28, 31)));
    return day.set().ofMaxSize(5);
  }

  /** A frequency and a match that fits it. */
  record FrequencyAndMatch(Frequency frequency, FrequencyMatch match) {}

  static Arbitrary<FrequencyAndMatch> recurringRules() {
    return Arbitraries.of(Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY)
        .flatMap(Generators::matchFor);
  }

  static Arbitrary<FrequencyAndMatch> anyRules() {
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(Frequency.NONE)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Frequency.DAILY)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Frequency.WEEKLY)),
            net.jqwik.api.Tuple.of(6, Arbitraries.just(Frequency.MONTHLY)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Frequency.YEARLY)))
        .flatMap(Generators::matchFor);
  }

  static Arbitrary<FrequencyAndMatch> matchFor(Frequency frequency) {
    return switch (frequency) {
      case WEEKLY -> weekdays().map(days -> new FrequencyAndMatch(frequency, FrequencyMatch.daysOfWeek(days)));
      case MONTHLY -> monthDays().map(days -> new FrequencyAndMatch(frequency, FrequencyMatch.daysOfMonth(days)));
      default -> Arbitraries.just(new FrequencyAndMatch(frequency, FrequencyMatch.empty()));
    };
  }

  static Arbitrary<Currency> currencies() {
    return Arbitraries.of("USD", "EUR", "JPY", "KWD").map(Money::currency);
  }

  /** Non-negative prices of up to four decimals, zero now and then. */
  static Arbitrary<BigDecimal> prices() {
    Arbitrary<BigDecimal> any = Combinators.combine(Arbitraries.longs().between(0, 2_000_000),
        Arbitraries.integers().between(0, 4)).as(BigDecimal::valueOf);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)),
        net.jqwik.api.Tuple.of(6, any));
  }

  static Arbitrary<Integer> quantities() {
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(1)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(2, 12)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(1000)));
  }

  /** A random valid package with id {@code p-1}. */
  static Arbitrary<ServicePackage> packages() {
    Arbitrary<ServicePackageBuilder> priced = Combinators.combine(anyRules(), currencies(), prices(), prices(),
            Arbitraries.of(FirstPeriod.class), Arbitraries.of(MonthEnd.class))
        .as((rule, currency, retail, cost, firstPeriod, monthEnd) -> ServicePackage.builder("p-1").name("Random")
            .currency(currency).retail(retail).cost(cost).frequency(rule.frequency())
            .frequencyMatch(rule.match()).firstPeriod(firstPeriod).monthEnd(monthEnd));
    return Combinators.combine(priced, Arbitraries.integers().between(0, 3), prices(), Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as((builder, setupKind, setup, minimumSpend, freeMinutes) -> {
          if (setupKind == 1) {
            builder.setupRetail(setup);
          } else if (setupKind == 2) {
            builder.setupRetail(setup).setupCost(setup.divide(BigDecimal.valueOf(2)));
          }
          if (freeMinutes) {
            builder.types(PackageType.FREE_MINUTES);
          }
          ServicePackage withoutMinimum = builder.build();
          if (minimumSpend && withoutMinimum.frequency() != Frequency.NONE) {
            return rebuildWithMinimumSpend(withoutMinimum);
          }
          return withoutMinimum;
        });
  }

  private static ServicePackage rebuildWithMinimumSpend(ServicePackage p) {
    ServicePackageBuilder b = ServicePackage.builder(p.id()).name(p.name()).currency(p.currency())
        .retail(p.retail().amount()).cost(p.cost().amount()).setupRetail(p.setupRetail().amount())
        .setupCost(p.setupCost().amount()).frequency(p.frequency()).frequencyMatch(p.frequencyMatch())
        .firstPeriod(p.firstPeriod()).monthEnd(p.monthEnd()).minimumSpend(true);
    if (p.grantsFreeMinutes()) {
      b.types(PackageType.FREE_MINUTES);
    }
    return b.build();
  }

  /** An assignment of {@code pkg} starting on {@code start}, open or ending within ~3 years. */
  static Arbitrary<Assignment> assignments(ServicePackage pkg, LocalDate start) {
    Arbitrary<Integer> endOffset = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(-1)), // open-ended
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 40)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 1100)));
    return Combinators.combine(endOffset, quantities(), Arbitraries.integers().between(1, 5000))
        .as((offset, quantity, minutes) -> {
          AssignmentBuilder b = Assignment.builder("a-1").customerId("c-1").packageId(pkg.id()).startDate(start)
              .quantity(quantity);
          if (offset >= 0) {
            b.endDate(start.plusDays(offset));
          }
          if (pkg.grantsFreeMinutes()) {
            b.minutes(minutes);
          }
          return b.build();
        });
  }

  /** A package, an assignment of it, and two run dates d1 <= d2 around its life. */
  record Case(ServicePackage pkg, Assignment assignment, LocalDate d1, LocalDate d2) {
    @Override
    public String toString() {
      return pkg + " " + pkg.firstPeriod() + " " + pkg.monthEnd() + (pkg.minimumSpend() ? " min-spend" : "")
          + (pkg.grantsFreeMinutes() ? " free-minutes" : "") + " setup " + pkg.setupRetail() + "/" + pkg.setupCost()
          + " cost " + pkg.cost() + "; " + assignment + "; runs " + d1 + ", " + d2;
    }
  }

  /**
   * Cases whose plans fit the planner's bound on one assignment's lines due in one plan
   * ({@link Planner#MAX_DUE_LINES}): a DAILY package with free minutes and a minimum spend has three
   * lines a day, so its run dates stay within 1,300 days of the start (3,904 lines at most, the setup
   * fee's included); the other rules' within 2,100 days.
   */
  static Arbitrary<Case> cases() {
    Arbitrary<LocalDate> starts = dates().filter(d -> d.getYear() >= 2000 && d.getYear() <= 2040);
    return Combinators.combine(packages(), starts).flatAs((pkg, start) ->
        Combinators.combine(assignments(pkg, start),
                Arbitraries.integers().between(-30, pkg.frequency() == Frequency.DAILY ? 700 : 1200),
                Arbitraries.integers().between(0, pkg.frequency() == Frequency.DAILY ? 600 : 900))
            .as((assignment, first, gap) -> new Case(pkg, assignment, start.plusDays(first),
                start.plusDays(first + gap))));
  }

  /**
   * Deterministic spend per customer and period (0.00 to 299.99), so a simulation and the charge
   * that follows agree, as the SPI requires.
   */
  static final Spend SPEND = (customer, currency, period) -> {
    long h = period.start().toEpochDay() * 1_000_003L + period.endExclusive().toEpochDay() * 31L + customer.hashCode();
    return Money.of(BigDecimal.valueOf(Math.floorMod(h * 2_654_435_761L, 30_000L), 2), currency);
  };
}
